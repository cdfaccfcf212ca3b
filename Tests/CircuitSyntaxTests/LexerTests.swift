import CircuitDiagnostics
import Testing

@testable import CircuitSyntax

/// One row of the lexer table: an input and the tokens it must produce.
struct LexerCase: CustomTestStringConvertible, Sendable {

  /// The source text.
  let input: String

  /// The expected tokens (without the end of file) as kind and text.
  let expected: [(TokenKind, String)]

  /// The input, shown as the test case's name.
  var testDescription: String { input.debugDescription }
}

/// Shorthands for the kinds in the table.
private let id = TokenKind.identifier
private let int = TokenKind.integer
private let float = TokenKind.float
private let str = TokenKind.string

/// The punctuation kind spelled `p`.
private func p(_ p: Punct) -> TokenKind { .punct(p) }

/// The keyword kind `k`.
private func kw(_ k: Keyword) -> TokenKind { .keyword(k) }

/// The table of well-formed inputs.
private let wellFormed: [LexerCase] = [
  LexerCase(input: "h' x'' y", expected: [(id, "h'"), (id, "x''"), (id, "y")]),
  LexerCase(input: "h'x", expected: [(id, "h'"), (id, "x")]),
  LexerCase(input: "_ a_1 B2", expected: [(id, "_"), (id, "a_1"), (id, "B2")]),
  LexerCase(
    input: "in in' sizes size",
    expected: [
      (kw(.in), "in"), (id, "in'"), (kw(.sizes), "sizes"), (kw(.size), "size"),
    ]),
  LexerCase(input: "0..<N", expected: [(int, "0"), (p(.halfOpen), "..<"), (id, "N")]),
  LexerCase(
    input: "1...N-1",
    expected: [
      (int, "1"), (p(.ellipsis), "..."), (id, "N"), (p(.minus), "-"), (int, "1"),
    ]),
  LexerCase(
    input: "a -> b |> c",
    expected: [
      (id, "a"), (p(.arrow), "->"), (id, "b"), (p(.pipe), "|>"), (id, "c"),
    ]),
  LexerCase(input: "a-->b", expected: [(id, "a"), (p(.minus), "-"), (p(.arrow), "->"), (id, "b")]),
  LexerCase(
    input: "12 1_000 0.5 .5 1e-5 2.5E+3 7e3",
    expected: [
      (int, "12"), (int, "1_000"), (float, "0.5"), (float, ".5"), (float, "1e-5"),
      (float, "2.5E+3"), (float, "7e3"),
    ]),
  LexerCase(
    input: "1e 1e+ 1.x",
    expected: [
      (int, "1"), (id, "e"), (int, "1"), (id, "e"), (p(.plus), "+"), (int, "1"), (p(.dot), "."),
      (id, "x"),
    ]),
  LexerCase(
    input: "x # comment ( [\ny // another\n// whole line\nz",
    expected: [
      (id, "x"), (id, "y"), (id, "z"),
    ]),
  LexerCase(input: "a/b//c", expected: [(id, "a"), (p(.slash), "/"), (id, "b")]),
  LexerCase(
    input: #""a\"b" "./x.circuit""#,
    expected: [
      (str, #""a\"b""#), (str, #""./x.circuit""#),
    ]),
  LexerCase(
    input: "import nn.layers",
    expected: [
      (kw(.import), "import"), (id, "nn"), (p(.dot), "."), (id, "layers"),
    ]),
  LexerCase(
    input: "f32[t] i32 bool",
    expected: [
      (id, "f32"), (p(.lBracket), "["), (id, "t"), (p(.rBracket), "]"), (id, "i32"),
      (id, "bool"),
    ]),
  LexerCase(
    input: "(){}[]<>,:;=+-*/^.",
    expected: [
      (p(.lParen), "("), (p(.rParen), ")"), (p(.lBrace), "{"), (p(.rBrace), "}"),
      (p(.lBracket), "["), (p(.rBracket), "]"), (p(.lAngle), "<"), (p(.rAngle), ">"),
      (p(.comma), ","), (p(.colon), ":"), (p(.semicolon), ";"), (p(.equal), "="), (p(.plus), "+"),
      (p(.minus), "-"), (p(.star), "*"), (p(.slash), "/"), (p(.caret), "^"), (p(.dot), "."),
    ]),
  LexerCase(input: "a\t\r\nb", expected: [(id, "a"), (id, "b")]),
  LexerCase(input: "", expected: []),
]

/// Tests of the lexer: token kinds and texts, line breaks, and unreadable input.
@Suite struct LexerTests {

  /// Each well-formed input produces the expected tokens and no diagnostics.
  @Test(arguments: wellFormed)
  func tokenTable(_ c: LexerCase) {
    let (tokens, diagnostics) = Fixtures.tokens(bytes: Array(c.input.utf8))
    #expect(tokens.map(\.kind) == c.expected.map(\.0))
    #expect(tokens.map(\.text) == c.expected.map(\.1))
    #expect(diagnostics.isEmpty)
  }

  /// Every keyword is lexed as that keyword, and with a prime as an identifier.
  @Test(arguments: Keyword.allCases)
  func keywords(_ k: Keyword) {
    let (tokens, _) = Fixtures.tokens(bytes: Array("\(k.rawValue) \(k.rawValue)'".utf8))
    #expect(tokens.map(\.kind) == [.keyword(k), .identifier])
  }

  /// `followsNewline` is set after a line break, including one hidden in a comment line.
  @Test func lineBreaks() {
    let (tokens, _) = Fixtures.tokens(bytes: Array("a b\nc # x\nd ; e".utf8))
    #expect(tokens.map(\.text) == ["a", "b", "c", "d", ";", "e"])
    #expect(tokens.map(\.followsNewline) == [true, false, true, true, false, false])
  }

  /// The file ends with exactly one end-of-file token, even after a comment.
  @Test func endOfFile() {
    var log = DiagnosticLog()
    let all = Lexer.tokenize(SourceFile(name: "t", text: "x # done"), reportingTo: &log)
    #expect(all.map(\.kind) == [.identifier, .eof])
  }

  /// Token ranges are byte offsets into the file.
  @Test func ranges() {
    let (tokens, _) = Fixtures.tokens(bytes: Array("ab  ->\n x'".utf8))
    #expect(tokens.map(\.range.start) == [0, 4, 8])
    #expect(tokens.map(\.range.end) == [2, 6, 10])
  }

  /// `unquote` removes the quotes and resolves escapes.
  @Test func unquoting() {
    let (tokens, _) = Fixtures.tokens(bytes: Array(#""a\"b\\c""#.utf8))
    #expect(unquote(tokens[0]) == #"a"b\c"#)
  }

  // MARK: - Unreadable input

  /// A printable ASCII character outside the language is one invalid token with a diagnostic.
  @Test func invalidASCII() {
    let (tokens, diagnostics) = Fixtures.tokens(bytes: Array("a @ b".utf8))
    #expect(tokens.map(\.kind) == [.identifier, .invalid, .identifier])
    #expect(diagnostics.map(\.id.name) == ["invalid-character"])
    #expect(diagnostics.map(\.message) == ["unexpected character '@'"])
    #expect(diagnostics.first.map { ($0.range.start, $0.range.end) } ?? (0, 0) == (2, 3))
  }

  /// A non-ASCII character is consumed whole, as one token, and named by its code point.
  @Test func invalidMultiByteCharacter() {
    let (tokens, diagnostics) = Fixtures.tokens(bytes: Array("x é λ y".utf8))
    #expect(tokens.map(\.kind) == [.identifier, .invalid, .invalid, .identifier])
    #expect(tokens.map(\.text) == ["x", "é", "λ", "y"])
    #expect(
      diagnostics.map(\.message) == ["unexpected character U+E9", "unexpected character U+3BB"])
  }

  /// Control characters are named by code point, so diagnostics never print them raw.
  @Test func controlCharacters() {
    let (tokens, diagnostics) = Fixtures.tokens(bytes: [0x61, 0x00, 0x1B, 0x7F, 0x62])
    #expect(tokens.map(\.kind) == [.identifier, .invalid, .invalid, .invalid, .identifier])
    #expect(
      diagnostics.map(\.message) == [
        "unexpected character U+00", "unexpected character U+1B", "unexpected character U+7F",
      ])
  }

  /// Invalid UTF-8 (a stray byte, a truncated sequence, a lone continuation byte) becomes one
  /// invalid token per unreadable byte, each with a diagnostic, and lexing continues.
  @Test(arguments: [
    [0xFF] as [UInt8], [0xC3], [0xE2, 0x82], [0x80, 0x80], [0xF0, 0x9F, 0x98], [0xC0, 0xAF],
  ])
  func invalidUTF8(_ garbage: [UInt8]) {
    let (tokens, diagnostics) = Fixtures.tokens(bytes: Array("a ".utf8) + garbage + [0x20, 0x62])
    #expect(tokens.first?.text == "a")
    #expect(tokens.last?.text == "b")
    #expect(tokens.dropFirst().dropLast().allSatisfy { $0.kind == .invalid })
    #expect(tokens.count == garbage.count + 2)
    #expect(diagnostics.count == garbage.count)
    #expect(diagnostics.allSatisfy { $0.id.name == "invalid-character" })
  }

  /// An invalid byte is reported with its value, not as the replacement character.
  @Test func invalidByteMessage() {
    let (_, diagnostics) = Fixtures.tokens(bytes: [0xFF])
    #expect(diagnostics.map(\.message) == ["invalid UTF-8 byte 0xFF"])
  }

  /// A string without its closing quote is reported and still produces a string token.
  @Test func unterminatedString() {
    let (tokens, diagnostics) = Fixtures.tokens(bytes: Array("import \"abc\nx".utf8))
    #expect(tokens.map(\.kind) == [.keyword(.import), .string, .identifier])
    #expect(tokens.map(\.text) == ["import", "\"abc", "x"])
    #expect(tokens.last?.followsNewline == true)
    #expect(diagnostics.map(\.id.name) == ["unterminated-string"])
  }

  /// A backslash at the end of a line does not carry a string onto the next line.
  @Test func stringDoesNotSpanLines() {
    let (tokens, diagnostics) = Fixtures.tokens(bytes: Array("\"a\\\nb\"".utf8))
    #expect(diagnostics.map(\.id.name).contains("unterminated-string"))
    #expect(tokens.first?.text == "\"a\\")
  }

  /// A backslash as the last byte of the file ends an unterminated string without a crash.
  @Test func trailingBackslash() {
    let (tokens, diagnostics) = Fixtures.tokens(bytes: Array("\"abc\\".utf8))
    #expect(tokens.map(\.kind) == [.string])
    #expect(diagnostics.map(\.id.name) == ["unterminated-string"])
  }
}
