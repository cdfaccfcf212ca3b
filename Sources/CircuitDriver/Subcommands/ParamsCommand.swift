import CircuitIR
import CircuitSema

/// `circuit params`: lists the entry circuit's parameters with full names, shapes and counts.
enum ParamsCommand {

  /// The usage line.
  static let usage = "Usage: circuit params [options] <file.circuit>"

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    let common: CommonOptions
    switch CommonOptions.parseSingleFile(
      arguments, usage: usage, help: Help.params, stdout: &stdout, stderr: &stderr)
    {
    case .exit(let code): return code
    case .options(let o): common = o
    }
    let session = Session(common: common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let f = try session.lowerEntry()
      let width = f.parameters.map(\.name.count).max() ?? 0
      // Lowering refuses element counts that overflow, so the sum is the checker's total.
      let total = IR.TensorType.checkedSum(f.parameters.map(\.type.count))
      for p in f.parameters {
        let pad = String(repeating: " ", count: width - p.name.count)
        stdout += "\(p.name)\(pad)  \(p.type)  \(CheckReport.formatCount(.init(p.type.count)))\n"
      }
      stdout += "total: \(f.parameters.count) tensor\(f.parameters.count == 1 ? "" : "s"), \(CheckReport.formatCount(total.map(Size.init))) values\n"
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }
}
