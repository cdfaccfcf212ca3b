import CircuitCodeGenC

/// Options of the subcommands that generate C: `-o`, `--threads`, `--plan`.
struct CodeGenOptions {

  /// `-o`, `--output`: where to write.
  var output: String? = nil

  /// `--threads`: the size of the generated thread pool.
  var threads = 2

  /// `--plan`: the lowering plan preset.
  var preset = LoweringPlan.Preset.default

  /// The values of a subcommand that only generates C (`emit-c`, `build`).
  struct Values: SubcommandValues {
    var common = CommonOptions()
    var codegen = CodeGenOptions()
    /// `--param-map` (`build` only): the map baked into the executable.
    var paramMap: String? = nil
    /// `--runtime` (`emit-c` only): write the circuit runtime instead of the program.
    var runtime = false
    /// `--runtime-sizes` (`build` only): the sizes the executable reads from its inputs.
    var runtimeSizes = RuntimeSizesMode.off
  }
}

extension Option {

  /// `-o, --output <path>` into `field`.
  static func output(_ field: WritableKeyPath<Values, String?>, help: String) -> Option {
    .value("-o", "--output", valueName: "<path>", help: help) { values, v in values[keyPath: field] = v }
  }

  /// `--threads <n>`, 1 to 64, into `field`.
  static func threads(_ field: WritableKeyPath<Values, Int>, help: String) -> Option {
    .value("--threads", valueName: "<n>", help: help) { values, v throws(UsageError) in
      guard let n = Int(v), n >= 1, n <= 64 else { throw .invalid(v, for: "--threads <1-64>") }
      values[keyPath: field] = n
    }
  }

  /// `--plan <name>`, a lowering plan preset, into `field`.
  static func plan(_ field: WritableKeyPath<Values, LoweringPlan.Preset>, help: String) -> Option {
    .value("--plan", valueName: "<name>", help: help) { values, v throws(UsageError) in
      guard let p = LoweringPlan.Preset(rawValue: v) else {
        throw .invalid(v, for: "--plan <default|unfused|loops|direct|streamed|materialized>")
      }
      values[keyPath: field] = p
    }
  }

  /// `build`'s `--runtime-sizes <auto|off|names>` into `field`.
  static func buildRuntimeSizes(_ field: WritableKeyPath<Values, RuntimeSizesMode>) -> Option {
    runtimeSizes(
      field,
      help:
        "Sizes the executable reads from its inputs' shapes instead of\nfixing them: auto (the sizes only inputs fix), off (default: every\nsize fixed) or a list of size names. The --size values are the\nsample point; the build verifies a range of each size and the\nexecutable refuses shapes outside it (see above)."
    )
  }

  /// `--runtime-sizes <auto|off|names>` (of `run` and `bench`) into `field`.
  static func runtimeSizes(_ field: WritableKeyPath<Values, RuntimeSizesMode>) -> Option {
    runtimeSizes(
      field,
      help:
        "Sizes the C library takes at run time, so one compiled library\nserves every value: auto (default, or $CIRCUIT_RUNTIME_SIZES: the\nsizes only inputs fix; the template is built at a program's second\nshape, the first compiles specialised code), off (specialised code\nper shape) or a list of size names (template built at once). Used only when the template, instantiated at\nthis run's sizes, equals the specialised program token for token."
    )
  }

  /// `--runtime-sizes <auto|off|names>` into `field`, with `help`.
  private static func runtimeSizes(_ field: WritableKeyPath<Values, RuntimeSizesMode>, help: String) -> Option {
    .value("--runtime-sizes", valueName: "<auto|off|a,b>", help: help) { values, v throws(UsageError) in
      guard !v.isEmpty else { throw .invalid(v, for: "--runtime-sizes <auto|off|a,b>") }
      values[keyPath: field] = RuntimeSizesMode(parsing: v)
    }
  }
}
