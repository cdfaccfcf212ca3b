import CircuitDiagnostics
import Testing

@testable import CircuitSyntax

/// A source fragment and the sketch of the tree it must parse to (see `ASTSketch`).
struct ShapeCase: CustomTestStringConvertible, Sendable {

  /// The fragment.
  let source: String

  /// The expected sketch.
  let sketch: String

  /// Creates a case.
  init(_ source: String, _ sketch: String) {
    self.source = source
    self.sketch = sketch
  }

  /// The fragment, shown as the test case's name.
  var testDescription: String { source }
}

/// Every expression form of docs/language.md with the tree it parses to.
private let expressionCases: [ShapeCase] = [
  // Literals and names.
  ShapeCase("12", "12"),
  ShapeCase("1_000", "1000"),
  ShapeCase("0.5", "0.5"),
  ShapeCase("1e-5", "1e-05"),
  ShapeCase("inf", "inf"),
  ShapeCase("x''", "x''"),
  // Arithmetic, precedence and associativity.
  ShapeCase("a + b * c", "(+ a (* b c))"),
  ShapeCase("a - b - c", "(- (- a b) c)"),
  ShapeCase("a / b * c", "(* (/ a b) c)"),
  ShapeCase("-x ^ 2", "(neg (^ x 2))"),
  ShapeCase("2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"),
  ShapeCase("--x", "(neg (neg x))"),
  ShapeCase("(a + b) * c", "(* (+ a b) c)"),
  ShapeCase("a + 1 == b * 2", "(== (+ a 1) (* b 2))"),
  ShapeCase("a < b", "(< a b)"),
  ShapeCase("a<b", "(< a b)"),
  ShapeCase("a >= -1", "(>= a (neg 1))"),
  ShapeCase("a != b and c <= d or e > f", "(or (and (!= a b) (<= c d)) (> e f))"),
  ShapeCase("a or b or c", "(or (or a b) c)"),
  ShapeCase("not a == 1 and b", "(and (not (== a 1)) b)"),
  ShapeCase("not not m", "(not (not m))"),
  ShapeCase("f32(mask == 1) |> relu", "(call relu ((call f32 ((== mask 1)))))"),
  ShapeCase("F<a: b>(x) < y", "(< (call F <a:b> (x)) y)"),
  ShapeCase("argmax[k](X)", "(call argmax [axes k] (X))"),
  ShapeCase("onehot[k = 10](ids)", "(call onehot [axes k=10] (ids))"),
  ShapeCase("(a, b)", "(tuple a b)"),
  ShapeCase("((a))", "a"),
  ShapeCase("size(k)", "(sizeof k)"),
  ShapeCase("size(n / 4 * 4)", "(sizeof (* (/ n 4) 4))"),
  // Pipelines.
  ShapeCase("x |> relu()", "(call relu (x))"),
  ShapeCase("x |> Linear<i: m, o: f>", "(call Linear <i:m o:f> (x))"),
  ShapeCase("a + b |> softmax[k] |> f(y)", "(call f ((call softmax [axes k] ((+ a b))) y))"),
  ShapeCase("x |> enc: Block", "(call enc:Block (x))"),
  // Elementwise functions.
  ShapeCase("relu(x)", "(call relu (x))"),
  ShapeCase("max(a, b)", "(call max (a b))"),
  ShapeCase("where(mask, a, b)", "(call where (mask a b))"),
  // Reductions and normalisations.
  ShapeCase("sum[a b](X)", "(call sum [axes a b] (X))"),
  ShapeCase("sum[k](A * B)", "(call sum [axes k] ((* A B)))"),
  ShapeCase("mean[a, b](X)", "(call mean [axes a b] (X))"),
  ShapeCase("softmax[x](S)", "(call softmax [axes x] (S))"),
  ShapeCase("logsoftmax[x y](S)", "(call logsoftmax [axes x y] (S))"),
  ShapeCase("layernorm[m](X, eps: 1e-5)", "(call layernorm [axes m] (X eps:1e-05))"),
  // Axis manipulation.
  ShapeCase("merge[h w -> p](X)", "(call merge [axes h w -> p] (X))"),
  ShapeCase("split[c -> k h=4](X)", "(call split [axes c -> k h=4] (X))"),
  ShapeCase("rename[t -> s](X)", "(call rename [axes t -> s] (X))"),
  ShapeCase("X as [k x]", "(as X [k x])"),
  ShapeCase("a * b as [k]", "(* a (as b [k]))"),
  ShapeCase("concat[a, b -> c](A, B)", "(call concat [axes a b -> c] (A B))"),
  // Index and slice.
  ShapeCase("X[t = 0]", "(index X t=0)"),
  ShapeCase("X[t = 1..<5]", "(index X t=1..<5)"),
  ShapeCase("X[t = 1..<5 -> t']", "(index X t=1..<5->t')"),
  ShapeCase("X[t = 0, s = n - 1]", "(index X t=0 s=(- n 1))"),
  ShapeCase("f(x)[t = 0]", "(index (call f (x)) t=0)"),
  // Gather, windows, masks.
  ShapeCase("gather[v](W, ids)", "(call gather [axes v] (W ids))"),
  ShapeCase(
    "window[h w -> h' w' kh kw; size 3, stride 2, pad 1, dilation 1](X)",
    "(call window [axes h w -> h' w' kh kw; size 3, stride 2, pad 1, dilation 1] (X))"),
  ShapeCase("window[P -> P' K; size 3](X)", "(call window [axes P -> P' K; size 3] (X))"),
  ShapeCase(
    "window[h -> h' k; size: 3, stride: s](X)",
    "(call window [axes h -> h' k; size 3, stride s] (X))"),
  ShapeCase(
    "unwindow[h' kh -> h; stride 2, pad 0, dilation 1, outpad 0](X)",
    "(call unwindow [axes h' kh -> h; stride 2, pad 0, dilation 1, outpad 0] (X))"),
  ShapeCase("causal[y x]", "(call causal [axes y x])"),
  ShapeCase("arange[t]", "(call arange [axes t])"),
  // Circuit calls and memory loads.
  ShapeCase(
    "label: Name<a: t, b: s>[2, N](X, Y)", "(call label:Name <a:t b:s> [sizes 2 N] (X Y))"),
  ShapeCase("Block[s: 2, N: n - 1](X)", "(call Block [sizes s:2 N:(- n 1)] (X))"),
  ShapeCase("Block(X, Y,)", "(call Block (X Y))"),
  ShapeCase("Block()", "(call Block ())"),
  ShapeCase("skip[5 - l]", "(load skip (- 5 l))"),
  ShapeCase("skip[l][t = 0]", "(index (load skip l) t=0)"),
]

/// Tests that each expression form of docs/language.md parses to the expected tree.
@Suite struct ParserExpressionTests {

  /// Each fragment parses, as the operand of `return`, to its sketch without diagnostics.
  @Test(arguments: expressionCases)
  func expressionShape(_ c: ShapeCase) {
    let (sketch, diagnostics) = Fixtures.expression(c.source)
    #expect(sketch == c.sketch)
    #expect(diagnostics.map(\.message) == [])
  }

  /// Integer literals record that they were integers; others do not.
  @Test func integerFlag() throws {
    let p = Fixtures.parse("circuit T() -> [] {\n  return (1_000, 1.0, 1e3)\n}")
    let ret = try #require(p.circuits.first?.body.first)
    guard case .ret(let e) = ret.kind, case .tuple(let parts) = e.kind else {
      Issue.record("expected a tuple")
      return
    }
    let flags = parts.map { part -> Bool? in
      if case .number(_, let isInteger) = part.kind { return isInteger }
      return nil
    }
    #expect(flags == [true, false, false])
  }

  /// A binary expression's range covers both operands.
  @Test func ranges() throws {
    let text = "circuit T() -> [] {\n  return a + relu(b)\n}"
    let p = Fixtures.parse(text)
    let ret = try #require(p.circuits.first?.body.first)
    guard case .ret(let e) = ret.kind else {
      Issue.record("expected a return")
      return
    }
    let bytes = Array(text.utf8)[e.range.start..<e.range.end]
    #expect(String(decoding: bytes, as: UTF8.self) == "a + relu(b)")
  }

  /// `x |> f` calls `f` with `x`, as docs/language.md says, also for a bare name.
  @Test func pipelineIntoBareName() {
    let (sketch, diagnostics) = Fixtures.expression("x |> relu")
    #expect(sketch == "(call relu (x))")
    #expect(diagnostics.isEmpty)
  }

  /// `x |> Block[2]` calls `Block[2]` with `x` rather than loading a memory slot.
  @Test func pipelineIntoSizeArguments() {
    let (sketch, diagnostics) = Fixtures.expression("x |> Block[2]")
    #expect(sketch == "(call Block [sizes 2] (x))")
    #expect(diagnostics.isEmpty)
  }

  /// A pipeline into something that cannot be called is an error at the right side.
  @Test func pipelineIntoNonCall() {
    let (_, diagnostics) = Fixtures.expression("x |> 3")
    #expect(diagnostics.map(\.id.name) == ["expected-token"])
  }

  /// Several size arguments without parentheses are not a memory load.
  @Test func loadNeedsOneSlot() {
    let (_, diagnostics) = Fixtures.expression("Block[2, 3]")
    #expect(diagnostics.map(\.message) == ["expected '(' after the size arguments of 'Block'"])
  }

  /// `floor` and `ceil` take a division.
  @Test func roundingNeedsDivision() {
    let (_, diagnostics) = Fixtures.expression("size(floor(a + b))")
    #expect(diagnostics.map(\.id.name) == ["expected-division"])
  }
}
