/// The values every subcommand's options are parsed into: its own, and the common ones.
protocol SubcommandValues {

  /// The defaults.
  init()

  /// The options shared by every subcommand (files, entry, sizes, …).
  var common: CommonOptions { get set }
}

/// A subcommand described declaratively: the texts of its help, its options and how many
/// files it takes. One parser and one help layout serve every subcommand.
struct Subcommand<Values: SubcommandValues> {

  /// How many files the subcommand takes.
  enum Files {
    /// Exactly one; the message for a given count of more than one.
    case one(tooMany: (Int) -> String)
    /// One or more.
    case oneOrMore
    /// None (a server reading its standard input).
    case none
  }

  /// The name (`emit-c`).
  let name: String

  /// The one-line summary in `circuit --help`.
  let abstract: String

  /// The text after `OVERVIEW:`.
  let overview: String

  /// Paragraphs between the overview and the usage, if any.
  var discussion: String? = nil

  /// The usage without `Usage:` (`circuit run [options] <file.circuit>`).
  let usage: String

  /// The `ARGUMENTS:` section's lines (label, help), if any.
  var arguments: [(label: String, help: String)] = []

  /// The options, in the order the help lists them (`-h, --help` is added last).
  let options: [Option<Values>]

  /// A paragraph after the options, if any.
  var footer: String? = nil

  /// How many files it takes.
  var files: Files = .one(tooMany: { "Expected one file, got \($0)" })

  /// The outcome of parsing a subcommand's arguments.
  enum Parsed {
    /// Go on with these values.
    case values(Values)
    /// Stop with this exit code (help was printed, or a usage error).
    case exit(Int32)

    /// The code to stop with (`ok` when parsing succeeded).
    var exitCode: Int32 {
      if case .exit(let code) = self { return code }
      return CommandLineTool.ExitCode.ok
    }
  }

  /// Parses `arguments`: prints the help for `-h`/`--help`, and `Error:` with the usage line
  /// for bad arguments.
  func parse(_ arguments: [String], stdout: inout String, stderr: inout String) -> Parsed {
    let values: Values
    do throws(UsageError) {
      values = try parse(arguments)
    } catch {
      return .exit(CommandLineTool.usageError(error.message, usage: "Usage: " + usage, stderr: &stderr))
    }
    if values.common.help {
      stdout += helpText
      return .exit(CommandLineTool.ExitCode.ok)
    }
    return .values(values)
  }

  /// The values of `arguments`, checked: options as `--name value`, `--name=value` or flags in
  /// any order with the files; after `--` every argument is a file.
  func parse(_ arguments: [String]) throws(UsageError) -> Values {
    var values = Values()
    var i = 0
    var onlyFiles = false
    while i < arguments.count {
      let argument = arguments[i]
      i += 1
      if onlyFiles || !argument.hasPrefix("-") || argument == "-" {
        values.common.files.append(argument)
        continue
      }
      if argument == "--" {
        onlyFiles = true
        continue
      }
      var name = argument
      var inline: String? = nil
      if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
        name = String(argument[..<eq])
        inline = String(argument[argument.index(after: eq)...])
      }
      if (name == "-h" || name == "--help") && inline == nil {
        values.common.help = true
        continue
      }
      guard let option = options.first(where: { $0.names.contains(name) }) else {
        throw UsageError(message: "Unknown option '\(argument)'")
      }
      guard option.valueName != nil else {
        guard inline == nil else { throw UsageError(message: "The flag '\(name)' does not take a value") }
        try option.apply(&values, "")
        continue
      }
      if let inline {
        try option.apply(&values, inline)
      } else {
        guard i < arguments.count else { throw UsageError(message: "Missing value for '\(name)'") }
        try option.apply(&values, arguments[i])
        i += 1
      }
    }
    if values.common.help { return values }
    let count = values.common.files.count
    switch files {
    case .oneOrMore where count == 0, .one where count == 0:
      throw UsageError(message: "Missing expected argument '<file.circuit>'")
    case .none where count > 0:
      throw UsageError(message: "Unexpected argument '\(values.common.files[0])'")
    case .one(let tooMany) where count > 1:
      throw UsageError(message: tooMany(count))
    default:
      return values
    }
  }
}

extension Subcommand {

  /// Parses `arguments` and runs `body` with the values and a session on the file; the
  /// session's standard error is appended to `stderr`. Returns the exit code: `body`'s, or
  /// the code of the `Session.Failure` it throws.
  func run(
    _ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?,
    _ body: (Values, Session, inout String) throws(Session.Failure) -> Int32
  ) -> Int32 {
    let parsed = parse(arguments, stdout: &stdout, stderr: &stderr)
    guard case .values(let values) = parsed else { return parsed.exitCode }
    let session = Session(common: values.common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      return try body(values, session, &stdout)
    } catch {
      return error.code
    }
  }
}
