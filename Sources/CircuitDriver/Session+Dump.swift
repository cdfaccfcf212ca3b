import CircuitIR
import CircuitInterpreter
import CircuitPipeline
import TensorRuntime

extension Session {

  /// `run --dump DIR`: runs the entry lowered without passes (which may fold named values
  /// away) on the interpreter with `inputs` and `parameters`, and writes every value the
  /// source names (`NamedValues`) as `DIR/<instance path>.<variable>.npy`; returns how many.
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
    for (n, t) in zip(named, values) { try writeOutput(NPY.write(t), to: Path.join(dir, n.name + ".npy")) }
    return named.count
  }
}
