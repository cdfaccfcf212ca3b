/// Options shared by the subcommands that read circuit files.
struct CommonOptions {

  /// The files to process.
  var files: [String] = []

  /// The entry circuit's name.
  var entry: String? = nil

  /// Sizes given with `--size name=value`, in order.
  var sizes: [(String, Int)] = []

  /// The entry's scalar constants given with `--const name=value`, in order.
  var constants: [(String, Double)] = []

  /// The `--stdlib` directory.
  var stdlib: String? = nil

  /// `--color`: nil for auto.
  var color: Bool? = nil

  /// Whether `--help` was given.
  var help = false
}

extension Option where Values: SubcommandValues {

  /// `--entry <name>`.
  static var entry: Option {
    .value("--entry", valueName: "<name>", help: "The entry circuit.") { values, v in values.common.entry = v }
  }

  /// `--size <name=value>`, repeatable.
  static func size(help: String = "Fix a size (repeatable).") -> Option {
    .value("--size", valueName: "<name=value>", help: help) { values, s throws(UsageError) in
      guard let eq = s.firstIndex(of: "="), let n = Int(s[s.index(after: eq)...]), n >= 0, !s[..<eq].isEmpty
      else {
        throw .invalid(s, for: "--size <name=value>", " (value must be an integer, at least 0)")
      }
      values.common.sizes.append((String(s[..<eq]), n))
    }
  }

  /// `--const <name=value>`, repeatable: sets one of the entry circuit's `f32` constants.
  static var constant: Option {
    .value("--const", valueName: "<name=value>", help: "Set a constant of the entry circuit (repeatable).") {
      values, s throws(UsageError) in
      guard let eq = s.firstIndex(of: "="), !s[..<eq].isEmpty, let v = Double(s[s.index(after: eq)...]),
        v.isFinite, Float(v).isFinite
      else {
        throw .invalid(s, for: "--const <name=value>", " (value must be a finite f32 number, e.g. eps=1e-12)")
      }
      values.common.constants.append((String(s[..<eq]), v))
    }
  }

  /// `--stdlib <dir>`.
  static func stdlib(help: String = "Directory searched for 'import name'.") -> Option {
    .value("--stdlib", valueName: "<dir>", help: help) { values, v in values.common.stdlib = v }
  }

  /// `--color <when>`; listed only where `help` is given.
  static func color(help: String? = nil) -> Option {
    .value("--color", valueName: "<when>", help: help ?? "", listed: help != nil) { values, v throws(UsageError) in
      switch v {
      case "auto": values.common.color = nil
      case "always": values.common.color = true
      case "never": values.common.color = false
      default: throw .invalid(v, for: "--color <auto|always|never>")
      }
    }
  }
}
