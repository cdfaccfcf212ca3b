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

  @Test func labelsKeepTheRoundingsTheProgramDoes() throws {
    let byName = Dictionary(uniqueKeysWithValues: Self.checked().derivedSizes(in: "main").map { ($0.name, $0.size) })
    // floor((h - 1)/2) + 1 is ⌈h/2⌉ at every h; two of them divide once: ⌈h/4⌉.
    #expect(byName["y2"]?.withRoundingsSimplified()?.labelText == "⌈h/2⌉")
    #expect(byName["x3"]?.withRoundingsSimplified()?.labelText == "⌈w/4⌉")
    // A floor of a ceiling keeps both (⌊⌈h/4⌉/8⌋ is not ⌊h/32⌋ at every h).
    #expect(byName["q"]?.withRoundingsSimplified()?.labelText == "⌊⌈h/4⌉/8⌋")
    // Where the signature fixes h (`h=32`), a rounding exact there is exact at every size
    // the program takes: h/2, w/4, h/32; at a fixed odd h the remainder is kept.
    let even: [String: Size] = ["h": Size(32), "w": Size(32)]
    #expect(byName["y2"]?.withRoundingsSimplified(fixed: even)?.labelText == "h/2")
    #expect(byName["x3"]?.withRoundingsSimplified(fixed: even)?.labelText == "w/4")
    #expect(byName["q"]?.withRoundingsSimplified(fixed: even)?.labelText == "h/32")
    let odd = try #require(byName["y2"]?.withRoundingsSimplified(fixed: ["h": Size(31)]))
    #expect(try odd.substituting(["h": Size(31)]) == Size(16))
    for h in [31, 32, 33] {
      let any = try #require(byName["y2"]?.withRoundingsSimplified())
      #expect(try any.substituting(["h": Size(h)]) == byName["y2"]?.substituting(["h": Size(h)]), "equal at h = \(h)")
    }
  }

  @Test func roundingsSimplifyOnlyToFormsTrueAtEverySize() throws {
    let h = Size.symbol("h"), r = Size.symbol("r"), s = Size.symbol("s")
    // MaxPool's floor((h - 2)/2) + 1 = ⌊h/2⌋; a grid declared 16·r halves exactly.
    #expect(try Size.add(Size.rounded(Size.subtract(h, Size(2)), Size(2), up: false), Size(1)).withRoundingsSimplified()?.labelText == "⌊h/2⌋")
    #expect(try Size.rounded(Size.multiply(Size(16), r), Size(2), up: false).withRoundingsSimplified()?.labelText == "8·r")
    // ceil((h + 1)/2) = ⌊h/2⌋ + 1; ceil((h + 1)/s) likewise for any s ≥ 1.
    #expect(try Size.rounded(Size.add(h, Size(1)), Size(2), up: true).withRoundingsSimplified()?.labelText == "⌊h/2⌋ + 1")
    #expect(try Size.rounded(Size.add(h, Size(1)), s, up: true).withRoundingsSimplified()?.labelText == "⌊h/s⌋ + 1")
    // No short form: floor((h + 1)/3), floor((h + 1)/s).
    #expect(try Size.rounded(Size.add(h, Size(1)), Size(3), up: false).withRoundingsSimplified() == nil)
    #expect(try Size.rounded(Size.add(h, Size(1)), s, up: false).withRoundingsSimplified() == nil)
    for v in 1...12 {
      for (size, label) in [
        (try Size.rounded(Size.add(h, Size(1)), Size(2), up: true), "ceil((h + 1)/2)"),
        (try Size.rounded(Size.subtract(h, Size(4)), Size(3), up: false), "floor((h - 4)/3)"),
        (try Size.rounded(Size.add(h, Size(4)), Size(3), up: true), "ceil((h + 4)/3)"),
      ] {
        let simplified = try #require(size.withRoundingsSimplified(), "\(label) has a short form")
        #expect(try simplified.substituting(["h": Size(v)]) == size.substituting(["h": Size(v)]), "\(label) at h = \(v)")
      }
    }
  }

  @Test func ownOutputSizesReadAsFractionsOfTheInput() throws {
    // Down's h' = floor((h - 1)/s) + 1 is its own output-only axis: ⌈h/s⌉ at every h and s.
    let derived = Self.checked().derivedSizes(in: "Down")
    #expect(derived.map(\.name) == ["h'", "w'"])
    let h = try #require(derived.first?.size)
    #expect(h.withRoundingsSimplified()?.labelText == "⌈h/s⌉")
    #expect(Self.checked().derivedSizes(in: "Pool").map(\.name) == ["p"])
  }

  @Test func labelTextUsesTypographicSigns() throws {
    let n = Size.symbol("n")
    #expect(try Size.subtract(n, Size(1)).labelText == "n − 1")
    #expect(try Size.multiply(Size(2), n).labelText == "2·n")
    #expect(Size.negate(n).labelText == "−n")
  }
}
