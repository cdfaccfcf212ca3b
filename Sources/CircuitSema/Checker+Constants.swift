#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// The value of a constant scalar expression — numbers, `size(…)`, the circuit's constants,
  /// and negation and `+ - * / ^` of those — with the sizes and constants of the current
  /// instance; nil when `e` is not
  /// such an expression. A size still symbolic (a generic check) counts as 1, so the
  /// expression's form is checked before its value is known.
  func constantScalar(_ e: Expr) -> Double? {
    switch e.kind {
    case .number(let v, _): return v
    case .name(let n): return circuitConstant(n)
    case .sizeOf(let s):
      guard let size = sizeOf(s) else { return nil }
      return size.constant.map(Double.init) ?? 1
    case .negate(let a): return constantScalar(a).map { -$0 }
    case .binary(let op, let a, let b):
      guard let x = constantScalar(a), let y = constantScalar(b) else { return nil }
      switch op {
      case .add: return x + y
      case .subtract: return x - y
      case .multiply: return x * y
      case .divide: return x / y
      case .power: return pow(x, y)
      case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or: return nil
      }
    default: return nil
    }
  }

  /// Checks the option `eps:` of `layernorm`: a constant, finite, non-negative number.
  func checkEpsilon(_ argument: Argument, of name: String) -> Bool {
    guard let v = constantScalar(argument.value) else {
      report(
        Diagnostic(.optionNotConstant, "'eps' of '\(name)' must be a constant number", at: argument.value.range,
          notes: [Note("write a number, a circuit constant or an expression of those and size(…), e.g. 'eps: 1e-12'")]))
      return false
    }
    guard v.isFinite, v >= 0 else {
      report(Diagnostic(.optionOutOfRange, "'eps' of '\(name)' must be finite and not negative, not \(v)", at: argument.value.range))
      return false
    }
    return true
  }

  /// The value of `size(s)`: a size expression, or the name of an axis that only values in
  /// scope carry (made by `window`, `concat`, a slice, …) when they agree on its size.
  func sizeOf(_ s: SizeExpr) -> Size? {
    if case .name(let n) = s.kind, scope.sizes[n] == nil, scope.substitution[n] == nil,
      !scope.freeSymbols.contains(n)
    {
      var found: [Size] = []
      for name in scope.values.keys.sorted() {
        guard case .tensor(let t)? = scope.values[name]?.type, let a = t.axis(n) else { continue }
        if !found.contains(a.size) { found.append(a.size) }
      }
      if found.count == 1 { return found[0] }
    }
    return evaluate(s)
  }
}
