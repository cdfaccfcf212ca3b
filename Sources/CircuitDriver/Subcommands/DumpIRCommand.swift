/// `circuit dump-ir`: prints the entry circuit's IR.
enum DumpIRCommand {

  /// The usage line.
  static let usage = "Usage: circuit dump-ir [options] <file.circuit>"

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    var raw = false
    let common: CommonOptions
    let parsed = CommonOptions.parseSingleFile(
      arguments, usage: usage, help: Help.dumpIR, stdout: &stdout, stderr: &stderr
    ) { name, _ in
      guard name == "--raw" else { return 0 }
      raw = true
      return 1
    }
    switch parsed {
    case .exit(let code): return code
    case .options(let o): common = o
    }
    let session = Session(common: common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let f = try session.lowerEntry(raw: raw)
      stdout += f.text
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }
}
