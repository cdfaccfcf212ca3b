import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// The value of a written size expression in the current scope; reports unknown names,
  /// overflow and division by zero, and returns nil after reporting.
  func evaluate(_ e: SizeExpr) -> Size? {
    do throws(SizeError) {
      return try evaluateOrThrow(e)
    } catch {
      reportSizeError(error, at: e.range)
      return nil
    }
  }

  /// Reports a failure of size arithmetic.
  func reportSizeError(_ error: SizeError, at range: SourceRange) {
    switch error {
    case .overflow:
      report(
        Diagnostic(.sizeOverflow, "size is too large: it overflows 64-bit arithmetic", at: range))
    case .divisionByZero:
      report(Diagnostic(.divisionByZero, "size expression divides by zero", at: range))
    }
  }

  /// The value of `e`, throwing on arithmetic failure; unknown names are reported and taken
  /// as symbols.
  private func evaluateOrThrow(_ e: SizeExpr) throws(SizeError) -> Size {
    switch e.kind {
    case .literal(let v): return Size(v)
    case .overflow: throw .overflow
    case .name(let n): return sizeOf(name: n, at: e.range)
    case .family(let name, let indexExpr):
      let index = try evaluateOrThrow(indexExpr)
      guard let family = scope.families[name] else {
        report(
          Diagnostic(.unknownSize, "unknown size family '\(name)'", at: e.range,
            notes: [Note("declare it with 'size \(name)[i] = …'")]))
        return .symbol(name)
      }
      let saved = scope.sizes[family.index]
      scope.sizes[family.index] = index
      defer { scope.sizes[family.index] = saved }
      return try evaluateOrThrow(family.body)
    case .negate(let a): return Size.negate(try evaluateOrThrow(a))
    case .binary(let op, let a, let b):
      return try Size.applying(op, evaluateOrThrow(a), evaluateOrThrow(b))
    case .rounded(let r, let a, let b):
      return try Size.rounded(evaluateOrThrow(a), evaluateOrThrow(b), up: r == .ceil)
    }
  }

  /// The size denoted by `name`: a declared size, an instance value, or a free symbol.
  func sizeOf(name n: String, at range: SourceRange) -> Size {
    if let s = scope.sizes[n] { return s }
    if let s = scope.substitution[n] { return s }
    if !scope.freeSymbols.contains(n) {
      report(
        Diagnostic(.unknownSize, "axis or size '\(n)' has no size here", at: range,
          notes: [
            Note(
              "sizes come from the circuit's inputs and outputs, its size parameters in brackets, or a 'size \(n) = …' line"
            )
          ]))
      scope.freeSymbols.insert(n)
    }
    return .symbol(n)
  }

  /// Checks that `size` can be the size of an axis: a positive whole number when constant.
  /// Returns false after reporting a problem.
  @discardableResult
  func validateAxisSize(_ size: Size, axis: String, at range: SourceRange) -> Bool {
    if size.isFractionalConstant {
      report(
        Diagnostic(.inexactDivision, "size of axis '\(axis)' is \(size), not a whole number: the division is not exact",
          at: range, notes: [Note("use floor(a / b) or ceil(a / b) to round explicitly")]))
      return false
    }
    if let c = size.constant, c <= 0 {
      report(
        Diagnostic(.nonpositiveSize, "axis '\(axis)' has size \(c); axis sizes must be positive",
          at: range))
      return false
    }
    return true
  }

  /// The tensor type denoted by a written type, expanding bundles; sizes come from `=`
  /// annotations or the scope.
  func evaluate(_ t: TensorTypeExpr) -> TensorType {
    var axes: [Axis] = []
    for item in expandBundles(t.axes) {
      let size = item.size.flatMap { evaluate($0) } ?? sizeOf(name: item.name.name, at: item.name.range)
      validateAxisSize(size, axis: item.name.name, at: item.name.range)
      if axes.contains(where: { $0.name == item.name.name }) {
        report(
          Diagnostic(.duplicateAxis, "axis '\(item.name.name)' appears twice in the type \(t.textForm)",
            at: item.name.range,
            notes: [Note("a tensor never carries the same axis twice; use a prime ('\(item.name.name)'') for a second axis")]))
        continue
      }
      axes.append(Axis(item.name.name, size))
    }
    return TensorType(t.element, axes)
  }

  /// The axis items with bundle names replaced by their members.
  func expandBundles(_ items: [AxisItem]) -> [AxisItem] {
    var out: [AxisItem] = []
    for item in items {
      if let members = scope.bundles[item.name.name], item.size == nil {
        out += members.map { AxisItem(name: Identifier($0.name.name, item.name.range), size: $0.size) }
      } else {
        out.append(item)
      }
    }
    return out
  }

  /// Compares two sizes that must be equal: true when proved equal; reports an error when
  /// they certainly differ; defers the check (returning true) when it cannot be decided.
  func requireEqual(
    _ a: Size, _ b: Size, at range: SourceRange, error: () -> Diagnostic, what: String
  ) -> Bool {
    if a == b { return true }
    if a.definitelyDiffers(from: b) || (a.constant != nil && b.constant != nil) {
      report(error())
      return false
    }
    deferred.append(SizeConstraint(lhs: a, rhs: b, message: what, range: range))
    return true
  }
}

extension TensorTypeExpr {

  /// The type as written, e.g. `[y k k]`.
  public var textForm: String {
    (element == .float32 ? "" : element.rawValue) + "[" + axes.map(\.name.name).joined(separator: " ")
      + "]"
  }
}
