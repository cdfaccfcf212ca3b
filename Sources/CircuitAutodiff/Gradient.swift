import CircuitIR

/// Reverse-mode differentiation of IR functions: an IR-to-IR transformation whose result both
/// backends run like any other function.
public enum Gradient {

  /// The values the loss is differentiated with respect to.
  public enum Variables: Sendable, Hashable {
    /// Every parameter, in `parameters` order.
    case parameters
    /// Every parameter, then every f32 input in input order.
    case parametersAndInputs
  }

  /// The gradient program of `f`: its forward instructions, then, in reverse, each
  /// instruction's vector-Jacobian product written in IR ops. Its outputs are the loss (the
  /// first output of `f`, which must be an f32 scalar) followed by d loss / d each variable, each
  /// with the variable's declared type. Instructions the outputs do not need are removed.
  ///
  /// - Throws: `GradientError` when `f` has no output, its first output is not an f32 scalar, or
  ///   it holds an op without a rule (a layer norm or softmax adjoint: a gradient program's second order).
  public static func program(
    of f: IR.Function, withRespectTo variables: Variables = .parameters
  ) throws(GradientError) -> GradientProgram {
    guard let loss = f.outputs.first else { throw .noOutput(function: f.name) }
    let lossType = f.type(of: loss)
    guard lossType.element == .float32, lossType.axes.isEmpty else {
      throw .lossNotScalar(function: f.name, type: lossType)
    }
    for ins in f.instructions {
      if case .layerNormAdjoint = ins.op { throw .notDifferentiable(function: f.name, op: ins.op.text) }
      if case .softmaxAdjoint = ins.op { throw .notDifferentiable(function: f.name, op: ins.op.text) }
    }
    var builder = AdjointBuilder(forward: f)
    builder.seed(loss)
    builder.propagateAll()

    var outputs = [loss]
    var described: [GradientProgram.Output] = [.loss]
    var unreached: [String] = []
    for p in f.parameters {
      let (gradient, reached) = builder.gradient(
        of: { if case .parameter(p.name, _) = $0 { true } else { false } }, type: p.type)
      outputs.append(gradient)
      described.append(.parameter(name: p.name))
      if !reached { unreached.append(p.name) }
    }
    if variables == .parametersAndInputs {
      for (k, input) in f.inputs.enumerated() where input.type.element == .float32 {
        let (gradient, _) = builder.gradient(
          of: { if case .input(k, _) = $0 { true } else { false } }, type: input.type)
        outputs.append(gradient)
        described.append(.input(index: k, name: input.name))
      }
    }
    var function = IR.Function(
      name: f.name + "_grad", inputs: f.inputs, parameters: f.parameters,
      instructions: builder.function.instructions, outputs: outputs, regions: f.regions)
    EliminateDeadCode().run(&function)
    let problems = function.verify()
    guard problems.isEmpty else { throw .malformed(function: f.name, problems: problems) }
    return GradientProgram(function: function, outputs: described, unreachedParameters: unreached)
  }
}
