import CircuitDiagnostics
import CircuitIR

/// Small hand-built IR functions for export tests.
enum ExportFixtures {

  /// A site for hand-built instructions.
  static var site: SourceRange {
    let file = SourceFile(name: "t.circuit", text: "x\n")
    return SourceRange(file, 0, 1)
  }

  /// `broadcast(x)`: an op of gradient programs only.
  static func broadcastFunction() -> IR.Function {
    let x = IR.TensorType(.float32, [IR.Axis("a", 2)])
    let y = IR.TensorType(.float32, [IR.Axis("a", 2), IR.Axis("c", 3)])
    return IR.Function(
      name: "main", inputs: [("x", x)], parameters: [],
      instructions: [
        IR.Instruction(op: .input(index: 0, name: "x"), operands: [], type: x, site: site, region: nil),
        IR.Instruction(op: .broadcast(axes: [IR.Axis("c", 3)]), operands: [IR.Value(0)], type: y, site: site, region: nil),
      ],
      outputs: [IR.Value(1)], regions: [])
  }
}
