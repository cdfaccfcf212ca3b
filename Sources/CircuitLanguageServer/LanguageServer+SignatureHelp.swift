import CircuitSema
import CircuitSyntax
import TensorRuntime

extension LanguageServer {

  /// `textDocument/signatureHelp`: inside the parentheses of a call of a circuit, its
  /// signature with the argument under the cursor active (inputs by position, then constants
  /// by label); of a built-in, its documentation.
  func signatureHelp(_ a: Analysis, _ offset: Int) -> JSONValue {
    guard let last = a.tokens.lastIndex(where: { $0.kind != .eof && $0.range.end <= offset }) else { return .null }
    let opener = a.tokens[last].kind == .punct(.lParen) ? last : CallSite.unmatchedOpener(before: last + 1, in: a.tokens)
    guard let opener, a.tokens[opener].kind == .punct(.lParen),
      let calleeIndex = CallSite.callee(before: opener, in: a.tokens),
      calleeIndex == 0 || a.tokens[calleeIndex - 1].kind != .keyword(.circuit)
    else { return .null }
    let callee = a.tokens[calleeIndex].text
    let active = commas(from: opener, to: last, in: a.tokens)
    if let signature = a.compilation.checker.signatures[callee] {
      let parameters =
        signature.inputs.map { "\($0.name): \($0.type)" }
        + signature.constants.map { "\($0.name): f32 = \(Float($0.defaultValue))" }
      return .fields([
        "signatures": .array([
          .fields([
            "label": .string(signature.description),
            "parameters": .array(parameters.map { .fields(["label": .string($0)]) }),
          ])
        ]),
        "activeSignature": .int(0),
        "activeParameter": .int(min(active, max(0, parameters.count - 1))),
      ])
    }
    guard let doc = BuiltinDocumentation.text(callee) else { return .null }
    return .fields([
      "signatures": .array([.fields(["label": .string(callee), "documentation": .string(doc)])]),
      "activeSignature": .int(0),
    ])
  }

  /// The commas directly inside the parenthesis at `opener`, up to token `last`.
  func commas(from opener: Int, to last: Int, in tokens: [Token]) -> Int {
    guard opener < last else { return 0 }
    var depth = 0
    var count = 0
    for t in tokens[(opener + 1)...last] {
      switch t.kind {
      case .punct(.lParen), .punct(.lBracket), .punct(.lAngle): depth += 1
      case .punct(.rParen), .punct(.rBracket), .punct(.rAngle): depth -= 1
      case .punct(.comma) where depth == 0: count += 1
      default: break
      }
    }
    return count
  }
}
