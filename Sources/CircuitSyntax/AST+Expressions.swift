import CircuitDiagnostics

/// A tensor expression with its range.
public struct Expr: Hashable, Sendable {

  /// What the expression is.
  public let kind: ExprKind

  /// Where it is written.
  public let range: SourceRange

  /// Creates an expression.
  public init(_ kind: ExprKind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// The kinds of tensor expressions.
public indirect enum ExprKind: Hashable, Sendable {
  /// A number literal; `isInteger` records how it was written.
  case number(Double, isInteger: Bool)
  /// A value name (or `inf`).
  case name(String)
  /// `(a, b)`.
  case tuple([Expr])
  /// `-x`.
  case negate(Expr)
  /// `not m` (bool).
  case not(Expr)
  /// `a + b`, `a * b`, …, and `a ^ b`.
  case binary(BinaryOperator, Expr, Expr)
  /// A call of a circuit or a built-in, with its brackets and arguments.
  case call(Call)
  /// `X[t = 0, s = 1..<4]`.
  case index(Expr, [IndexItem])
  /// `skip[l - 1]`: a load from an indexed memory.
  case load(Identifier, SizeExpr)
  /// `X as [k x]`: a reorder of the axes.
  case reorder(Expr, TensorTypeExpr)
  /// `size(k)`: a size as a scalar.
  case sizeOf(SizeExpr)
}

/// The binary operators of tensor expressions.
public enum BinaryOperator: String, Hashable, Sendable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case power = "^"
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
  case and
  case or

  /// The comparisons, which give `bool`.
  public static let comparisons: [BinaryOperator] = [
    .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
  ]

  /// Whether the operator compares (`==`, `<`, …) and gives `bool`.
  public var isComparison: Bool { BinaryOperator.comparisons.contains(self) }

  /// Whether the operator is `and` or `or` (bool operands).
  public var isLogical: Bool { self == .and || self == .or }
}

/// One selection of an index expression: `t = 0` or `t = 1..<5` (optionally `-> t'`).
public struct IndexItem: Hashable, Sendable {

  /// The axis indexed.
  public let axis: Identifier

  /// The position, or the start of the range.
  public let start: SizeExpr

  /// The end of the range (exclusive) when slicing.
  public let end: SizeExpr?

  /// The new name of a sliced axis.
  public let renamed: Identifier?

  /// Creates an index item.
  public init(axis: Identifier, start: SizeExpr, end: SizeExpr?, renamed: Identifier?) {
    self.axis = axis
    self.start = start
    self.end = end
    self.renamed = renamed
  }
}

/// A call: `label: Name<a: b>[args](x, y, eps: 1e-5)` or `sum[k](X)`.
public struct Call: Hashable, Sendable {

  /// The instance label before `:`.
  public let label: Identifier?

  /// The callee's name.
  public let callee: Identifier

  /// Axis bindings `<a: b>` (callee axis, caller axis).
  public let bindings: [(Identifier, Identifier)]

  /// The bracket, if written.
  public let bracket: Bracket?

  /// The arguments in parentheses (a pipeline's left side comes first).
  public let arguments: [Argument]

  /// Whether the call had a parenthesised argument list.
  public let hasParentheses: Bool

  /// Creates a call.
  public init(
    label: Identifier?, callee: Identifier, bindings: [(Identifier, Identifier)],
    bracket: Bracket?, arguments: [Argument], hasParentheses: Bool
  ) {
    self.label = label
    self.callee = callee
    self.bindings = bindings
    self.bracket = bracket
    self.arguments = arguments
    self.hasParentheses = hasParentheses
  }

  /// The call with `first` prepended to its arguments (for `x |> f`).
  public func prepending(_ first: Expr) -> Call {
    Call(
      label: label, callee: callee, bindings: bindings, bracket: bracket,
      arguments: [Argument(label: nil, value: first)] + arguments, hasParentheses: true)
  }

  /// Compares calls field by field.
  public static func == (a: Call, b: Call) -> Bool {
    a.label == b.label && a.callee == b.callee && a.bindings.map(\.0) == b.bindings.map(\.0)
      && a.bindings.map(\.1) == b.bindings.map(\.1) && a.bracket == b.bracket
      && a.arguments == b.arguments && a.hasParentheses == b.hasParentheses
  }

  /// Hashes the callee and arguments.
  public func hash(into h: inout Hasher) {
    h.combine(callee)
    h.combine(arguments)
  }
}

/// A call argument, optionally named: `eps: 1e-5`.
public struct Argument: Hashable, Sendable {

  /// The argument's name, if given.
  public let label: Identifier?

  /// The argument.
  public let value: Expr

  /// Creates an argument.
  public init(label: Identifier?, value: Expr) {
    self.label = label
    self.value = value
  }
}

/// The square-bracket part of a call.
public enum Bracket: Hashable, Sendable {
  /// Size arguments of a circuit call: `[2, 3]` or `[s: 2, N: 3]`.
  case sizes([SizeArgument])
  /// The axis specification of a built-in: `[h w -> h' w' kh kw; size 3, stride 2]`.
  case axes(AxisSpec)
}

/// A size argument of a circuit call.
public struct SizeArgument: Hashable, Sendable {

  /// The parameter name, if given.
  public let label: Identifier?

  /// The value.
  public let value: SizeExpr

  /// Creates a size argument.
  public init(label: Identifier?, value: SizeExpr) {
    self.label = label
    self.value = value
  }
}

/// The bracket of a built-in: input axes, optional `->` output axes, optional `; options`.
public struct AxisSpec: Hashable, Sendable {

  /// The axes before `->` (or all of them).
  public let inputs: [AxisItem]

  /// The axes after `->`, when there is an arrow.
  public let outputs: [AxisItem]?

  /// The options after `;`: `size 3`, `stride 2`, …
  public let options: [AxisOption]

  /// Where the bracket is written.
  public let range: SourceRange

  /// Creates an axis specification.
  public init(
    inputs: [AxisItem], outputs: [AxisItem]?, options: [AxisOption], range: SourceRange
  ) {
    self.inputs = inputs
    self.outputs = outputs
    self.options = options
    self.range = range
  }
}

/// An option of an axis specification: `stride 2` or `stride: 2`.
public struct AxisOption: Hashable, Sendable {

  /// The option's name.
  public let name: Identifier

  /// The option's value.
  public let value: SizeExpr

  /// Creates an option.
  public init(name: Identifier, value: SizeExpr) {
    self.name = name
    self.value = value
  }
}
