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
    do throws(CommonOptions.UsageError) {
      common = try CommonOptions.parse(arguments) { name, _ in
        if name == "--raw" {
          raw = true
          return 1
        }
        return 0
      }
    } catch {
      return CommandLineTool.usageError(error.message, usage: usage, stderr: &stderr)
    }
    if common.help {
      stdout += Help.dumpIR
      return CommandLineTool.ExitCode.ok
    }
    guard common.files.count == 1 else {
      return CommandLineTool.usageError(
        "Missing expected argument '<file.circuit>'", usage: usage, stderr: &stderr)
    }
    let session = Session(common: common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let c = try session.compile()
      let f = try session.lower(c, try session.entry(of: c), raw: raw)
      stdout += f.text
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }
}
