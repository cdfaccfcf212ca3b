/// Options shared by the subcommands that read circuit files.
struct CommonOptions {

  /// The files to process.
  var files: [String] = []

  /// The entry circuit's name.
  var entry: String? = nil

  /// Sizes given with `--size name=value`, in order.
  var sizes: [(String, Int)] = []

  /// The `--stdlib` directory.
  var stdlib: String? = nil

  /// `--color`: nil for auto.
  var color: Bool? = nil

  /// Whether `--help` was given.
  var help = false

  /// The failure to parse the arguments.
  struct UsageError: Error {

    /// The sentence printed after `Error:`.
    let message: String
  }

  /// Parses `arguments`; `extra` handles subcommand-specific options and returns how many
  /// arguments it consumed (0 when it does not know the option).
  static func parse(
    _ arguments: [String], extra: (String, String?) throws(UsageError) -> Int = { _, _ in 0 }
  ) throws(UsageError) -> CommonOptions {
    var o = CommonOptions()
    var i = 0
    func value(_ name: String) throws(UsageError) -> String {
      guard i + 1 < arguments.count else {
        throw UsageError(message: "Missing value for '\(name)'")
      }
      i += 1
      return arguments[i]
    }
    while i < arguments.count {
      var a = arguments[i]
      var inline: String? = nil
      if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
        inline = String(a[a.index(after: eq)...])
        a = String(a[..<eq])
      }
      func v(_ name: String) throws(UsageError) -> String {
        if let x = inline { return x }
        return try value(name)
      }
      switch a {
      case "-h", "--help": o.help = true
      case "--entry": o.entry = try v(a)
      case "--stdlib": o.stdlib = try v(a)
      case "--size":
        let s = try v(a)
        guard let eq = s.firstIndex(of: "="), let n = Int(s[s.index(after: eq)...]), n > 0,
          !s[..<eq].isEmpty
        else {
          throw UsageError(
            message: "The value '\(s)' is invalid for '--size <name=value>' (value must be a positive integer)")
        }
        o.sizes.append((String(s[..<eq]), n))
      case "--color":
        switch try v(a) {
        case "auto": o.color = nil
        case "always": o.color = true
        case "never": o.color = false
        case let other:
          throw UsageError(message: "The value '\(other)' is invalid for '--color <auto|always|never>'")
        }
      default:
        if a.hasPrefix("-") && a != "-" {
          let n = try extra(a, i + 1 < arguments.count ? arguments[i + 1] : nil)
          guard n > 0 else { throw UsageError(message: "Unknown option '\(arguments[i])'") }
          i += n - 1
        } else {
          o.files.append(a)
        }
      }
      i += 1
    }
    return o
  }
}

extension CommonOptions {

  /// The outcome of parsing a one-file subcommand's arguments.
  enum Parsed {
    /// Go on with these options.
    case options(CommonOptions)
    /// Stop with this exit code (help was printed, or a usage error).
    case exit(Int32)
  }

  /// Parses the arguments of a subcommand that takes exactly one file: prints `help` for
  /// `--help`, and `Error:` with `usage` for bad arguments.
  static func parseSingleFile(
    _ arguments: [String], usage: String, help: String, stdout: inout String,
    stderr: inout String,
    extra: (String, String?) throws(UsageError) -> Int = { _, _ in 0 }
  ) -> Parsed {
    let common: CommonOptions
    do throws(UsageError) {
      common = try parse(arguments, extra: extra)
    } catch {
      return .exit(CommandLineTool.usageError(error.message, usage: usage, stderr: &stderr))
    }
    if common.help {
      stdout += help
      return .exit(CommandLineTool.ExitCode.ok)
    }
    guard common.files.count == 1 else {
      return .exit(
        CommandLineTool.usageError(
          common.files.isEmpty
            ? "Missing expected argument '<file.circuit>'" : "Expected one file, got \(common.files.count)",
          usage: usage, stderr: &stderr))
    }
    return .options(common)
  }
}
