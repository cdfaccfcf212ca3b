import CircuitDiagnostics
import CircuitFormat
import TensorRuntime

/// `circuit fmt`: rewrites files (or directories of them) in the canonical layout.
enum FmtCommand {

  /// The options of `fmt`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    /// `--check`: report unformatted files instead of rewriting them.
    var check = false
  }

  /// The description of `fmt`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "fmt", abstract: "Format circuit files in the canonical layout.",
      overview: "Format circuit files (or every .circuit file under directories) in place.",
      discussion: """
        The canonical layout: four spaces per block, one more for a line continuing a
        statement, canonical spaces between tokens, at most one blank line in a row, the
        trailing comments of consecutive lines aligned. Tokens, line breaks and comments are
        kept. A file with syntax errors is reported and left unchanged. Formatting twice
        changes nothing.
        """,
      usage: "circuit fmt [--check] <file.circuit|directory>...",
      arguments: [("<file.circuit|directory>", "Files, or directories searched for .circuit files.")],
      options: [
        .flag("--check", help: "Change nothing; list unformatted files, exit 1 if any.") { $0.check = true },
        .color(help: "auto, always or never (default: auto)."),
      ],
      footer: """
        EXIT STATUS: 0 ok (with --check: all formatted), 1 syntax errors or (with --check)
        unformatted files, 64 usage error, 74 I/O error.
        """,
      files: .oneOrMore)
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    let parsed = command.parse(arguments, stdout: &stdout, stderr: &stderr)
    guard case .values(let options) = parsed else { return parsed.exitCode }
    let renderer = DiagnosticRenderer(colored: options.common.color ?? colored ?? Platform.prefersColor)
    var code = CommandLineTool.ExitCode.ok
    /// Records `failure` as the exit code unless an earlier one was recorded.
    func fail(_ failure: Int32) { if code == CommandLineTool.ExitCode.ok { code = failure } }
    for path in expand(options.common.files, stderr: &stderr, failed: { fail(CommandLineTool.ExitCode.ioError) }) {
      let file: SourceFile
      do throws(Platform.IOError) {
        file = SourceFile(name: path, bytes: try Platform.readFile(path))
      } catch {
        stderr += "Error: \(error)\n"
        fail(CommandLineTool.ExitCode.ioError)
        continue
      }
      switch Formatter.format(file) {
      case .failure(.syntaxErrors(let diagnostics)):
        var log = DiagnosticLog()
        for d in diagnostics { log.report(d) }
        stderr += renderer.render(log)
        stderr += "Error: \(path): not formatted (syntax errors); left unchanged\n"
        fail(CommandLineTool.ExitCode.sourceErrors)
      case .failure(.notPreserved(let range)):
        let (line, column) = range.lineAndColumn
        stderr += "Error: \(path):\(line):\(column): formatting would change the program here; left unchanged\n"
        fail(CommandLineTool.ExitCode.internalFailure)
      case .success(let text) where text == file.text:
        continue
      case .success(let text):
        if options.check {
          stdout += "\(path): not formatted\n"
          fail(CommandLineTool.ExitCode.sourceErrors)
          continue
        }
        do throws(TensorFileError) {
          try AtomicFile.write(Array(text.utf8), to: path)
          stdout += "formatted \(path)\n"
        } catch {
          stderr += "Error: \(error)\n"
          fail(CommandLineTool.ExitCode.ioError)
        }
      }
    }
    return code
  }

  /// The files named by `arguments`: files as given, directories replaced by their `.circuit`
  /// files; a path that is neither is reported.
  static func expand(_ arguments: [String], stderr: inout String, failed: () -> Void) -> [String] {
    var paths: [String] = []
    for argument in arguments {
      if Platform.isDirectory(argument) {
        guard let found = Platform.files(under: argument, withSuffix: ".circuit") else {
          stderr += "Error: \(argument): cannot read the directory\n"
          failed()
          continue
        }
        paths += found
      } else if Platform.isFile(argument) {
        paths.append(argument)
      } else {
        stderr += "Error: \(argument): no such file or directory\n"
        failed()
      }
    }
    return paths
  }
}
