import CircuitDiagnostics

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

    /// Creates a region.
    public init(kind: Kind, parent: Int?, site: SourceRange) {
      (self.kind, self.parent, self.site) = (kind, parent, site)
    }
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

    /// Creates an instruction.
    public init(op: Op, operands: [Value], type: TensorType, site: SourceRange, region: Int?) {
      (self.op, self.operands, self.type, self.site, self.region) = (op, operands, type, site, region)
    }
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

    /// Creates a parameter.
    public init(name: String, type: TensorType, initializer: Initializer?, site: SourceRange) {
      (self.name, self.type, self.initializer, self.site) = (name, type, initializer, site)
    }
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

    /// The outputs' declared names (`-> (hidden: [b t m], …)`), one per output or empty;
    /// nil where an output is unnamed.
    public var outputNames: [String?] = []

    /// The regions; instructions refer to them by index.
    public var regions: [Region]

    /// Creates a function.
    public init(
      name: String, inputs: [(name: String, type: TensorType)], parameters: [Parameter],
      instructions: [Instruction], outputs: [Value], regions: [Region]
    ) {
      (self.name, self.inputs, self.parameters) = (name, inputs, parameters)
      (self.instructions, self.outputs, self.regions) = (instructions, outputs, regions)
    }

    /// The type of `v`.
    public func type(of v: Value) -> TensorType { instructions[v.index].type }

    /// The declared name of output `i`, if it has one.
    public func outputName(_ i: Int) -> String? { i < outputNames.count ? outputNames[i] : nil }

    /// The name a file of output `i` takes (before its extension): the declared name
    /// (`-> (hidden: [b t m], …)`), else `output_<i>`.
    public func outputFileStem(_ i: Int) -> String { outputName(i) ?? "output_\(i)" }
  }
}
