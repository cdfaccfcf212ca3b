import Testing

@testable import TensorRuntime

/// Construction, validation, element access, approximate equality and random numbers.
@Suite struct TensorTests {

  /// A tensor's count must match its shape.
  @Test func constructionValidatesCount() throws {
    let t = try Tensor(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5])
    #expect(t.count == 6 && t.rank == 2 && t.elementType == .float32)
    #expect(try t.element(at: [1, 2]) == .float32(5))
    #expect(
      tensorErrorMessage { _ = try Tensor(shape: [2, 2], floats: [1]) }
        == "shape [2, 2] needs 4 values but 1 were given")
  }

  /// Absurd shapes throw instead of trapping.
  @Test func absurdShapesThrow() {
    #expect(tensorErrorMessage { _ = try Tensor.zeros(shape: [-1]) } == "invalid shape [-1]: extent -1 is negative")
    #expect(
      tensorErrorMessage { _ = try Tensor.zeros(shape: [Int.max, 3]) }
        == "invalid shape [\(Int.max), 3]: element count overflows")
    #expect(tensorErrorMessage { _ = try Tensor.zeros(shape: [1 << 20, 1 << 20]) } != nil)
    #expect((try? Tensor.zeros(shape: [Int.max, 0]))?.count == 0)
    #expect(tensorErrorMessage { _ = try Tensor.zeros(shape: [2]).element(at: [2]) } != nil)
  }

  /// Scalars have rank 0 and one element.
  @Test func scalars() throws {
    let s = Tensor(scalar: Int32(4))
    #expect(s.shape == [] && s.count == 1)
    #expect(try s.element(at: []) == .int32(4))
    #expect(try Tensor.zeros(shape: [2], elementType: .bool).bools == [false, false])
  }

  /// Approximate equality uses a relative tolerance and treats NaN and infinities strictly.
  @Test func approximateEquality() throws {
    let a = try Tensor(shape: [3], floats: [1, .infinity, .nan])
    let b = try Tensor(shape: [3], floats: [1.000001, .infinity, .nan])
    #expect(a.isApproximatelyEqual(to: b, relativeTolerance: 1e-5))
    #expect(!a.isApproximatelyEqual(to: b, relativeTolerance: 1e-8))
    let c = try Tensor(shape: [3], floats: [1, -.infinity, .nan])
    #expect(!a.isApproximatelyEqual(to: c))
    #expect(!a.isApproximatelyEqual(to: try a.reshaped(to: [3, 1])))
  }

  /// The same seed gives the same numbers; normals have roughly unit variance.
  @Test func randomSourceIsDeterministic() throws {
    var r1 = RandomSource(seed: 7)
    var r2 = RandomSource(seed: 7)
    #expect((0..<5).map { _ in r1.next() } == (0..<5).map { _ in r2.next() })
    var r = RandomSource(seed: 1)
    let u = try r.uniformTensor(shape: [1000], from: -2, to: 3).floats!
    #expect(u.allSatisfy { $0 >= -2 && $0 < 3 })
    let n = try r.normalTensor(shape: [20000]).floats!
    let mean = n.reduce(0, +) / Float(n.count)
    let variance = n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(n.count)
    #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
  }

}
