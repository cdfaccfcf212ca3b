import CircuitExport

/// `circuit export`: writes the entry circuit as a JAX module (`--jax`) or an ONNX model
/// (`--onnx`).
enum ExportCommand {

  /// The target format.
  enum Format: String {
    /// A Python module on jax and numpy.
    case jax
    /// An ONNX model (protobuf).
    case onnx
  }

  /// The options of `export`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    /// `--jax` or `--onnx`.
    var format: Format? = nil
    /// `-o`: where to write (default: standard output for `--jax`).
    var output: String? = nil
    /// `--params`: the parameters baked into an ONNX model (default: initialised with `seed`).
    var params: String? = nil
    /// `--param-map`: how `--params` names and lays out the parameters.
    var paramMap: String? = nil
    /// `--seed`: the initialisation of parameters not loaded (as `run`).
    var seed: UInt64 = 0
    /// `--dynamic`: the axes (source names) that are symbolic in an ONNX model; nil: `b` if
    /// an input has it and the graph allows it.
    var dynamic: [String]? = nil
    /// `--mesh`: the device mesh's axes and sizes (`--jax`).
    var mesh: [(name: String, size: Int)] = []
    /// `--shard`: circuit axis → mesh axis (`--jax`).
    var shards: [(axis: String, meshAxis: String)] = []
    /// The optimiser of `train_step` (`--jax`, entries whose first output is a scalar loss).
    var optimization = OptimizerOptions()
    /// `--total-steps`: the length of the cosine schedule in updates.
    var totalSteps: Int? = nil
  }

  /// `a=1,b=2`: named positive sizes, or nil.
  static func mesh(_ text: String) -> [(name: String, size: Int)]? {
    var out: [(name: String, size: Int)] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let kv = part.split(separator: "=", omittingEmptySubsequences: false)
      guard kv.count == 2, !kv[0].isEmpty, let n = Int(kv[1]), n >= 1 else { return nil }
      out.append((String(kv[0]), n))
    }
    return out
  }

  /// The description of `export`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "export", abstract: "Write a circuit as a JAX module or an ONNX model.",
      overview: "Write the entry circuit for other engines: a JAX module or an ONNX model.",
      discussion: """
        --jax writes a readable Python module (jax and numpy only): the entry as one function
        taking a dict of parameters under their full names (see 'circuit params') and the
        inputs, contractions as jnp.einsum with subscripts from the axis names, and a loader
        for safetensors files (load_params). --onnx writes an ONNX model (opset 17) with the
        parameters as initialisers under their full names: loaded with --params, else
        initialised as 'circuit run' does with --seed. Sizes are those of the export
        (sizes { }, --size). When the entry's first output is a scalar f32 loss, --jax also
        writes loss, init_optimizer_state, load_checkpoint (of 'circuit train --save') and
        train_step: value_and_grad and the optimiser and learning-rate schedule of the
        options below, as 'circuit train' updates.
        """,
      usage: "circuit export (--jax | --onnx) [options] <file.circuit> [-o <path>]",
      options: formats + Option.optimization(\.optimization) + Option.schedule(\.optimization) + [
        Option.number(
          "--total-steps", "<n>", help: "The cosine schedule's length in updates (as 'circuit train'\ncounts them: epochs x batches per epoch).",
          valid: { (n: Int) in n >= 1 }
        ) { $0.totalSteps = $1 }
      ] + common)
  }

  /// The options of both formats and of `--onnx`.
  static var formats: [Option<Options>] {
    [
      .flag("--jax", help: "Write a JAX module (Python).") { $0.format = .jax },
      .flag("--onnx", help: "Write an ONNX model.") { $0.format = .onnx },
      .output(\.output, help: "Where to write (default for --jax: standard output;\n--onnx needs a path)."),
      .params(\.params, help: "--onnx: read the parameters from a safetensors file."),
      .paramMap(\.paramMap),
      .seed(\.seed, help: "--onnx: seed of the parameters not read (default 0)."),
      .value(
        "--dynamic", valueName: "<axis>",
        help: """
          --onnx: make an input axis a symbolic dimension (repeatable;
          'none' for fixed sizes). Default: b when an input has it and no
          op needs its size (else fixed, with a note).
          """
      ) { values, v in values.dynamic = (values.dynamic ?? []) + [v] },
      .value(
      "--mesh", valueName: "<axis=n,...>",
      help: "--jax: a device mesh, e.g. data=8,model=2: sharded functions\n(sharded_forward, sharded_train_step) over NamedSharding."
      ) { values, v throws(UsageError) in
      guard let m = mesh(v) else { throw .invalid(v, for: "--mesh <axis=n,...>", " (e.g. data=8,model=2)") }
      values.mesh = m
      },
      .value(
      "--shard", valueName: "<axis=mesh-axis>",
      help: "--jax: lay a circuit axis over a mesh axis (repeatable), e.g.\nb=data for data parallelism, h=model for heads."
      ) { values, v throws(UsageError) in
      let kv = v.split(separator: "=", omittingEmptySubsequences: false)
      guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else { throw .invalid(v, for: "--shard <axis=mesh-axis>") }
      values.shards.append((String(kv[0]), String(kv[1])))
      },
    ]
  }

  /// The common options, listed last.
  static var common: [Option<Options>] { [.entry, .size(), .constant, .stdlib(), .color()] }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    command.run(arguments, stdout: &stdout, stderr: &stderr, colored: colored) { options, session, out throws(Session.Failure) in
      try session.export(options, stdout: &out)
    }
  }
}
