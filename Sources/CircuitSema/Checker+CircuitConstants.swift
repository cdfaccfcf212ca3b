import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// The value of `name` when it is one of the circuit's scalar constants (and not rebound),
  /// marking it used.
  func circuitConstant(_ name: String) -> Double? {
    guard scope.values[name]?.kind == .constant else { return nil }
    scope.values[name]?.used = true
    return scope.constants[name]
  }

  /// Binds the scalar constants of `c` in its body: `values` where the call gave them, else
  /// the defaults. Each is an `f32[]` value that counts as a constant.
  func declareConstants(of c: Program.CircuitEntry, values: [String: Double]) {
    for k in c.decl.constants {
      if k.type.name != "f32" {
        report(
          Diagnostic(.constantType, "constant '\(k.name.name)' is \(k.type.name), but circuit constants are f32",
            at: k.type.range,
            notes: [Note("a whole number that sizes axes or counts repetitions is a size parameter in brackets: 'circuit \(c.decl.name.name)[\(k.name.name)](…)'")]))
      }
      if scope.values[k.name.name] != nil {
        report(Diagnostic(.duplicateInput, "input '\(k.name.name)' is declared twice", at: k.name.range))
      }
      scope.values[k.name.name] = ValueBinding(
        type: .tensor(.scalar()), range: k.name.range, kind: .constant)
      scope.constants[k.name.name] = values[k.name.name] ?? k.defaultValue
    }
  }

  /// The call with its argument labels resolved: a label that names a constant of the
  /// callee (a circuit) or an option of an axis built-in stays an argument label; any other
  /// label on a call of a circuit becomes that call's instance label (`Outer(enc: Block(x))`).
  /// Labels left over are reported by the callee's checks.
  func resolvingArgumentLabels(_ call: Call) -> Call {
    if Parser.axisBuiltins.contains(call.callee.name) { return call }
    let constants = Set(program.circuit(named: call.callee.name)?.decl.constants.map(\.name.name) ?? [])
    let arguments = call.arguments.map { a -> Argument in
      guard let l = a.label, !constants.contains(l.name), case .call(let inner) = a.value.kind,
        inner.label == nil, !isBuiltin(inner.callee.name)
      else { return a }
      let labelled = Call(
        label: l, callee: inner.callee, bindings: inner.bindings, bracket: inner.bracket,
        arguments: inner.arguments, hasParentheses: inner.hasParentheses)
      return Argument(label: nil, value: Expr(.call(labelled), l.range.extended(toCover: a.value.range)))
    }
    return Call(
      label: call.label, callee: call.callee, bindings: call.bindings, bracket: call.bracket,
      arguments: arguments, hasParentheses: call.hasParentheses)
  }

  /// The constants a call of `callee` passes by label, evaluated; nil after reporting a
  /// label the callee does not declare, a repeated one, or a value that is not a constant.
  func constantArguments(_ call: Call, of callee: Program.CircuitEntry) -> [String: Double]? {
    let declared = callee.decl.constants.map(\.name.name)
    var values: [String: Double] = [:]
    var ok = true
    for a in call.arguments {
      guard let l = a.label else { continue }
      guard declared.contains(l.name) else {
        var notes = [Note(declared.isEmpty ? "'\(callee.name)' declares no constants; its inputs are positional" : "its constants: " + declared.joined(separator: ", "))]
        if let s = suggestion(for: l.name, among: declared) { notes.append(Note("did you mean '\(s)'?")) }
        report(Diagnostic(.labelledArgument, "'\(callee.name)' has no constant '\(l.name)'", at: l.range, notes: notes))
        ok = false
        continue
      }
      if values[l.name] != nil {
        report(Diagnostic(.labelledArgument, "constant '\(l.name)' is given twice", at: l.range))
        ok = false
        continue
      }
      guard let v = constantScalar(a.value) else {
        report(
          Diagnostic(.argumentNotConstant, "constant '\(l.name)' of '\(callee.name)' must be a constant number",
            at: a.value.range,
            notes: [Note("write a number, a constant of the calling circuit or an expression of those and size(…), e.g. '\(l.name): 1e-12'")]))
        ok = false
        continue
      }
      values[l.name] = v
    }
    return ok ? values : nil
  }
}
