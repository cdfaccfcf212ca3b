import CircuitDiagnostics

/// The `circuit` command: parses arguments and runs a subcommand.
public enum CommandLineTool {

  /// The tool's version.
  public static let version = "0.1.0"

  /// Exit codes (sysexits).
  public enum ExitCode {
    public static let ok: Int32 = 0
    public static let sourceErrors: Int32 = 1
    public static let usage: Int32 = 64
    public static let internalFailure: Int32 = 70
    public static let ioError: Int32 = 74
  }

  /// Runs the tool with the process's arguments and exits.
  public static func main() {
    let args = Array(CommandLine.arguments.dropFirst())
    var out = ""
    var err = ""
    let code = run(arguments: args, stdout: &out, stderr: &err, colored: nil, live: true)
    Platform.writeStandardOutput(out)
    Platform.writeStandardError(err)
    Platform.exit(code)
  }

  /// Runs the tool with `arguments`, writing to the given streams; returns the exit code.
  /// `colored` forces colour on or off (nil: on when standard error is a terminal).
  /// The command runs on a thread with a large stack (see `LargeStack`). `live` lets
  /// long commands (`train`) write progress to the process's streams as it happens.
  public static func run(
    arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?, live: Bool = false
  ) -> Int32 {
    let (code, out, err) = LargeStack.run {
      var out = ""
      var err = ""
      let code = dispatch(arguments: arguments, stdout: &out, stderr: &err, colored: colored, live: live)
      return (code, out, err)
    }
    stdout += out
    stderr += err
    return code
  }

  /// Runs the subcommand named by `arguments` on the current thread.
  static func dispatch(
    arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?, live: Bool = false
  ) -> Int32 {
    guard let first = arguments.first else {
      stdout += Help.overview
      return ExitCode.ok
    }
    switch first {
    case "-h", "--help":
      stdout += Help.overview
      return ExitCode.ok
    case "--version":
      stdout += "circuit \(version)\n"
      return ExitCode.ok
    case "help":
      guard let sub = arguments.dropFirst().first else {
        stdout += Help.overview
        return ExitCode.ok
      }
      guard let text = Help.text(for: sub) else {
        return usageError("Unknown subcommand '\(sub)'", usage: Help.usageLine, stderr: &stderr)
      }
      stdout += text
      return ExitCode.ok
    case "check":
      return CheckCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "run":
      return RunCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "grad":
      return GradCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "train":
      return TrainCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored, live: live)
    case "params":
      return ParamsCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "emit-c":
      return EmitCCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "build":
      return BuildCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "bench":
      return BenchCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "dump-ir":
      return DumpIRCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "cost":
      return CostCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "export":
      return ExportCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "render":
      return RenderCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    case "lsp":
      return LspCommand.run(Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr)
    case "fmt":
      return FmtCommand.run(
        Array(arguments.dropFirst()), stdout: &stdout, stderr: &stderr, colored: colored)
    default:
      if first.hasPrefix("-") {
        return usageError("Unknown option '\(first)'", usage: Help.usageLine, stderr: &stderr)
      }
      return usageError("Unknown subcommand '\(first)'", usage: Help.usageLine, stderr: &stderr)
    }
  }

  /// Prints `Error: message` and the usage line; returns the usage exit code.
  static func usageError(_ message: String, usage: String, stderr: inout String) -> Int32 {
    stderr += "Error: \(message)\n\(usage)\n"
    return ExitCode.usage
  }
}
