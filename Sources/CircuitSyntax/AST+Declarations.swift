import CircuitDiagnostics

/// A parsed source file.
public struct SourceUnit: Sendable {

  /// The file.
  public let file: SourceFile

  /// The top-level items in order.
  public let items: [Item]

  /// Creates a unit.
  public init(file: SourceFile, items: [Item]) {
    self.file = file
    self.items = items
  }
}

/// A top-level item.
public enum Item: Sendable {
  case importDecl(ImportDecl)
  case sizes(SizesBlock)
  case sizeDecl(SizeDecl)
  case bundle(BundleDecl)
  case circuit(CircuitDecl)
}

/// `import attention` or `import "./blocks.circuit"`.
public struct ImportDecl: Sendable {

  /// The module name or the quoted path.
  public let target: String

  /// Whether the target was a quoted path.
  public let isPath: Bool

  /// Where the import is written.
  public let range: SourceRange

  /// Creates an import.
  public init(target: String, isPath: Bool, range: SourceRange) {
    self.target = target
    self.isPath = isPath
    self.range = range
  }
}

/// `sizes { y = 16, k = 64 }`: default sizes for running without flags.
public struct SizesBlock: Sendable {

  /// The assignments in order.
  public let entries: [(Identifier, SizeExpr)]

  /// Where the block is written.
  public let range: SourceRange

  /// Creates a block.
  public init(entries: [(Identifier, SizeExpr)], range: SourceRange) {
    self.entries = entries
    self.range = range
  }
}

/// `size nb = n1 / 4` or `size c[i] = 64 * 2^i`: a derived size (legend entry).
public struct SizeDecl: Sendable {

  /// The size's name.
  public let name: Identifier

  /// The index variable of a size family.
  public let index: Identifier?

  /// The definition.
  public let value: SizeExpr

  /// Where the declaration is written.
  public let range: SourceRange

  /// Creates a declaration.
  public init(name: Identifier, index: Identifier?, value: SizeExpr, range: SourceRange) {
    self.name = name
    self.index = index
    self.value = value
    self.range = range
  }
}

/// `axes P = (h w)`: an axis bundle.
public struct BundleDecl: Sendable {

  /// The bundle's name.
  public let name: Identifier

  /// The member axes in order.
  public let members: [AxisItem]

  /// Where the declaration is written.
  public let range: SourceRange

  /// Creates a bundle.
  public init(name: Identifier, members: [AxisItem], range: SourceRange) {
    self.name = name
    self.members = members
    self.range = range
  }
}

/// An input of a circuit: `Q: [y k]`.
public struct InputDecl: Sendable {

  /// The input's name.
  public let name: Identifier

  /// The input's type.
  public let type: TensorTypeExpr

  /// Creates an input.
  public init(name: Identifier, type: TensorTypeExpr) {
    self.name = name
    self.type = type
  }
}

/// A scalar constant of a circuit with its default: `eps: f32 = 1e-5`. Callers pass it by
/// label (`LayerNorm(X, eps: 1e-12)`); inside the body it is an `f32[]` value that counts as
/// a constant (usable as `eps:` of `layernorm`).
public struct ConstantDecl: Sendable {

  /// The constant's name.
  public let name: Identifier

  /// The written element type (the checker accepts only `f32`).
  public let type: Identifier

  /// The default value.
  public let defaultValue: Double

  /// Where the declaration is written.
  public let range: SourceRange

  /// Creates a constant.
  public init(name: Identifier, type: Identifier, defaultValue: Double, range: SourceRange) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.range = range
  }
}

/// An output of a circuit: its type and optional name (`hidden: [b t m]`).
public struct OutputDecl: Sendable {

  /// The output's name, if given.
  public let name: Identifier?

  /// The output's type.
  public let type: TensorTypeExpr

  /// Creates an output.
  public init(name: Identifier?, type: TensorTypeExpr) {
    self.name = name
    self.type = type
  }
}

/// `circuit Name[s, N](X: [c0 P]) -> [c1 P'] { … }`.
public struct CircuitDecl: Sendable {

  /// The circuit's name.
  public let name: Identifier

  /// The size parameters in brackets.
  public let sizeParameters: [Identifier]

  /// The inputs.
  public let inputs: [InputDecl]

  /// The scalar constants, in order of declaration (passed by label).
  public let constants: [ConstantDecl]

  /// The output types (one or a tuple).
  public let outputs: [TensorTypeExpr]

  /// The outputs' names, one per output (nil where unnamed).
  public let outputNames: [Identifier?]

  /// The body.
  public let body: [Stmt]

  /// Where the whole declaration is written.
  public let range: SourceRange

  /// Creates a circuit.
  public init(
    name: Identifier, sizeParameters: [Identifier], inputs: [InputDecl],
    constants: [ConstantDecl] = [], outputs: [OutputDecl], body: [Stmt], range: SourceRange
  ) {
    self.name = name
    self.sizeParameters = sizeParameters
    self.inputs = inputs
    self.constants = constants
    self.outputs = outputs.map(\.type)
    self.outputNames = outputs.map(\.name)
    self.body = body
    self.range = range
  }
}
