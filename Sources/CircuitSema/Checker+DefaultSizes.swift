import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// The sizes of a `sizes { }` block (each entry may use the earlier ones), with `overrides`
  /// replacing entries of the same name; reports negative, fractional and unknown sizes.
  public func resolveSizes(_ entries: [(Identifier, SizeExpr)], overrides: [String: Int])
    -> [String: Size]
  {
    let saved = (scope, mode)
    defer { (scope, mode) = saved }
    scope = Scope()
    mode = .generic
    for (name, expr) in entries {
      if let v = overrides[name.name] {
        scope.sizes[name.name] = Size(v)
        continue
      }
      let undefined = sizeNames(in: expr).filter { scope.sizes[$0] == nil }
      if let n = undefined.first {
        report(
          Diagnostic(.symbolicDefaultSize, "default size '\(name.name)' uses '\(n)', which is not an earlier entry of 'sizes { }'",
            at: expr.range,
            notes: [Note("default sizes are numbers, possibly computed from earlier entries")]))
        continue
      }
      guard let v = evaluate(expr) else { continue }
      // 0 is a legitimate padding or offset (as with `--size p=0`); where a 0 reaches an
      // axis size, elaboration reports it, located (nonpositive-size).
      if v.constant == 0 || validateAxisSize(v, axis: name.name, at: expr.range) {
        if v.constant == nil {
          report(
            Diagnostic(.symbolicDefaultSize, "default size '\(name.name)' must be a number, not \(v)",
              at: expr.range))
          continue
        }
        scope.sizes[name.name] = v
      }
    }
    for (k, v) in overrides { scope.sizes[k] = Size(v) }
    return scope.sizes
  }

  /// The size names an expression mentions, in order.
  func sizeNames(in e: SizeExpr) -> [String] {
    switch e.kind {
    case .literal, .overflow: return []
    case .name(let n): return [n]
    case .family(_, let i): return sizeNames(in: i)
    case .negate(let a): return sizeNames(in: a)
    case .binary(_, let a, let b), .rounded(_, let a, let b): return sizeNames(in: a) + sizeNames(in: b)
    }
  }
}
