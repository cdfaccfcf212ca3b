import CircuitCodeGenC
import CircuitIR

/// `circuit emit-c`: writes the entry circuit as one self-contained C file.
enum EmitCCommand {

  /// The usage line.
  static let usage = "Usage: circuit emit-c [options] <file.circuit> [-o <file.c>]"

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    var codegen = CodeGenOptions()
    let common: CommonOptions
    switch CommonOptions.parseSingleFile(
      arguments, usage: usage, help: Help.emitC, stdout: &stdout, stderr: &stderr,
      extra: { name, value throws(CommonOptions.UsageError) in try codegen.parse(name, value) })
    {
    case .exit(let code): return code
    case .options(let o): common = o
    }
    let session = Session(common: common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let f = try session.lowerEntry()
      let program = CEmitter.emit(f, plan: .preset(codegen.preset, for: f, threads: codegen.threads))
      guard let path = codegen.output, path != "-" else {
        stdout += program.source
        return CommandLineTool.ExitCode.ok
      }
      try session.writeOutput(Array(program.source.utf8), to: path)
      stderr += "wrote \(path): entry \(program.entrySymbol), arena \(program.peakBytes) bytes at peak "
        + "(\(program.unsharedBytes) without reuse)\n"
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }
}
