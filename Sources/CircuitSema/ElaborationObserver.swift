import CircuitDiagnostics
import CircuitSyntax

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

  /// The number of tensor arguments on the value stack.
  public let argumentCount: Int
}

/// Receives the value flow of an elaborated instance tree, in evaluation order, so that a
/// later stage (IR lowering) can rebuild the program without re-implementing name resolution,
/// call binding, loops and memories. Events are sent only while elaborating (never during
/// generic checking), and only for programs without errors.
///
/// The model is a stack machine: expression events pop their operands and push one result
/// (a tuple counts as one value); `bind` and `store` pop; `callEnds` replaces the callee's
/// returned value by the call's result on the caller's stack.
public protocol ElaborationObserver: AnyObject {

  /// The entry circuit's body begins; its inputs are to be created.
  func entryBegins(_ circuit: CircuitDecl, inputs: [(name: String, type: TensorType)])

  /// The body of an instance ends; the returned value is on the stack, with `outputs` types.
  func bodyEnds(outputs: [TensorType], site: SourceRange)

  /// A call of a circuit: pops `argumentCount` tensors and binds them to the callee's
  /// `inputs` (callee axis names; `bindings` maps a callee axis to the caller's axis when they
  /// differ; other axes of the arguments are broadcast).
  func callBegins(
    _ callee: CircuitDecl, instance: [String], inputs: [(name: String, type: TensorType)],
    argumentCount: Int, bindings: [String: String], site: SourceRange)

  /// The call's body has ended: its result (with `type`, broadcast axes included) replaces
  /// the returned value.
  func callEnds(result: ValueType, site: SourceRange)

  /// A literal number (or `size(k)`).
  func number(_ value: Double, site: SourceRange)

  /// A read of the value named `name` (`inf` when unbound).
  func read(_ name: String, site: SourceRange)

  /// Pops `count` values and pushes their tuple.
  func tuple(_ count: Int, site: SourceRange)

  /// Pops one value and pushes its negation.
  func negate(site: SourceRange)

  /// Pops two values and pushes `lhs op rhs`.
  func binary(_ op: BinaryOperator, site: SourceRange)

  /// Pops the built-in's arguments and pushes its result; `type` is the checker's type.
  func builtin(_ application: BuiltinApplication, type: TensorType, site: SourceRange)

  /// Pops a tensor and pushes the indexed or sliced tensor.
  func index(_ selections: [IndexSelection], site: SourceRange)

  /// Pushes the tensor stored in `memory[slot]`.
  func load(_ memory: String, slot: Int, site: SourceRange)

  /// Pops a tensor and pushes it with the listed axes first, in that order.
  func reorder(_ axes: [String], site: SourceRange)

  /// Pops a value and binds it to the pattern's names.
  func bind(_ pattern: Pattern)

  /// Pops a tensor and stores it in `memory[slot]`.
  func store(_ memory: String, slot: Int, site: SourceRange)

  /// Declares a parameter, bound to `name` in the current body.
  func parameter(
    _ name: String, fullName: String, type: TensorType, initializer: Initializer?, site: SourceRange)

  /// A `group "name" { … }` begins.
  func groupBegins(_ name: String, site: SourceRange)

  /// The innermost group ends.
  func groupEnds()

  /// An iteration of a loop begins, with the loop variable's value.
  func iterationBegins(variable: String, value: Int, instance: String, site: SourceRange)

  /// The innermost iteration ends.
  func iterationEnds()

  /// Something the elaboration cannot express as a flat program (e.g. a loop whose bounds
  /// are not constants); the observer must fail with this message.
  func unsupported(_ message: String, site: SourceRange)
}
