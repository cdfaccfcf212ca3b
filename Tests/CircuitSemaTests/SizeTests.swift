import Testing

@testable import CircuitSema

/// The normal form of sizes: equal sizes are structurally equal.
@Suite struct SizeTests {

  /// `n` as a symbol.
  let n = Size.symbol("n")

  /// `x` as a symbol.
  let x = Size.symbol("x")

  @Test func divisionThenMultiplicationCancels() throws {
    let q = try Size.divide(n, Size(4))
    #expect(try Size.multiply(q, Size(4)) == n)
    #expect(q.description == "n/4")
  }

  @Test func affineArithmeticNormalises() throws {
    let e = try Size.add(Size.divide(Size.subtract(Size.add(x, Size(2)), Size(3)), Size(1)), Size(1))
    #expect(e == x)
  }

  @Test func distributesAndCollects() throws {
    let a = Size.symbol("a")
    let b = Size.symbol("b")
    let lhs = try Size.multiply(Size(2), Size.add(a, b))
    let rhs = try Size.add(Size.multiply(Size(2), b), Size.multiply(a, Size(2)))
    #expect(lhs == rhs)
    #expect(lhs.description == "2*a + 2*b")
  }

  @Test func substitutionEvaluatesRoundedDivisions() throws {
    let s = Size.symbol("s")
    let grid = try Size.add(Size.rounded(Size.subtract(n, Size(1)), s, up: false), Size(1))
    #expect(grid.description == "floor((n - 1)/s) + 1")
    #expect(try grid.substituting(["n": Size(32), "s": Size(2)]) == Size(16))
    #expect(try grid.substituting(["n": Size(31), "s": Size(2)]) == Size(16))
    #expect(try grid.substituting(["s": Size(1)]) == n)
  }

  @Test func exactDivisionIsCheckedOnceConcrete() throws {
    let q = try Size.divide(n, Size(4))
    #expect(try q.substituting(["n": Size(16)]).constant == 4)
    #expect(try q.substituting(["n": Size(18)]).isFractionalConstant)
  }

  @Test func powersWithSymbolicExponents() throws {
    let l = Size.symbol("l")
    let c = try Size.multiply(Size(64), Size.power(Size(2), l))
    #expect(try c.substituting(["l": Size(3)]) == Size(512))
    #expect(try Size.power(Size(2), Size(10)) == Size(1024))
  }

  @Test func overflowIsAnErrorNotATrap() {
    #expect(throws: SizeError.overflow) { try Size.power(Size(2), Size(80)) }
    #expect(throws: SizeError.overflow) { try Size.multiply(Size(Int.max), Size(2)) }
    #expect(throws: SizeError.divisionByZero) { try Size.divide(n, Size(0)) }
  }

  @Test func symbolicQuotientStaysAnAtom() throws {
    let s = Size.symbol("s")
    let q = try Size.divide(n, s)
    #expect(q.description == "n/s")
    #expect(try Size.divide(Size.multiply(s, n), s) == n)
    #expect(!q.definitelyDiffers(from: n))
    #expect(try Size.add(n, Size(1)).definitelyDiffers(from: n))
  }
}
