import CircuitDiagnostics
import CircuitSyntax
import TensorRuntime

/// The built-in conversions between element types: `f32(X)`, `i32(X)`, `bool(X)`.
let conversionFunctions: Set<String> = Set(ElementType.allCases.map(\.rawValue))

extension Checker {

  /// `a == b`, `a < b`, …, `a and b`, `a or b`: broadcast by name, giving `bool`.
  ///
  /// Comparisons need operands of one element type (an integer literal takes an i32 other
  /// side's type); orderings (`<`, `<=`, `>`, `>=`) do not apply to bool. `and`/`or` need bool.
  func checkBool(
    _ op: BinaryOperator, _ x: TensorType, _ y: TensorType, _ a: Expr, _ b: Expr,
    at range: SourceRange
  ) -> TensorType? {
    let symbol = op.rawValue
    var (left, right) = (x.element, y.element)
    if op.isComparison {
      if left == .int32 && right == .float32 && isIntegerLiteral(b) { right = .int32 }
      if right == .int32 && left == .float32 && isIntegerLiteral(a) { left = .int32 }
    }
    let allowed: Bool
    if op.isLogical {
      allowed = left == .bool && right == .bool
    } else if op == .equal || op == .notEqual {
      allowed = left == right
    } else {
      allowed = left == right && left != .bool
    }
    guard allowed else {
      var notes = [Note("left operand: \(x)", at: a.range), Note("right operand: \(y)", at: b.range)]
      let message: String
      if op.isLogical {
        message = "'\(symbol)' combines bool tensors, not \(left) and \(right)"
        notes.append(Note("compare first, e.g. 'mask == 1', or convert with 'bool(…)'"))
      } else if left == right {
        message = "operator '\(symbol)' does not apply to bool tensors"
        notes.append(Note("use '==' or '!=' on bool, or convert with 'i32(…)'"))
      } else {
        message = "operator '\(symbol)' compares \(left) with \(right)"
        if let hint = conversionHint(left, right, lhs: a.range, rhs: b.range) { notes.append(Note(hint)) }
      }
      report(Diagnostic(.elementTypeMismatch, message, at: range, notes: notes))
      return nil
    }
    return broadcastAxes(x, y, operator: symbol, lhs: a.range, rhs: b.range, at: range)?
      .with(element: .bool)
  }

  /// `a + b`, `a * b`, …: broadcast by name. On i32 (index arithmetic such as `ids + 1`,
  /// where an integer literal takes the i32 side's type) only `+ - *` apply, wrapping around
  /// at the i32 range; `/` and `^` need f32.
  func checkArithmetic(
    _ op: BinaryOperator, _ x: TensorType, _ y: TensorType, _ a: Expr, _ b: Expr,
    at range: SourceRange
  ) -> TensorType? {
    var (x, y) = (x, y)
    if x.element == .int32 && y.element == .float32 && isIntegerLiteral(b) { y = y.with(element: .int32) }
    if y.element == .int32 && x.element == .float32 && isIntegerLiteral(a) { x = x.with(element: .int32) }
    if x.element == .int32 && y.element == .int32 && (op == .divide || op == .power) {
      report(
        Diagnostic(.elementTypeMismatch, "operator '\(op.rawValue)' does not apply to i32 tensors", at: range,
          notes: [Note("i32 arithmetic has '+', '-' and '*'; convert first for '\(op.rawValue)': 'f32(…) \(op.rawValue) …'")]))
      return nil
    }
    return broadcast(x, y, operator: op.rawValue, lhs: a.range, rhs: b.range, at: range)
  }

  /// `not m`: the logical negation of a bool tensor.
  func checkNot(_ t: TensorType, at range: SourceRange) -> TensorType? {
    guard t.element == .bool else {
      report(
        Diagnostic(.elementTypeMismatch, "'not' applies to bool tensors, not \(t.element)", at: range,
          notes: [Note("compare first, e.g. 'not (mask == 1)', or convert with 'bool(…)'")]))
      return nil
    }
    return t
  }

  /// `f32(X)`, `i32(X)`, `bool(X)`: the same axes with another element type.
  func checkConversion(_ call: Call, at range: SourceRange) -> ValueType? {
    guard let element = ElementType(rawValue: call.callee.name),
      let x = tensorArguments(call, count: 1, at: range)?.first
    else { return nil }
    return .tensor(x.with(element: element))
  }

  /// Whether `e` is an integer literal, possibly negated (`1`, `-1`).
  func isIntegerLiteral(_ e: Expr) -> Bool {
    switch e.kind {
    case .number(let v, let isInteger): isInteger && abs(v) < 2_147_483_648
    case .negate(let a): isIntegerLiteral(a)
    default: false
    }
  }

  /// A note suggesting the conversion that makes an f32 operation of operands of element
  /// types `a` and `b` (written at `lhs` and `rhs`) valid.
  func conversionHint(_ a: ElementType, _ b: ElementType, lhs: SourceRange, rhs: SourceRange)
    -> String?
  {
    guard a != b, a == .float32 || b == .float32 else { return nil }
    let other = a == .float32 ? b : a
    let text = shortText(a == .float32 ? rhs : lhs)
    let example = other == .int32 ? "'f32(\(text))', or compare: '\(text) == 1'" : "'f32(\(text))'"
    return "convert the \(other) operand to f32 with \(example)"
  }

  /// The source text at `range` when it is one short line, else `…`.
  func shortText(_ range: SourceRange) -> String {
    let bytes = range.file.bytes
    guard range.start < range.end, range.end <= bytes.count, range.end - range.start <= 24 else { return "…" }
    let text = String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    return text.contains("\n") ? "…" : text
  }
}
