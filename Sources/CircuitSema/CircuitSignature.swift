import CircuitDiagnostics
import CircuitSyntax

/// The interface of a circuit: its size parameters, inputs and outputs with symbolic sizes.
public struct CircuitSignature: Sendable, CustomStringConvertible {

  /// The circuit's name.
  public let name: String

  /// The size parameters in brackets, in order.
  public let sizeParameters: [String]

  /// The inputs with their types.
  public let inputs: [(name: String, type: TensorType)]

  /// The scalar constants with their defaults, passed by label.
  public let constants: [(name: String, defaultValue: Double)]

  /// The output types.
  public let outputs: [TensorType]

  /// The outputs' names, one per output (nil where unnamed).
  public let outputNames: [String?]

  /// The axis names of inputs and outputs, in order of first appearance.
  public let axisNames: [String]

  /// The symbols a caller must supply: axis sizes and size parameters.
  public let freeSymbols: Set<String>

  /// `Name[s, N](X: [b c h w], eps: f32 = 1e-05) -> (y: [b c' h' w'], [b])`.
  public var description: String {
    let params = sizeParameters.isEmpty ? "" : "[" + sizeParameters.joined(separator: ", ") + "]"
    let ins = (inputs.map { "\($0.name): \($0.type)" }
      + constants.map { "\($0.name): f32 = \(Float($0.defaultValue))" }).joined(separator: ", ")
    let named = zip(outputs, outputNames).map { t, n in n.map { "\($0): \(t)" } ?? t.description }
    let outs = outputs.count == 1 && outputNames[0] == nil ? named[0] : "(" + named.joined(separator: ", ") + ")"
    return "\(name)\(params)(\(ins)) -> \(outs)"
  }

  /// The signature with every size evaluated under `bindings`.
  public func substituting(_ bindings: [String: Size]) -> CircuitSignature {
    CircuitSignature(
      name: name, sizeParameters: sizeParameters,
      inputs: inputs.map { ($0.name, (try? $0.type.substituting(bindings)) ?? $0.type) },
      constants: constants, outputs: outputs.map { (try? $0.substituting(bindings)) ?? $0 },
      outputNames: outputNames, axisNames: axisNames,
      freeSymbols: freeSymbols)
  }
}
