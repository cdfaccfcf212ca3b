import CircuitDiagnostics
import CircuitPipeline

/// `circuit check`: type-checks files and prints signatures and parameters.
enum CheckCommand {

  /// The options of `check`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    /// `--types`: also list the type of every statement.
    var showTypes = false
  }

  /// The description of `check`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "check", abstract: "Type-check circuits; print signatures and parameters.",
      overview: "Type-check circuits; print each circuit's signature and parameters.",
      discussion: """
        For every circuit of each file, prints its signature with symbolic sizes and its
        parameter count. For the entry circuit (--entry, else 'main', else the last circuit),
        prints the signature with the sizes of the file's 'sizes { }' block and any --size
        options, and every parameter with its full name, shape and count.
        """,
      usage: "circuit check [options] <file.circuit>...",
      arguments: [("<file.circuit>", "The files to check.")],
      options: [
        .entry,
        .size(help: "Fix a size (repeatable); overrides 'sizes { }'."), .constant,
        .flag("--types", help: "Also print the type of every statement, symbolically.") { $0.showTypes = true },
        .stdlib(help: "Directory searched for 'import name' (before $CIRCUIT_STDLIB)."),
        .color(help: "auto, always or never (default: auto)."),
      ],
      footer: """
        EXIT STATUS: 0 ok, 1 errors in the source, 64 usage error, 70 internal failure,
        74 I/O error.
        """,
      files: .oneOrMore)
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    let parsed = command.parse(arguments, stdout: &stdout, stderr: &stderr)
    guard case .values(let options) = parsed else { return parsed.exitCode }
    let common = options.common
    let renderer = DiagnosticRenderer(colored: common.color ?? colored ?? Platform.prefersColor)
    let stdlib = StdlibLocator.searchPath(flag: common.stdlib)
    var code = CommandLineTool.ExitCode.ok
    for (n, path) in common.files.enumerated() {
      let compilation: Compilation
      do throws(SourceReader.Failure) {
        compilation = try Compilation.load(path: path, stdlibPath: stdlib, reader: Platform.sourceReader)
      } catch {
        stderr += "Error: \(error)\n"
        code = CommandLineTool.ExitCode.ioError
        continue
      }
      var log = compilation.log
      var report = ""
      if !log.hasErrors {
        report = CheckReport.make(compilation, entryName: common.entry, given: common.sizes, constants: common.constants, log: &log)
        if options.showTypes { report += "\n" + TypesReport.make(compilation) }
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
