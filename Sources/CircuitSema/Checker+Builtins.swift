import CircuitDiagnostics
import CircuitSyntax

/// The built-in elementwise functions of one argument.
let unaryFunctions: Set<String> = [
  "relu", "gelu", "gelu_tanh", "exp", "log", "tanh", "sigmoid", "sqrt", "rsqrt", "abs", "sin",
  "cos", "silu", "erf",
]

extension Checker {

  /// The names of every built-in operation (functions, axis built-ins, conversions), sorted:
  /// what editors complete and document.
  public static var builtinNames: [String] {
    (unaryFunctions.union(Parser.axisBuiltins).union(conversionFunctions).union(["where"])).sorted()
  }

  /// Whether `name` is a built-in operation rather than a circuit.
  func isBuiltin(_ name: String) -> Bool {
    unaryFunctions.contains(name) || Parser.axisBuiltins.contains(name) || name == "where"
      || conversionFunctions.contains(name)
  }

  /// Checks a call of a built-in.
  func checkBuiltin(_ call: Call, at range: SourceRange) -> ValueType? {
    let name = call.callee.name
    if let label = call.label {
      report(
        Diagnostic(.labelOnBuiltin, "'\(name)' is a built-in and has no instance to label",
          at: label.range))
    }
    if !call.bindings.isEmpty {
      report(
        Diagnostic(.bindingsOnBuiltin, "'\(name)' is a built-in and takes no axis bindings '<…>'",
          at: call.callee.range))
    }
    if case .sizes? = call.bracket {
      report(
        Diagnostic(.sizesOnBuiltin, "'\(name)' is a built-in and takes no size arguments",
          at: call.callee.range))
      return nil
    }
    if unaryFunctions.contains(name) {
      guard let args = tensorArguments(call, count: 1, at: range) else { return nil }
      return .tensor(args[0].with(element: .float32)).validatedFloat(args[0], name, range, self)
    }
    if conversionFunctions.contains(name) { return checkConversion(call, at: range) }
    if name == "where" {
      guard let args = tensorArguments(call, count: 3, at: range) else { return nil }
      guard args[0].element == .bool else {
        report(
          Diagnostic(.elementTypeMismatch, "the first argument of 'where' must be a bool mask, not \(args[0])",
            at: call.arguments[0].value.range))
        return nil
      }
      guard
        let ab = broadcast(
          args[1], args[2], operator: "where", lhs: call.arguments[1].value.range,
          rhs: call.arguments[2].value.range, at: range)
      else { return nil }
      let maskAsValues = args[0].with(element: ab.element)
      guard
        let all = broadcast(
          maskAsValues, ab, operator: "where", lhs: call.arguments[0].value.range, rhs: range,
          at: range)
      else { return nil }
      return .tensor(all)
    }
    guard case .axes(let spec)? = call.bracket else {
      if name == "max" || name == "min" {
        guard let args = tensorArguments(call, count: 2, at: range) else { return nil }
        return broadcast(
          args[0], args[1], operator: name, lhs: call.arguments[0].value.range,
          rhs: call.arguments[1].value.range, at: range
        ).flatMap { ValueType.tensor($0).validatedFloat($0, name, range, self) }
      }
      report(
        Diagnostic(.missingAxes, "'\(name)' needs its axes in brackets, e.g. '\(name)[k](X)'",
          at: call.callee.range))
      return nil
    }
    return checkAxisBuiltin(name, spec, call, at: range)
  }

  /// The tensor arguments of a call, which must number `count` and be unlabelled.
  func tensorArguments(_ call: Call, count: Int, at range: SourceRange, options: Set<String> = [])
    -> [TensorType]?
  {
    var positional: [Argument] = []
    for a in call.arguments {
      if let l = a.label {
        if !options.contains(l.name) {
          report(
            Diagnostic(.unknownOption, "'\(call.callee.name)' has no option '\(l.name)'", at: l.range,
              notes: options.isEmpty ? [] : [Note("options: " + options.sorted().joined(separator: ", "))]))
          return nil
        }
        if l.name == "eps" && !checkEpsilon(a, of: call.callee.name) { return nil }
      } else {
        positional.append(a)
      }
    }
    guard positional.count == count else {
      report(
        Diagnostic(.arityMismatch, "'\(call.callee.name)' takes \(count) argument\(count == 1 ? "" : "s") but \(positional.count) \(positional.count == 1 ? "was" : "were") given",
          at: range))
      return nil
    }
    var out: [TensorType] = []
    for a in positional {
      guard let t = tensor(a.value) else { return nil }
      out.append(t)
    }
    return out
  }

  /// The option values of an axis specification; reports unknown options.
  func options(_ spec: AxisSpec, allowed: [String], of name: String) -> [String: Size]? {
    var out: [String: Size] = [:]
    for o in spec.options {
      guard allowed.contains(o.name.name) else {
        report(
          Diagnostic(.unknownOption, "'\(name)' has no option '\(o.name.name)'", at: o.name.range,
            notes: [Note(allowed.isEmpty ? "it takes no options" : "options: " + allowed.joined(separator: ", "))]))
        return nil
      }
      guard let v = evaluate(o.value) else { return nil }
      if let c = v.constant, c < 0 || (c == 0 && o.name.name != "pad" && o.name.name != "outpad") {
        report(
          Diagnostic(.invalidOption, "option '\(o.name.name)' of '\(name)' cannot be \(c)",
            at: o.value.range))
        return nil
      }
      out[o.name.name] = v
    }
    return out
  }

  /// Reports a problem with the shape of an axis specification.
  func badSpec(_ name: String, _ message: String, _ spec: AxisSpec, usage: String) {
    report(
      Diagnostic(.badAxisSpec, "'\(name)' \(message)", at: spec.range, notes: [Note("usage: \(usage)")]))
  }
}

extension ValueType {

  /// The type itself when `input` is a float tensor; reports and returns nil otherwise.
  func validatedFloat(_ input: TensorType, _ name: String, _ range: SourceRange, _ checker: Checker)
    -> ValueType?
  {
    if input.element != .float32 {
      checker.report(
        Diagnostic(.elementTypeMismatch, "'\(name)' applies to f32 tensors, not \(input.element)",
          at: range))
      return nil
    }
    return self
  }
}
