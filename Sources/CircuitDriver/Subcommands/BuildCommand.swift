import CircuitCodeGenC
import CircuitIR
import CircuitNative

/// `circuit build`: compiles the entry circuit into a standalone executable (no Swift runtime)
/// that reads parameters from safetensors and inputs from `.npy` files and writes `.npy` outputs.
enum BuildCommand {

  /// The usage line.
  static let usage = "Usage: circuit build [options] <file.circuit> -o <executable>"

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    var codegen = CodeGenOptions()
    let common: CommonOptions
    switch CommonOptions.parseSingleFile(
      arguments, usage: usage, help: Help.build, stdout: &stdout, stderr: &stderr,
      extra: { name, value throws(CommonOptions.UsageError) in try codegen.parse(name, value) })
    {
    case .exit(let code): return code
    case .options(let o): common = o
    }
    guard let path = codegen.output, path != "-" else {
      return CommandLineTool.usageError("Missing '-o <executable>'", usage: usage, stderr: &stderr)
    }
    let session = Session(common: common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let f = try session.lowerEntry()
      try session.requireOutputPath(path)
      let program = CEmitter.emit(f, plan: .preset(codegen.preset, for: f, threads: codegen.threads))
      let source = CStandalone.source(for: f, program: program)
      let kept: String
      do throws(NativeError) {
        kept = try CCompiler(Session.compilerConfiguration).buildExecutable(source, to: path)
      } catch {
        throw session.fail("\(error)", CommandLineTool.ExitCode.internalFailure)
      }
      stderr += "wrote \(path): \(f.inputs.count) input\(f.inputs.count == 1 ? "" : "s"), "
        + "\(f.parameters.count) parameter\(f.parameters.count == 1 ? "" : "s"), "
        + "\(f.outputs.count) output\(f.outputs.count == 1 ? "" : "s"); C source \(kept)\n"
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }
}
