import CircuitIR
import CircuitPipeline

/// `circuit params`: lists the entry circuit's parameters with full names, shapes and counts.
enum ParamsCommand {

  /// The options of `params`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
  }

  /// The description of `params`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "params", abstract: "List a circuit's parameters with sizes.",
      overview: "List the entry circuit's parameters: full names, types and counts.",
      usage: "circuit params [options] <file.circuit>",
      options: [.entry, .size(), .constant, .stdlib(), .color()])
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    command.run(arguments, stdout: &stdout, stderr: &stderr, colored: colored) { options, session, stdout throws(Session.Failure) in
      let f = try session.lowerEntry()
      let width = f.parameters.map(\.name.count).max() ?? 0
      // Lowering refuses element counts that overflow, so the sum is the checker's total.
      let total = IR.TensorType.checkedSum(f.parameters.map(\.type.count))
      for p in f.parameters {
        let pad = String(repeating: " ", count: width - p.name.count)
        stdout += "\(p.name)\(pad)  \(p.type)  \(CheckReport.formatCount(p.type.count))\n"
      }
      stdout += "total: \(f.parameters.count) tensor\(f.parameters.count == 1 ? "" : "s"), \(CheckReport.formatCount(total)) values\n"
      return CommandLineTool.ExitCode.ok
    }
  }
}
