/// `circuit dump-ir`: prints the entry circuit's IR.
enum DumpIRCommand {

  /// The options of `dump-ir`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    /// `--raw`: the IR before the passes.
    var raw = false
  }

  /// The description of `dump-ir`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "dump-ir", abstract: "Print a circuit's IR.",
      overview: "Print the IR of a circuit with its sizes specialised.",
      usage: "circuit dump-ir [options] <file.circuit>",
      options: [
        .entry, .size(), .constant,
        .flag("--raw", help: "Print the IR as lowered, before the passes.") { $0.raw = true },
        .stdlib(), .color(),
      ])
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    command.run(arguments, stdout: &stdout, stderr: &stderr, colored: colored) { options, session, out throws(Session.Failure) in
      out += try session.lowerEntry(raw: options.raw).text
      return CommandLineTool.ExitCode.ok
    }
  }
}
