/// The help texts, in argument-parser layout: the overview here, each subcommand's from its
/// declarative description (`Subcommand.helpText`).
enum Help {

  /// The one-line usage of the tool.
  static let usageLine = "Usage: circuit <subcommand> [options] <file.circuit>...\n  See 'circuit --help'."

  /// A subcommand's name, one-line summary and help text.
  typealias Summary = (name: String, abstract: String, text: String)

  /// Every subcommand, in the order `circuit --help` lists them.
  static var subcommands: [Summary] {
    [
      CheckCommand.command.summary, RunCommand.command.summary, GradCommand.command.summary,
      TrainCommand.command.summary, ParamsCommand.command.summary,
      DumpIRCommand.command.summary, RenderCommand.command.summary, EmitCCommand.command.summary,
      BuildCommand.command.summary, ExportCommand.command.summary, BenchCommand.command.summary,
      CostCommand.command.summary, FmtCommand.command.summary, LspCommand.command.summary,
    ]
  }

  /// `circuit --help`.
  static var overview: String {
    """
    OVERVIEW: A language and compiler for neural circuit diagrams.

    USAGE: circuit <subcommand> [options] <file.circuit>...

    SUBCOMMANDS:

    """
      + subcommands.map { HelpLayout.line($0.name, $0.abstract) }.joined()
      + HelpLayout.line("help <subcommand>", "Show help for a subcommand.")
      + """

      OPTIONS:

      """
      + HelpLayout.line("--version", "Show the version.")
      + HelpLayout.line("-h, --help", "Show help information.")
      + "\nSee 'circuit help <subcommand>' for detailed help.\n"
  }

  /// The help of `subcommand`, if it exists.
  static func text(for subcommand: String) -> String? {
    if subcommand == "help" { return overview }
    return subcommands.first { $0.name == subcommand }?.text
  }
}

extension Subcommand {

  /// The subcommand's name, one-line summary and help text.
  var summary: Help.Summary { (name, abstract, helpText) }
}
