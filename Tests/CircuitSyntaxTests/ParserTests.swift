import CircuitDiagnostics
import Testing

@testable import CircuitSyntax

/// Every statement form of docs/language.md with the statements it parses to.
private let statementCases: [ShapeCase] = [
  ShapeCase("param W: [i o]", "param W [i o]"),
  ShapeCase("param W: [i o] = 0", "param W [i o] = constant(0.0)"),
  ShapeCase("param W: [i o] = -1", "param W [i o] = constant(-1.0)"),
  ShapeCase("param W: [i o] = uniform(0.1)", "param W [i o] = uniform(0.1)"),
  ShapeCase("param b: [o] = normal(0.02)", "param b [o] = normal(0.02)"),
  ShapeCase("size nb = n1 / 4", "size nb = (/ n1 4)"),
  ShapeCase("size c[i] = 64 * 2^i", "size c[i] = (* 64 (^ 2 i))"),
  ShapeCase("axes P = (h w)", "axes P (h w)"),
  ShapeCase("X = a", "X = a"),
  ShapeCase("X = a\nX = X + 1", "X = a | X = (+ X 1)"),
  ShapeCase("(q, k) = f(x)", "(tuple q k) = (call f (x))"),
  ShapeCase("(_, (a, b)) = g(x)", "(tuple _ (tuple a b)) = (call g (x))"),
  ShapeCase("skip[l] = X", "skip[l] := X"),
  ShapeCase("Y = skip[5 - l]", "Y = (load skip (- 5 l))"),
  ShapeCase("for l in 1...N-1 as layer[l] { }", "for l 1...(- N 1) as layer { }"),
  ShapeCase("for i in 0..<N {\n  X = f(X)\n}", "for i 0..<N { X = (call f (X)) }"),
  ShapeCase("group \"Residual\" {\n  X = X + f(X)\n}", "group Residual { X = (+ X (call f (X))) }"),
  ShapeCase("return X", "return X"),
  ShapeCase("X = a; Y = b; return Y", "X = a | Y = b | return Y"),
  ShapeCase("enc = e: Block(x)", "enc = (call e:Block (x))"),
  ShapeCase("size o = floor((h + 2 - 3) / 2) + 1", "size o = (+ (floor (- (+ h 2) 3) 2) 1)"),
  ShapeCase("size q = ceil(n / 4) * c[i - 1]", "size q = (* (ceil n 4) c[(- i 1)])"),
  ShapeCase("size floor = 2; size r = floor * 2", "size floor = 2 | size r = (* floor 2)"),
]

/// Tests of items, statements, the newline rule, error recovery and nesting limits.
@Suite struct ParserTests {

  // MARK: - Statements

  /// Each statement parses, in a circuit body, to its sketch without diagnostics.
  @Test(arguments: statementCases)
  func statementShape(_ c: ShapeCase) {
    let (sketches, diagnostics) = Fixtures.statements(c.source)
    #expect(sketches.joined(separator: " | ") == c.sketch)
    #expect(diagnostics.map(\.message) == [])
  }

  /// The bracketed name after `as` in a loop must be the loop variable.
  @Test func loopInstanceIndex() {
    let p = Fixtures.parse(
      "circuit T() -> [] {\n  for l in 0..<2 as layer[k] {\n  }\n  return 1\n}\n")
    #expect(p.ids.first == "instance-index-mismatch")
    #expect(p.circuits.count == 1)
    #expect(p.ids == ["instance-index-mismatch"])
    #expect(p.circuits.first?.body.map(ASTSketch.of) == ["return 1"])
  }

  // MARK: - Items

  /// Imports name a module (dots become slashes) or a quoted path.
  @Test func imports() {
    let p = Fixtures.parse("import attention\nimport nn.layers\nimport \"./blocks.circuit\"")
    let imports = p.unit.items.compactMap { item -> String? in
      guard case .importDecl(let d) = item else { return nil }
      return "\(d.target) \(d.isPath)"
    }
    #expect(imports == ["attention false", "nn/layers false", "./blocks.circuit true"])
    #expect(p.diagnostics.isEmpty)
  }

  /// `sizes` entries are separated by commas or line breaks; a trailing comma is allowed.
  @Test(arguments: [
    ShapeCase("sizes { b = 8, t = 128 }", "b=8 t=128"),
    ShapeCase("sizes {\n  b = 8\n  t = 128\n}", "b=8 t=128"),
    ShapeCase("sizes { b = 8,\n t = 2 * 64, }", "b=8 t=(* 2 64)"),
    ShapeCase("sizes { }", ""),
  ])
  func sizesBlock(_ c: ShapeCase) {
    let p = Fixtures.parse(c.source)
    guard case .sizes(let block)? = p.unit.items.first else {
      Issue.record("expected a sizes block")
      return
    }
    #expect(
      block.entries.map { "\($0.0)=\(ASTSketch.of($0.1))" }.joined(separator: " ") == c.sketch)
    #expect(p.diagnostics.isEmpty)
  }

  /// Two `sizes` entries on one line need a comma.
  @Test func sizesNeedSeparator() {
    let p = Fixtures.parse("sizes { b = 8 t = 4 }")
    #expect(p.diagnostics.first?.message == "expected '}' to close 'sizes', found 't'")
    #expect(p.ids == ["expected-token"])
  }

  /// File-level size declarations, size families and bundles.
  @Test func fileLevelLegend() {
    let p = Fixtures.parse("size d = 4 * m\nsize c[i] = 64 * 2^i\naxes P = (h, w=4)")
    let sketches = p.unit.items.compactMap { item -> String? in
      switch item {
      case .sizeDecl(let d): ASTSketch.of(d)
      case .bundle(let b):
        "axes \(b.name) (" + b.members.map(ASTSketch.of).joined(separator: " ") + ")"
      default: nil
      }
    }
    #expect(sketches == ["size d = (* 4 m)", "size c[i] = (* 64 (^ 2 i))", "axes P (h w=4)"])
    #expect(p.diagnostics.isEmpty)
  }

  /// A circuit header: size parameters, typed inputs with element types and fixed sizes, and
  /// a tuple of outputs.
  @Test func circuitHeader() throws {
    let p = Fixtures.parse(
      "circuit Name[s, N](X: [b c P], ids: i32[t], m: bool[y, x=28]) -> ([b c P'], [b]) {\n  return (X, X)\n}"
    )
    let c = try #require(p.circuits.first)
    #expect(c.name.name == "Name")
    #expect(c.sizeParameters.map(\.name) == ["s", "N"])
    #expect(
      c.inputs.map { "\($0.name): \(ASTSketch.of($0.type))" } == [
        "X: [b c P]", "ids: i32[t]", "m: bool[y x=28]",
      ])
    #expect(c.outputs.map(ASTSketch.of) == ["[b c P']", "[b]"])
    #expect(c.body.map(ASTSketch.of) == ["return (tuple X X)"])
    #expect(p.diagnostics.isEmpty)
  }

  /// A minimal circuit, a single output, explicit `f32`, and a brace on the next line.
  @Test func circuitMinimal() throws {
    let p = Fixtures.parse("circuit Id(X: f32[b y=28 x=28],) -> [b]\n{ return X }")
    let c = try #require(p.circuits.first)
    #expect(c.sizeParameters.isEmpty)
    #expect(c.inputs.map { ASTSketch.of($0.type) } == ["[b y=28 x=28]"])
    #expect(c.outputs.map(ASTSketch.of) == ["[b]"])
    #expect(p.diagnostics.isEmpty)
  }

  /// Anything else at top level is an error.
  @Test func topLevelStatement() {
    #expect(Fixtures.parse("X = 1").ids == ["expected-token"])
  }

  // MARK: - Line structure

  /// A `(` that starts a line begins a new statement instead of calling the previous name.
  @Test func parenthesisOnNewLine() {
    let (sketches, diagnostics) = Fixtures.statements("Y = f\n(a, b) = g(x)")
    #expect(sketches == ["Y = f", "(tuple a b) = (call g (x))"])
    #expect(diagnostics.isEmpty)
  }

  /// A `[` or `<` that starts a line does not continue an index, load or call.
  @Test(arguments: ["Y = X\n[t = 0]", "Y = skip\n[l]", "Y = Block\n<a: b>(x)", "Y = sum\n[k](X)"])
  func bracketOnNewLine(_ body: String) {
    let (sketches, diagnostics) = Fixtures.statements(body)
    #expect(sketches.first == "Y = " + body.dropFirst(4).prefix { $0 != "\n" })
    #expect(diagnostics.map(\.range.lineAndColumn.line) == [3])
  }

  /// A binary operator at the start of a line continues the expression.
  @Test func operatorContinuesLine() {
    let (sketches, diagnostics) = Fixtures.statements("Y = a\n  + b\n  |> relu()")
    #expect(sketches == ["Y = (call relu ((+ a b)))"])
    #expect(diagnostics.isEmpty)
  }

  /// Two statements on one line need a `;`.
  @Test func statementsNeedSeparator() {
    let (_, diagnostics) = Fixtures.statements("X = a Y = b")
    #expect(
      diagnostics.map(\.message) == ["expected a new line or ';' after the statement, found 'Y'"])
  }

  // MARK: - Recovery

  /// Three independent errors on different lines give exactly three diagnostics, and every
  /// circuit, including those after the errors, is still returned.
  @Test func threeErrors() {
    let text = """
      circuit A(X: [b]) -> [b] {
        Y = X + * X
        return X
      }
      circuit B(X: [b]) -> [b] {
        Y = relu(X))
        return X
      }
      circuit C(X: [b]) -> [b] {
        param W: [b] = nope
        return X
      }
      circuit D(X: [b]) -> [b] {
        return X
      }
      """
    let p = Fixtures.parse(text)
    #expect(p.diagnostics.count == 3)
    #expect(p.lines == [2, 6, 10])
    #expect(p.circuits.map(\.name.name) == ["A", "B", "C", "D"])
    #expect(p.circuits.map { $0.body.count } == [1, 2, 1, 1])  // B keeps its `Y = relu(X)`
  }

  /// An error in one circuit's header is reported once and the next circuit survives.
  @Test func headerError() {
    let text = """
      circuit A(X: [b c) -> [b] {
        Y = X
        return Y
      }
      circuit B(X: [b]) -> [b] {
        return X
      }
      """
    let p = Fixtures.parse(text)
    #expect(p.circuits.map(\.name.name).last == "B")
    #expect(p.diagnostics.count == 1)
  }

  /// Invalid characters are reported by the lexer and skipped by the parser.
  @Test func invalidCharacterInStatement() {
    let p = Fixtures.parse("circuit T() -> [] {\n  return a @ + b\n}")
    #expect(p.ids == ["invalid-character"])
    #expect(p.circuits.first?.body.map(ASTSketch.of) == ["return (+ a b)"])
  }

  /// A file of random bytes reports errors and returns without crashing.
  @Test func garbageFile() {
    var bytes: [UInt8] = []
    var state: UInt32 = 12345
    for _ in 0..<5000 {
      state = state &* 1_103_515_245 &+ 12345
      bytes.append(UInt8(truncatingIfNeeded: state >> 16))
    }
    let p = Fixtures.parse(bytes: bytes)
    #expect(!p.diagnostics.isEmpty)
  }

  // MARK: - Nesting limits

  /// 10,000 nested parentheses give one nesting-too-deep error, not a stack overflow.
  @Test func deepParentheses() {
    let n = 10_000
    let text =
      "circuit T() -> [] {\n  return " + String(repeating: "(", count: n) + "x"
      + String(repeating: ")", count: n) + "\n}\ncircuit U() -> [] {\n  return y\n}"
    let p = Fixtures.parse(text)
    #expect(p.ids == ["nesting-too-deep"])
    #expect(p.circuits.map(\.name.name) == ["T", "U"])
  }

  /// Other deep nestings (calls, unary minus, powers, sizes, patterns, blocks) are also
  /// stopped with nesting-too-deep.
  @Test(arguments: [
    "return " + String(repeating: "f(", count: 10_000) + String(repeating: ")", count: 10_000),
    "return " + String(repeating: "-", count: 10_000) + "x",
    "return " + String(repeating: "x ^ ", count: 10_000) + "x",
    "return size(" + String(repeating: "(", count: 10_000) + "k"
      + String(repeating: ")", count: 10_000) + ")",
    "size s = " + String(repeating: "-", count: 10_000) + "k",
    "size s = " + String(repeating: "2 ^ ", count: 10_000) + "k",
    "Y = skip[" + String(repeating: "c[", count: 10_000) + "0"
      + String(repeating: "]", count: 10_001),
    String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000) + " = x",
    String(repeating: "group \"g\" {\n", count: 10_000) + String(repeating: "}\n", count: 10_000),
  ])
  func deepNesting(_ body: String) {
    let (_, diagnostics) = Fixtures.statements(body)
    #expect(diagnostics.map(\.id.name).contains("nesting-too-deep"))
  }

  /// A nesting error does not lower the limit for the rest of the file.
  @Test func nestingLimitRecovers() {
    // The most unary minuses (one level each) that a `return` accepts on its own.
    func body(_ k: Int) -> String { "return " + String(repeating: "-", count: k) + "x" }
    func accepts(_ k: Int) -> Bool { Fixtures.statements(body(k)).diagnostics.isEmpty }
    // Bisection (the accepted depths are an initial segment): `deepest` accepted, `refused` not.
    var (deepest, refused) = (0, 1)
    while accepts(refused) { (deepest, refused) = (refused, 2 * refused) }
    while refused - deepest > 1 {
      let middle = (deepest + refused) / 2
      if accepts(middle) { deepest = middle } else { refused = middle }
    }
    #expect(!accepts(deepest + 1))
    #expect(deepest > 50)
    let text =
      "circuit A() -> [] {\n  \(body(10_000))\n}\ncircuit B() -> [] {\n  \(body(deepest))\n}"
    #expect(Fixtures.parse(text).diagnostics.count == 1)
  }
}
