import CircuitDiagnostics
import CircuitSyntax

/// An entry circuit elaborated with concrete sizes: the typed instance tree that lowering
/// turns into IR. Calls, groups and loop iterations are nested blocks; within a block, the
/// steps are in evaluation order, expressions in postfix form (each pops its operands and
/// pushes one value), so a block reads as a small stack program.
public struct ElaboratedProgram: Sendable {

  /// The entry circuit's (qualified) name.
  public let name: String

  /// The circuit's name as declared.
  public let circuit: String

  /// Where the entry circuit's name is written.
  public let site: SourceRange

  /// The entry's inputs with their types in this instance.
  public let inputs: [ElaboratedInput]

  /// The entry's declared output names, one per output (nil where unnamed).
  public let outputNames: [String?]

  /// The entry's body.
  public let body: [ElaboratedStep]

  /// Whether elaboration found no errors; an incomplete program stops where the checker
  /// gave up, and only its size problems are worth reporting.
  public let isComplete: Bool
}

/// An input of an instance: its name, its type with this instance's sizes, and its site.
public struct ElaboratedInput: Sendable {

  /// The input's name inside the circuit.
  public let name: String

  /// The type in this instance (sizes resolved where the checker could).
  public let type: TensorType

  /// Where the input is declared.
  public let site: SourceRange
}

/// One step of an elaborated block.
public indirect enum ElaboratedStep: Sendable {

  /// Pushes the value of an expression (operands are the values pushed before it).
  case expression(ElaboratedExpression)

  /// Pops a value and binds it to the pattern's names.
  case bind(BindingPattern)

  /// Pops a tensor and stores it in `memory[slot]`.
  case store(memory: String, slot: Int, site: SourceRange)

  /// Declares a learned parameter, bound to its short name in the current body.
  case parameter(ElaboratedParameter)

  /// A call instance: pops its arguments and pushes its result.
  case call(ElaboratedCall)

  /// A `group "name" { … }` block.
  case group(name: String, site: SourceRange, body: [ElaboratedStep])

  /// One iteration of an unrolled loop.
  case iteration(ElaboratedIteration)

  /// The body's end: pops the returned value, whose declared types are `outputs`.
  case ret(outputs: [TensorType], site: SourceRange)

  /// Something that cannot be expressed as a flat program (e.g. a loop whose bounds are not
  /// constants).
  case unsupported(message: String, site: SourceRange)
}

/// An expression with its type in this instance.
public struct ElaboratedExpression: Sendable {

  /// What the expression computes from the values it pops.
  public enum Kind: Sendable {
    /// A literal number (or `size(k)`); pops nothing.
    case number(Double)
    /// The value bound to a name (`inf` when unbound); pops nothing.
    case read(String)
    /// The tuple of the `count` values on top.
    case tuple(count: Int)
    /// The negation of one value.
    case negate
    /// The logical negation of one bool value.
    case not
    /// `lhs op rhs`: arithmetic, a comparison (giving bool) or `and`/`or`. An integer
    /// literal compared with an i32 tensor is recorded as an f32 number; lowering converts it.
    case binary(BinaryOperator)
    /// A built-in with its bracket and options evaluated.
    case builtin(BuiltinApplication)
    /// Positions or slices of one tensor.
    case index([IndexSelection])
    /// The tensor stored in `memory[slot]`; pops nothing.
    case load(memory: String, slot: Int)
    /// One tensor with the listed axes first, in that order.
    case reorder([String])
  }

  /// The computation.
  public let kind: Kind

  /// The checked type.
  public let type: ValueType

  /// Where the expression is written.
  public let site: SourceRange
}

/// A call of a circuit, elaborated as its own instance.
public struct ElaboratedCall: Sendable {

  /// The callee's declared name.
  public let callee: String

  /// The instance's full path (`encoder.layer_0.attention`).
  public let instance: [String]

  /// The callee's inputs with this instance's sizes (callee axis names).
  public let inputs: [(name: String, type: TensorType)]

  /// The number of argument tensors popped from the caller.
  public let argumentCount: Int

  /// Callee axis name to the caller's axis name, where they differ.
  public let bindings: [String: String]

  /// The callee's body.
  public let body: [ElaboratedStep]

  /// The call's result in the caller (broadcast axes included).
  public let result: ValueType

  /// Where the call is written.
  public let site: SourceRange
}

/// One iteration of an unrolled loop.
public struct ElaboratedIteration: Sendable {

  /// The loop variable.
  public let variable: String

  /// Its value in this iteration.
  public let value: Int

  /// The instance path inside the iteration.
  public let instance: String

  /// Where the loop is written.
  public let site: SourceRange

  /// The loop body in this iteration.
  public let body: [ElaboratedStep]
}

/// A learned parameter of an instance.
public struct ElaboratedParameter: Sendable {

  /// The name inside the circuit.
  public let name: String

  /// The full name along the instance path (`encoder.layer_0.W`).
  public let fullName: String

  /// The type with this instance's sizes.
  public let type: TensorType

  /// The explicit initialiser, if any.
  public let initializer: Initializer?

  /// Where the parameter is declared.
  public let site: SourceRange
}

/// The names a value is bound to: one name (`_` discards) or a tuple of patterns.
public indirect enum BindingPattern: Sendable {
  case name(String)
  case tuple([BindingPattern])

  /// The pattern of an assignment's left side.
  init(_ pattern: Pattern) {
    switch pattern {
    case .name(let id): self = .name(id.name)
    case .tuple(let parts, _): self = .tuple(parts.map(BindingPattern.init))
    }
  }
}

/// An evaluated selection of an index expression.
public struct IndexSelection: Sendable {

  /// The indexed axis.
  public let axis: String

  /// The position, or the start of a slice.
  public let start: Int

  /// The exclusive end of a slice.
  public let end: Int?

  /// The sliced axis's new name.
  public let renamed: String?
}

/// A built-in operation with its bracket evaluated.
public struct BuiltinApplication: Sendable {

  /// The built-in's name (`sum`, `window`, `relu`, …).
  public let name: String

  /// The axis names before `->` (bundles expanded).
  public let inputs: [String]

  /// The axis names after `->`.
  public let outputs: [String]

  /// The evaluated options (`stride`, `pad`, …), constants only.
  public let options: [String: Int]

  /// The value of `eps:` for layernorm.
  public let epsilon: Double?

  /// The number of tensor arguments popped.
  public let argumentCount: Int
}
