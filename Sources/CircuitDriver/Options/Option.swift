/// The failure to parse a subcommand's arguments: printed as `Error: <message>` with the
/// usage line, exit code 64.
struct UsageError: Error {

  /// The sentence printed after `Error:`.
  let message: String

  /// `The value 'v' is invalid for '<label>'` followed by `detail`.
  static func invalid(_ value: String, for label: String, _ detail: String = "") -> UsageError {
    UsageError(message: "The value '\(value)' is invalid for '\(label)'\(detail)")
  }
}

/// One option of a subcommand, described once: its names, its value, its help and what it
/// does to the subcommand's values. The parser (`Subcommand.parse`) and the help text
/// (`Subcommand.helpText`) are both made from these descriptions.
struct Option<Values> {

  /// Its spellings, short first: `["-o", "--output"]`.
  let names: [String]

  /// The value's placeholder in help (`<path>`); nil for a flag, which takes no value.
  let valueName: String?

  /// The help text; lines after the first continue the description.
  let help: String

  /// Whether the help lists it (`--color` is accepted everywhere but listed by few).
  let isListed: Bool

  /// Records the option in the values, validating its value (empty for a flag).
  let apply: (inout Values, String) throws(UsageError) -> Void

  /// An option that takes a value (`--name v`, `--name=v`); it may be repeated.
  static func value(
    _ names: String..., valueName: String, help: String, listed: Bool = true,
    _ apply: @escaping (inout Values, String) throws(UsageError) -> Void
  ) -> Option {
    Option(names: names, valueName: valueName, help: help, isListed: listed, apply: apply)
  }

  /// A flag: an option without a value.
  static func flag(
    _ names: String..., help: String, listed: Bool = true, _ set: @escaping (inout Values) -> Void
  ) -> Option {
    Option(names: names, valueName: nil, help: help, isListed: listed) { values, _ in set(&values) }
  }

  /// `-o, --output <path>`: the left column of the option's help line.
  var label: String {
    names.joined(separator: ", ") + (valueName.map { " " + $0 } ?? "")
  }
}
