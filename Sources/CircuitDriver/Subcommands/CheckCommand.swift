import CircuitDiagnostics
import CircuitSema

/// `circuit check`: type-checks files and prints signatures and parameters.
enum CheckCommand {

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    let options: CommonOptions
    var showTypes = false
    do throws(CommonOptions.UsageError) {
      options = try CommonOptions.parse(arguments) { name, _ in
        guard name == "--types" else { return 0 }
        showTypes = true
        return 1
      }
    } catch {
      return CommandLineTool.usageError(
        error.message, usage: "Usage: circuit check [options] <file.circuit>...", stderr: &stderr)
    }
    if options.help {
      stdout += Help.check
      return CommandLineTool.ExitCode.ok
    }
    guard !options.files.isEmpty else {
      return CommandLineTool.usageError(
        "Missing expected argument '<file.circuit>'",
        usage: "Usage: circuit check [options] <file.circuit>...", stderr: &stderr)
    }
    let renderer = DiagnosticRenderer(
      colored: options.color ?? colored ?? Platform.prefersColor)
    let stdlib = StdlibLocator.searchPath(flag: options.stdlib)
    var code = CommandLineTool.ExitCode.ok
    for (n, path) in options.files.enumerated() {
      let compilation: Compilation
      do throws(Platform.IOError) {
        compilation = try Compilation.load(path: path, stdlibPath: stdlib)
      } catch {
        stderr += "Error: \(error)\n"
        code = CommandLineTool.ExitCode.ioError
        continue
      }
      var log = compilation.log
      var report = ""
      if !log.hasErrors {
        report = CheckReport.make(compilation, options: options, log: &log)
        if showTypes { report += "\n" + TypesReport.make(compilation) }
      }
      if n > 0 && !report.isEmpty { stdout += "\n" }
      stdout += report
      stderr += renderer.render(log)
      if log.hasErrors && code == CommandLineTool.ExitCode.ok {
        code = CommandLineTool.ExitCode.sourceErrors
      }
    }
    return code
  }
}
