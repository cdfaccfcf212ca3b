import TensorRuntime
import Testing

@testable import CircuitSyntax

/// Words that the grammar spells as terminals although they are neither keywords nor axis
/// built-ins: element types, size rounding, parameter initialisers and `shared` loops.
private let contextualWords: Set<String> =
  Set(ElementType.allCases.map(\.rawValue)).union(["floor", "ceil", "uniform", "normal", "shared"])

/// Tests that `grammar/circuit.ebnf` agrees with the lexer and parser.
@Suite struct GrammarConsistencyTests {

  /// The grammar, read once per test.
  let grammar: GrammarFile

  /// Reads the grammar.
  init() throws { grammar = try GrammarFile.load() }

  /// Whether `s` is spelled like an identifier of at least two characters.
  private func isKeywordLike(_ s: String) -> Bool {
    s.count >= 2 && s.first.map { $0.isLetter || $0 == "_" } == true
      && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }

  /// Every keyword is a quoted terminal of the grammar.
  @Test(arguments: Keyword.allCases)
  func keywordInGrammar(_ k: Keyword) {
    #expect(grammar.terminals.contains(k.rawValue))
  }

  /// Every axis built-in is a quoted terminal of the grammar.
  @Test(arguments: Parser.axisBuiltins.sorted())
  func axisBuiltinInGrammar(_ name: String) {
    #expect(grammar.terminals.contains(name))
  }

  /// Every word-like terminal of the grammar is a keyword, an axis built-in or a known
  /// contextual word.
  @Test func noUnknownWords() {
    let known = Set(Keyword.allCases.map(\.rawValue)).union(Parser.axisBuiltins).union(
      contextualWords)
    let unknown = grammar.terminals.filter(isKeywordLike).subtracting(known)
    #expect(unknown.sorted() == [])
  }

  /// The `keyword` rule lists exactly the keywords, and `axis_builtin` exactly the built-ins.
  @Test func keywordAndBuiltinRules() throws {
    func alternatives(_ rule: String) throws -> Set<String> {
      Set(try #require(grammar.rules.first { $0.name == rule }?.terminals))
    }
    #expect(try alternatives("keyword") == Set(Keyword.allCases.map(\.rawValue)))
    #expect(try alternatives("axis_builtin") == Parser.axisBuiltins)
    #expect(try alternatives("element_type") == Set(ElementType.allCases.map(\.rawValue)))
  }

  /// Every punctuator of the lexer is a terminal, and the `punctuator` rule lists them all.
  @Test func punctuation() throws {
    for p in Punct.allCases { #expect(grammar.terminals.contains(p.rawValue), "\(p)") }
    let listed = try #require(grammar.rules.first { $0.name == "punctuator" }?.terminals)
    #expect(listed.count == Punct.allCases.count)
    #expect(Set(listed) == Set(Punct.allCases.map(\.rawValue)))
  }

  /// Each non-comment line is one whole rule, `name = … ;`, and no rule is defined twice.
  @Test func oneRulePerLine() {
    #expect(grammar.malformedLines == [])
    let names = grammar.rules.map(\.name)
    #expect(Set(names).count == names.count)
  }

  /// Every rule used is defined, and every rule but the roots is used.
  @Test func rulesAreClosed() {
    let defined = Set(grammar.rules.map(\.name))
    #expect(grammar.references.subtracting(defined).sorted() == [])
    let roots: Set<String> = ["unit", "token", "trivia"]
    #expect(defined.subtracting(grammar.references).subtracting(roots).sorted() == [])
  }
}
