import CircuitCodeGenC

/// `circuit grad`: runs an entry's loss once and writes d loss / d every parameter.
enum GradCommand {

  /// The options of `grad`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    var inputs: [(name: String?, path: String)] = []
    var params: String? = nil
    var paramMap: String? = nil
    var seed: UInt64 = 0
    var output: String? = nil
    var backend: Backend = .interp
    var check = false
    var plan: LoweringPlan.Preset = .default
  }

  /// The description of `grad`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "grad", abstract: "Compute the gradients of a loss with respect to the parameters.",
      overview: "Compute the gradients of an entry's loss with respect to its parameters.",
      discussion: """
        The entry's first output is the loss, an f32 scalar []. Builds the gradient program
        (reverse-mode differentiation of the lowered IR), runs it once, prints the loss and a
        summary of each gradient, and with -o writes every gradient as a safetensors file under
        the parameter's full name (the loss in its metadata). A parameter the loss does not
        depend on gets a zero gradient and a warning. Inputs and parameters are read or
        generated as by 'circuit run'.
        """,
      usage: "circuit grad [options] <file.circuit>",
      options: [
        .entry,
        .size(help: "Fix a size (repeatable); overrides 'sizes { }'."), .constant,
        .input(\.inputs),
        .params(\.params),
        .paramMap(\.paramMap),
        .seed(\.seed),
        .output(\.output, help: "Write the gradients as a safetensors file."),
        .backend(\.backend),
        .check(\.check),
        .plan(\.plan, help: "With --backend c or --check: the lowering plan."),
        .stdlib(),
        .color(help: "auto, always or never."),
      ],
      files: .one(tooMany: { _ in "'grad' takes one file" }))
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    command.run(arguments, stdout: &stdout, stderr: &stderr, colored: colored) { options, session, out in session.gradPipeline(options, stdout: &out) }
  }
}
