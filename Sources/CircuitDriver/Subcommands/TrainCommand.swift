import CircuitCodeGenC
import CircuitTraining

/// `circuit train`: the training loop in one process (see `Session.trainPipeline`).
enum TrainCommand {

  /// The options of `train`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    var inputs: [(name: String?, path: String)] = []
    var evalInputs: [(name: String?, path: String)] = []
    var params: String? = nil
    var paramMap: String? = nil
    var resume: String? = nil
    var seed: UInt64 = 0
    var epochs = 1
    var batchAxis = "b"
    var batchSize = 32
    var shuffle = true
    var dropLast = false
    var optimization = OptimizerOptions()
    var log: String? = nil
    var save: String? = nil
    var backend: Backend = .interp
    var plan: LoweringPlan.Preset = .default
    var memoryLimit: Int? = nil
  }

  /// The description of `train`.
  static var command: Subcommand<Options> {
    let data: [Option<Options>] = [
        .entry,
        .size(help: "Fix a size (repeatable); overrides 'sizes { }'."), .constant,
        .input(\.inputs, help: "Training data: NAME=x.npy or a .npz of arrays named like the\ninputs (repeatable)."),
        .input(\.evalInputs, "--eval-input", help: "Held-out data, evaluated after every epoch (same forms)."),
        .params(\.params, help: "Start from parameters in a safetensors file (by full name)."),
        .paramMap(\.paramMap),
        .value("--resume", valueName: "<path>", help: "Continue from a checkpoint written by --save (parameters,\noptimiser state, epochs done); --epochs is the total.") {
          $0.resume = $1
        },
        .seed(\.seed, help: "Seed for initial parameters, generated inputs and shuffling\n(default 0)."),
        Option.number("--epochs", "<n>", help: "Epochs to have completed at the end (default 1).", valid: { $0 >= 1 }) {
          $0.epochs = $1
        },
        .value("--batch-axis", valueName: "<name>", help: "The axis cut into mini-batches (default b).") { $0.batchAxis = $1 },
        Option.number("--batch-size", "<n>", help: "Examples per batch (default 32).", valid: { (n: Int) in n >= 1 }) {
          $0.batchSize = $1
        },
        .flag("--no-shuffle", help: "Keep file order (default: shuffle each epoch).") { $0.shuffle = false },
        .flag("--drop-last", help: "Drop the last partial batch (default: keep it).") { $0.dropLast = true },
    ]
    let rest: [Option<Options>] = [
        .value("--log", valueName: "<path>", help: "Log every step and evaluation (.csv, or .jsonl for JSON lines).") {
          $0.log = $1
        },
        .value("--save", valueName: "<path>", help: "Write a safetensors checkpoint after every epoch (atomic).") {
          $0.save = $1
        },
        .backend(\.backend, help: "Run the gradient program on the interpreter (default) or as\ngenerated C (see 'circuit help run')."),
        .plan(\.plan, help: "With --backend c: the lowering plan."),
        .memoryLimit(\.memoryLimit, what: "training"),
        .stdlib(),
        .color(help: "auto, always or never."),
          ]
    return Subcommand(
      name: "train", abstract: "Train a circuit's parameters on data.",
      overview: "Train an entry's parameters on data by minimising its first output.",
      discussion: """
        The entry's first output is the loss, an f32 scalar [] (a batch mean, e.g. from
        'import losses'); a second output, if any, is averaged as a metric when evaluating.
        The data (--input) is cut into mini-batches along the named --batch-axis, the axis
        of that name in every input, shuffled each epoch with --seed (the order of epoch e
        depends only on the seed and e) unless --no-shuffle; the last partial batch is a batch
        of its own size unless --drop-last. Each batch runs the gradient program (reverse-mode
        differentiation of the lowered IR) on the interpreter or, with --backend c, as C
        compiled once per batch size; the optimiser (PyTorch's definitions) updates the
        parameters. Parameters start from --params, --resume or the seeded initialisers.
        On the interpreter the same command gives bit-identical weights.
        """,
      usage: "circuit train [options] <file.circuit>",
      options: data + Option.optimization(\.optimization) + Option.schedule(\.optimization) + rest,
      files: .one(tooMany: { _ in "'train' takes one file" }))
  }

  /// Runs the subcommand; `live` writes progress to the terminal as it happens.
  static func run(
    _ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?, live: Bool = false
  ) -> Int32 {
    command.run(arguments, stdout: &stdout, stderr: &stderr, colored: colored) { options, session, out in
      var progress = TrainingProgress(live: live, terminal: live && Platform.standardErrorIsTerminal)
      let code = session.trainPipeline(options, progress: &progress)
      out += progress.stdout
      return code
    }
  }
}

extension TrainCommand.Options {

}
