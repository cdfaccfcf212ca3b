import CircuitDiagnostics
import CircuitDriver

@testable import CircuitSyntax

/// Helpers that turn source text into tokens, trees and diagnostics for the syntax tests.
enum Fixtures {

  /// The result of parsing a text: the unit and everything reported.
  struct Parsed {

    /// The (possibly partial) unit.
    let unit: SourceUnit

    /// The diagnostics, in the order they were reported.
    let diagnostics: [Diagnostic]

    /// The circuits of the unit in order.
    var circuits: [CircuitDecl] {
      unit.items.compactMap { item in
        if case .circuit(let c) = item { return c }
        return nil
      }
    }

    /// The identifiers of the diagnostics, in order.
    var ids: [String] { diagnostics.map(\.id.name) }

    /// The 1-based lines of the diagnostics, in order.
    var lines: [Int] { diagnostics.map(\.range.lineAndColumn.line) }
  }

  /// Parses `text` as a file named `test.circuit`.
  static func parse(_ text: String) -> Parsed {
    parse(bytes: Array(text.utf8))
  }

  /// Parses raw `bytes` as a file named `test.circuit`, on a stack as large as the command
  /// line tool's (the nesting budget is sized for it).
  static func parse(bytes: [UInt8]) -> Parsed {
    LargeStack.run {
      var log = DiagnosticLog()
      let unit = Parser.parse(SourceFile(name: "test.circuit", bytes: bytes), reportingTo: &log)
      return Parsed(unit: unit, diagnostics: log.all)
    }
  }

  /// The statements of the only circuit in `body`, wrapped as `circuit T() -> [] { … }`.
  static func statements(_ body: String) -> (sketches: [String], diagnostics: [Diagnostic]) {
    let p = parse("circuit T() -> [] {\n\(body)\n}\n")
    return (p.circuits.first?.body.map(ASTSketch.of) ?? [], p.diagnostics)
  }

  /// The sketch of `expression`, parsed as `return expression` in a circuit body.
  static func expression(_ expression: String) -> (sketch: String?, diagnostics: [Diagnostic]) {
    let p = parse("circuit T() -> [] {\n  return \(expression)\n}\n")
    guard let s = p.circuits.first?.body.first, case .ret(let e) = s.kind else {
      return (nil, p.diagnostics)
    }
    return (ASTSketch.of(e), p.diagnostics)
  }

  /// The tokens of `bytes` without the final end of file, and the diagnostics.
  static func tokens(bytes: [UInt8]) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var log = DiagnosticLog()
    let all = Lexer.tokenize(SourceFile(name: "test.circuit", bytes: bytes), reportingTo: &log)
    return (all.filter { $0.kind != .eof }, log.all)
  }
}
