import CircuitDiagnostics
import TensorRuntime

/// A name with the range where it is written.
public struct Identifier: Hashable, Sendable, CustomStringConvertible {

  /// The name.
  public let name: String

  /// Where the name is written.
  public let range: SourceRange

  /// Creates an identifier.
  public init(_ name: String, _ range: SourceRange) {
    self.name = name
    self.range = range
  }

  /// The name.
  public var description: String { name }
}

/// A size expression as written: integers, size names and arithmetic.
public indirect enum SizeExprKind: Hashable, Sendable {
  case literal(Int)
  case name(String)
  /// `c[i]`: a member of an indexed size family.
  case family(String, SizeExpr)
  case negate(SizeExpr)
  case binary(SizeOperator, SizeExpr, SizeExpr)
  /// `floor(a / b)` or `ceil(a / b)`.
  case rounded(Rounding, SizeExpr, SizeExpr)
  /// A literal too large for a 64-bit integer.
  case overflow(String)
}

/// The arithmetic operators of size expressions.
public enum SizeOperator: String, Hashable, Sendable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case power = "^"
}

/// How a non-exact division is rounded.
public enum Rounding: String, Hashable, Sendable {
  case floor, ceil
}

/// A size expression with its range.
public struct SizeExpr: Hashable, Sendable {

  /// What the expression is.
  public let kind: SizeExprKind

  /// Where it is written.
  public let range: SourceRange

  /// Creates a size expression.
  public init(_ kind: SizeExprKind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// One axis of a written tensor type or axis list: `k`, `h'`, `x=28`, or a bundle name.
public struct AxisItem: Hashable, Sendable {

  /// The axis (or bundle) name.
  public let name: Identifier

  /// The size given with `=`, if any.
  public let size: SizeExpr?

  /// Creates an axis item.
  public init(name: Identifier, size: SizeExpr?) {
    self.name = name
    self.size = size
  }
}

/// A written tensor type: `[y k]`, `i32[t]`, `bool[y x]`.
public struct TensorTypeExpr: Hashable, Sendable {

  /// The element type, `f32` when omitted.
  public let element: ElementType

  /// The axes in order.
  public let axes: [AxisItem]

  /// Where the type is written.
  public let range: SourceRange

  /// Creates a tensor type.
  public init(element: ElementType, axes: [AxisItem], range: SourceRange) {
    self.element = element
    self.axes = axes
    self.range = range
  }
}
