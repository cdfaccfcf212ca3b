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

  /// The output types.
  public let outputs: [TensorType]

  /// The axis names of inputs and outputs, in order of first appearance.
  public let axisNames: [String]

  /// The symbols a caller must supply: axis sizes and size parameters.
  public let freeSymbols: Set<String>

  /// `Name[s, N](X: [b c h w]) -> [b c' h' w']`.
  public var description: String {
    let params = sizeParameters.isEmpty ? "" : "[" + sizeParameters.joined(separator: ", ") + "]"
    let ins = inputs.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
    let outs =
      outputs.count == 1
      ? outputs[0].description : "(" + outputs.map(\.description).joined(separator: ", ") + ")"
    return "\(name)\(params)(\(ins)) -> \(outs)"
  }

  /// The signature with every size evaluated under `bindings`.
  public func substituting(_ bindings: [String: Size]) -> CircuitSignature {
    CircuitSignature(
      name: name, sizeParameters: sizeParameters,
      inputs: inputs.map { ($0.name, (try? $0.type.substituting(bindings)) ?? $0.type) },
      outputs: outputs.map { (try? $0.substituting(bindings)) ?? $0 }, axisNames: axisNames,
      freeSymbols: freeSymbols)
  }
}
