import CircuitIR
import CircuitInterpreter
import CircuitPipeline
import TensorRuntime

extension Session {

  /// `run --dump DIR`: runs the entry lowered without passes (which may fold named values
  /// away) on the interpreter with `inputs` and `parameters`, and writes every value the
  /// source names (`NamedValues`) as `DIR/<instance path>.<variable>.npy`, the entry's input
  /// axes first (`NamedValues.readableOrder`), listed with its axes in `DIR/index.txt`;
  /// returns how many.
  func dumpNamedValues(
    _ c: Compilation, _ entry: Entry, inputs: [Tensor], parameters: [String: Tensor],
    inputShapes: [Int: [Int]], to dir: String
  ) throws(Failure) -> Int {
    let reported = stderr
    var f = try lower(c, entry, inputShapes: inputShapes, raw: true)
    stderr = reported  // the diagnostics of this second lowering were reported by the first
    let named = NamedValues.find(in: f, program: c.program)
    f.outputs = named.map(\.value)
    if !Platform.isDirectory(dir) && !Platform.makeDirectory(dir) {
      throw fail("\(dir): cannot create the dump directory", CommandLineTool.ExitCode.ioError)
    }
    let values: [Tensor]
    do throws(RuntimeError) {
      values = try Interpreter.run(f, inputs: inputs, parameters: parameters)
    } catch {
      throw fail(error.message, CommandLineTool.ExitCode.sourceErrors)
    }
    var index = ""
    for (n, t) in zip(named, values) {
      let type = f.type(of: n.value)
      let order = NamedValues.readableOrder(type, in: f)
      let arranged = try generate { () throws(TensorError) in try Kernels.permute(t, axes: order) }
      try writeOutput(NPY.write(arranged), to: Path.join(dir, n.name + ".npy"))
      index += "\(n.name).npy  \(NamedValues.sourceType(type.with(axes: order.map { type.axes[$0] })))\n"
    }
    try writeOutput(Array(index.utf8), to: Path.join(dir, "index.txt"))
    return named.count
  }
}
