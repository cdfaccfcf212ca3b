import CircuitExport
import CircuitIR

extension Session {

  /// Runs `export`: lowers the entry and writes it in the chosen format; returns the exit code.
  func export(_ options: ExportCommand.Options, stdout: inout String) throws(Failure) -> Int32 {
    guard let format = options.format else {
      throw fail("choose a format: --jax or --onnx", CommandLineTool.ExitCode.usage)
    }
    let source = common.files[0]
    switch format {
    case .jax:
      let f = try lowerEntry()
      let text = try exported { () throws(ExportError) in
        try JAXExporter.export(f, options: JAXExporter.Options(source: source))
      }
      guard let path = options.output, path != "-" else {
        stdout += text
        return CommandLineTool.ExitCode.ok
      }
      try writeOutput(Array(text.utf8), to: path)
      stderr += "wrote \(path): \(f.name) with \(f.parameters.count) parameters, \(f.inputs.count) inputs\n"
    case .onnx:
      throw fail("--onnx is not available yet", CommandLineTool.ExitCode.usage)
    }
    return CommandLineTool.ExitCode.ok
  }

  /// The result of `make`, or an `Error:` line (exit 1) naming the op and its source location.
  func exported<T>(_ make: () throws(ExportError) -> T) throws(Failure) -> T {
    do throws(ExportError) {
      return try make()
    } catch {
      guard let site = error.site else { throw fail(error.message, CommandLineTool.ExitCode.sourceErrors) }
      let (line, column) = site.lineAndColumn
      throw fail("\(site.file.name):\(line):\(column): \(error.message)", CommandLineTool.ExitCode.sourceErrors)
    }
  }
}
