import CircuitDiagnostics
import CircuitSyntax
import Testing

@testable import CircuitSema

/// The sizes a circuit derives through its calls, as expressions in its own names, and how a
/// diagram shows them (`h/2` after a stride-2 block, as the paper's `x̄/2`).
@Suite struct DerivedSizeTests {

  /// A strided block called three times, as `examples/resnet.circuit` calls its `Block`.
  static let source = """
    circuit Down[s](X: [c h w]) -> [c h'=floor((h - 1)/s) + 1 w'=floor((w - 1)/s) + 1] {
        return sum[kh kw](window[h w -> h' w' kh kw; size 1, stride s](X))
    }
    circuit Pool[k](X: [c h w]) -> [c p=floor((h - k)/k) + 1] {
        return sum[kh w](window[h -> p kh; size k, stride k](X))
    }
    circuit main(X: [c=3 h=32 w=32]) -> [c] {
        size n = c
        A = Down<h': y1, w': x1>[1](X)
        B = Down<h: y1, w: x1, h': y2, w': x2>[2](A)
        C = Down<h: y2, w: x2, h': y3, w': x3>[2](B)
        return sum[q](Pool<h: y3, w: x3, p: q>[8](C))
    }
    """

  /// The checker of `source` after `checkAll`.
  static func checked() -> Checker {
    var log = DiagnosticLog()
    let program = Program.load(root: SourceFile(name: "derived.circuit", text: source), reportingTo: &log) { _, _ in
      .failed("no imports here", notes: [])
    }
    let checker = Checker(program)
    _ = checker.checkAll()
    #expect(!checker.diagnostics.hasErrors, "\(checker.diagnostics.sorted.map(\.message))")
    return checker
  }

  @Test func callsDeriveSizesInTheCallersNames() throws {
    let derived = Self.checked().derivedSizes(in: "main")
    let byName = Dictionary(uniqueKeysWithValues: derived.map { ($0.name, $0.size) })
    #expect(derived.map(\.name) == ["y1", "x1", "y2", "x2", "y3", "x3", "q"])
    #expect(byName["y1"] == .symbol("h"), "a stride-1 block keeps the grid")
    #expect(byName["y2"]?.description == "floor((h - 1)/2) + 1")
    // The input's own names (c, h, w) and size lines (n) are not derived.
    #expect(!derived.contains { ["c", "h", "w", "n"].contains($0.name) })
  }

  @Test func labelsDropRoundingsExactAtTheDrawnSizes() throws {
    let byName = Dictionary(uniqueKeysWithValues: Self.checked().derivedSizes(in: "main").map { ($0.name, $0.size) })
    let even: [String: Size] = ["h": Size(32), "w": Size(32)]
    #expect(byName["y2"]?.withoutRounding(at: even)?.labelText == "h/2")
    #expect(byName["x3"]?.withoutRounding(at: even)?.labelText == "w/4")
    #expect(byName["q"]?.withoutRounding(at: even)?.labelText == "h/32")
    // At an odd size the exact form keeps the remainder; without a value nothing is dropped.
    let odd = try #require(byName["y2"]?.withoutRounding(at: ["h": Size(31)]))
    #expect(try odd.substituting(["h": Size(31)]) == Size(16))
    #expect(byName["y2"]?.withoutRounding(at: [:]) == nil)
  }

  @Test func ownOutputSizesReadAsFractionsOfTheInput() throws {
    // Down's h' = floor((h - 1)/s) + 1 is its own output-only axis: h/s where s divides h.
    let derived = Self.checked().derivedSizes(in: "Down")
    #expect(derived.map(\.name) == ["h'", "w'"])
    let h = try #require(derived.first?.size)
    #expect(h.withoutRounding(at: ["h": Size(32), "s": Size(2)])?.labelText == "h/s")
    #expect(h.withoutRounding(at: ["h": Size(31), "s": Size(2)]) == nil, "no exact form for a symbolic divisor")
    #expect(Self.checked().derivedSizes(in: "Pool").map(\.name) == ["p"])
  }

  @Test func labelTextUsesTypographicSigns() throws {
    let n = Size.symbol("n")
    #expect(try Size.subtract(n, Size(1)).labelText == "n − 1")
    #expect(try Size.multiply(Size(2), n).labelText == "2·n")
    #expect(Size.negate(n).labelText == "−n")
  }
}
