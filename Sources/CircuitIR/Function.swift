import CircuitDiagnostics
import CircuitSyntax

extension IR {

  /// Where an instruction came from: a circuit instance, a group, or a loop iteration.
  public struct Region: Hashable, Sendable {

    /// The kinds of regions.
    public enum Kind: Hashable, Sendable {
      /// The body of a circuit instance (`instance` is its full name, empty for the entry).
      case circuit(name: String, instance: String)
      /// A `group "name" { }`.
      case group(String)
      /// One iteration of a loop.
      case iteration(variable: String, value: Int, instance: String)
    }

    /// What the region is.
    public let kind: Kind

    /// The enclosing region, if any.
    public let parent: Int?

    /// Where the region is written (the call, group or loop).
    public let site: SourceRange
  }

  /// One SSA instruction.
  public struct Instruction: Sendable {

    /// The operation.
    public let op: Op

    /// The operands, defined earlier.
    public let operands: [Value]

    /// The result type.
    public let type: TensorType

    /// The source code the instruction comes from.
    public let site: SourceRange

    /// The innermost region the instruction belongs to.
    public let region: Int?
  }

  /// A learned parameter of a function.
  public struct Parameter: Sendable {

    /// The full hierarchical name.
    public let name: String

    /// The parameter's type (its axes as declared).
    public let type: TensorType

    /// The declared initialiser.
    public let initializer: Initializer?

    /// Where it is declared.
    public let site: SourceRange
  }

  /// A flat function: every call inlined and every loop unrolled, sizes concrete.
  public struct Function: Sendable {

    /// The entry circuit's name.
    public let name: String

    /// The inputs, in order.
    public var inputs: [(name: String, type: TensorType)]

    /// The parameters, in order of declaration.
    public var parameters: [Parameter]

    /// The instructions in SSA order; value `%i` is instruction `i`.
    public var instructions: [Instruction]

    /// The output values, in order.
    public var outputs: [Value]

    /// The regions; instructions refer to them by index.
    public var regions: [Region]

    /// The type of `v`.
    public func type(of v: Value) -> TensorType { instructions[v.index].type }
  }
}
