import CircuitCodeGenC

/// `circuit run`: runs a circuit on the interpreter with given or generated inputs and
/// parameters, prints a summary of each output and writes outputs as `.npy`.
enum RunCommand {

  /// The options of `run`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    var inputs: [(name: String?, path: String)] = []
    var params: String? = nil
    var paramMap: String? = nil
    var saveParams: String? = nil
    /// `--save-checkpoint`: the parameters in the checkpoint's names and layouts.
    var saveCheckpoint: String? = nil
    /// `--dump`: the directory for every named intermediate value.
    var dump: String? = nil
    var seed: UInt64 = 0
    var out: String? = nil
    var backend: Backend = .interp
    var check = false
    var plan: LoweringPlan.Preset = .default
    /// `--runtime-sizes`: the sizes the C library takes at run time.
    var runtimeSizes = RuntimeSizesMode.standard
    /// `--verbose`: name the C library used on standard error.
    var verbose = false
    /// `--memory-limit`: the memory budget in bytes (default: the available memory).
    var memoryLimit: Int? = nil
  }

  /// The description of `run`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "run", abstract: "Run a circuit on the CPU interpreter.",
      overview: "Run a circuit on the CPU interpreter.",
      discussion: """
        Inputs not given are generated (seeded): f32 standard normal, i32 uniform below the size
        of the table they index, bool fair coins. Parameters not loaded are initialised (seeded):
        explicit initialisers from the source, else uniform in ±1/sqrt(fan_in) for weights that are
        contracted with data, else zeros. Inputs containing NaN, and parameters containing NaN
        or infinities, are refused. Prints each output's type and a summary.
        """,
      usage: "circuit run [options] <file.circuit>",
      options: [
        .entry,
        .size(help: "Fix a size (repeatable); overrides 'sizes { }'."), .constant,
        .input(\.inputs),
        .params(\.params),
        .paramMap(\.paramMap),
        .value("--save-params", valueName: "<path>", help: "Write the parameters used as a safetensors file.") {
          $0.saveParams = $1
        },
        .value(
          "--save-checkpoint", valueName: "<path>",
          help: "Write the parameters used in the checkpoint's names and\nlayouts: the --param-map inverted."
        ) { $0.saveCheckpoint = $1 },
        .value(
          "--dump", valueName: "<dir>",
          help: """
            Also write every named intermediate value as DIR/<instance>.<name>.npy
            (e.g. encoder.layer.0.attention.self.C.npy; a name assigned
            again in the same instance gets ~2, ~3), computed on the
            interpreter without optimisation passes.
            """
        ) { $0.dump = $1 },
        .seed(\.seed),
        .memoryLimit(\.memoryLimit),
        .value("--out", valueName: "<dir>", help: "Write outputs as <name>.npy (named outputs) or output_0.npy, output_1.npy, …") { $0.out = $1 },
        .backend(\.backend),
        .check(\.check),
        .runtimeSizes(\.runtimeSizes),
        .flag("--verbose", help: "With --backend c: say on standard error which library ran\n(runtime-sized or specialised, and why; compiled or cached).") {
          $0.verbose = true
        },
        .plan(
          \.plan,
          help: "With --backend c or --check: the lowering plan (default,\nunfused, loops, direct, streamed or materialized; see 'circuit help emit-c')."),
        .stdlib(),
        .color(help: "auto, always or never."),
      ],
      files: .one(tooMany: { _ in "'run' takes one file" }))
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    command.run(arguments, stdout: &stdout, stderr: &stderr, colored: colored) { options, session, out in session.runPipeline(options, stdout: &out) }
  }
}
