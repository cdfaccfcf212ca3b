import CircuitCodeGenC

/// Options of the subcommands that generate C: `-o`, `--threads`, `--plan`.
struct CodeGenOptions {

  /// `-o`, `--output`: where to write.
  var output: String? = nil

  /// `--threads`: the size of the generated thread pool.
  var threads = 2

  /// `--plan`: the lowering plan preset.
  var preset = LoweringPlan.Preset.default

  /// The preset named `value`, or a usage error.
  static func plan(_ value: String?) throws(CommonOptions.UsageError) -> LoweringPlan.Preset {
    guard let v = value, let p = LoweringPlan.Preset(rawValue: v) else {
      throw CommonOptions.UsageError(
        message: "The value '\(value ?? "")' is invalid for '--plan <default|unfused|loops|direct>'")
    }
    return p
  }

  /// Consumes option `name` (with `value`) if it is one of these; returns how many arguments
  /// were used (0 when the option is not a code-generation option).
  mutating func parse(_ name: String, _ value: String?) throws(CommonOptions.UsageError) -> Int {
    switch name {
    case "-o", "--output":
      guard let v = value else { throw CommonOptions.UsageError(message: "Missing value for '\(name)'") }
      output = v
    case "--threads":
      guard let v = value, let n = Int(v), n >= 1, n <= 64 else {
        throw CommonOptions.UsageError(message: "The value '\(value ?? "")' is invalid for '--threads <1-64>'")
      }
      threads = n
    case "--plan":
      preset = try CodeGenOptions.plan(value)
    default:
      return 0
    }
    return 2
  }
}
