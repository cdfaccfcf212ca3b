import CircuitIR
import TensorRuntime

/// Writes a lowered function as an ONNX model (opset 17): inputs as graph inputs, parameters
/// as initializers under their full names, one or a few nodes per op, outputs under their
/// declared names (`output_i` unnamed). Axes named in `dynamicAxes` (by source name: `b`
/// covers `b#1`) are symbolic dimensions (`dim_param`) of the graph's inputs and outputs;
/// an op that needs their size (a window over them, a split, a slice) is refused by name.
public struct ONNXExporter {

  /// The builder of the graph.
  var graph = ONNXGraphBuilder()

  /// The function exported.
  let function: IR.Function

  /// The source names of the symbolic axes.
  let dynamicAxes: Set<String>

  /// The ONNX name of each IR value computed so far.
  var names: [String] = []

  /// The symbolic axes of each IR value computed so far (by the value's axis names).
  var dynamic: [Set<String>] = []

  /// Windows not lowered yet: their one use lowers them (as `MaxPool`, `Conv`, or in the
  /// general form).
  var deferred: Set<Int> = []

  /// Prepares the export.
  init(_ function: IR.Function, dynamicAxes: Set<String>) {
    (self.function, self.dynamicAxes) = (function, dynamicAxes)
  }

  /// The encoded model of `function` with `parameters` (by full name) as initializers.
  public static func export(
    _ function: IR.Function, parameters: [String: Tensor], dynamicAxes: Set<String> = [], source: String
  ) throws(ExportError) -> [UInt8] {
    var e = ONNXExporter(function, dynamicAxes: dynamicAxes)
    for p in function.parameters {
      guard let t = parameters[p.name] else { throw ExportError("no value for parameter '\(p.name)'") }
      e.graph.tensor(t, name: p.name)
    }
    let fusable = ONNXExporter.fusableWindows(in: function)
    for (i, ins) in function.instructions.enumerated() {
      let d = try e.symbolicAxes(of: ins)
      e.dynamic.append(d)
      if fusable.contains(i) {
        e.deferred.insert(i)
        e.names.append("")
      } else if ins.operands.contains(where: { e.deferred.contains($0.index) }) {
        e.names.append(try e.lowerWithWindow(ins, index: i))
      } else {
        e.names.append(try e.lower(ins, index: i))
      }
    }
    var outputs: [ONNX.ValueInfo] = []
    var taken = Set(function.inputs.map(\.name) + e.graph.initializers.map(\.name) + e.graph.nodes.flatMap(\.outputs))
    for (i, v) in function.outputs.enumerated() {
      var name = function.outputName(i) ?? "output_\(i)"
      while taken.contains(name) { name += "_" }
      taken.insert(name)
      e.graph.add("Identity", [e.names[v.index]], output: name)
      outputs.append(e.valueInfo(name, function.type(of: v), e.dynamic[v.index]))
    }
    let inputs = function.inputs.map { e.valueInfo($0.name, $0.type, e.inputAxes($0.type)) }
    let graph = ONNX.Graph(
      nodes: e.graph.nodes, name: function.name, initializers: e.graph.initializers, inputs: inputs, outputs: outputs)
    let doc = "\(source): entry circuit \(function.name), exported by circuit export --onnx"
    return ONNX.Model(graph: graph, doc: doc).encoded.bytes
  }

  /// The source names of the inputs' axes of `f`: the axes `dynamicAxes` may name.
  public static func inputAxisNames(of f: IR.Function) -> Set<String> {
    Set(f.inputs.flatMap { $0.type.names.map(AxisPermutation.baseName) })
  }

  /// The axes of an input type that are symbolic.
  func inputAxes(_ t: IR.TensorType) -> Set<String> {
    Set(t.names.filter { dynamicAxes.contains(AxisPermutation.baseName($0)) })
  }

  /// The graph input or output `name` of type `t` with symbolic axes `d`.
  func valueInfo(_ name: String, _ t: IR.TensorType, _ d: Set<String>) -> ONNX.ValueInfo {
    ONNX.ValueInfo(
      name: name, type: ONNXExporter.dataType(t.element),
      dims: t.axes.map { d.contains($0.name) ? .parameter(AxisPermutation.baseName($0.name)) : .value($0.size) })
  }

  /// The ONNX element type of an IR element type.
  static func dataType(_ e: ElementType) -> ONNX.DataType {
    switch e {
    case .float32: .float
    case .int32: .int32
    case .bool: .bool
    }
  }
}
