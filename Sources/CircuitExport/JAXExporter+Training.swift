import CircuitIR
import CircuitTraining

extension JAXExporter {

  /// Whether the entry's first output is a scalar f32: the loss `train_step` minimises.
  var hasLoss: Bool {
    guard let first = function.outputs.first else { return false }
    let t = function.type(of: first)
    return t.axes.isEmpty && t.element == .float32
  }

  /// The extra keyword of the entry, `loss` and `train_step` when sharded.
  var meshKeyword: String { options.sharding == nil ? "" : ", mesh=None" }

  /// The keyword passed on to the entry when sharded.
  var meshArgument: String { options.sharding == nil ? "" : ", mesh=mesh" }

  /// `loss`, the optimiser's state and `train_step`: one update as `circuit train` makes it
  /// (for an entry that `hasLoss`).
  func trainingSection(_ spec: TrainingSpec) -> String {
    let inputs = inputNames.joined(separator: ", ")
    let first = function.outputs.count == 1 ? "" : "[0]"
    let o = spec.optimizer
    let schedule: (name: String, total: Int, minimum: Float)
    switch spec.schedule.decay {
    case .constant: schedule = ("constant", 0, 0)
    case .cosine(let total, let minimum): schedule = ("cosine", total, minimum)
    }
    var lines = [
      "# Training: output 0 of `\(entryName)` is the loss; one step is an update of `circuit train` with",
      "# the optimiser below (PyTorch's definitions) at the rate of `learning_rate`.",
      "OPTIMIZER = \(PythonText.string(o.method.name))",
      "LEARNING_RATE = \(PythonText.float(spec.schedule.base))",
      "SCHEDULE = \(PythonText.string(schedule.name))",
      "TOTAL_STEPS = \(schedule.total)  # the cosine schedule's length in updates",
      "MIN_LR = \(PythonText.float(schedule.minimum))",
      "WARMUP_STEPS = \(spec.schedule.warmupSteps)",
      "WEIGHT_DECAY = \(PythonText.float(o.weightDecay))",
      "CLIP_NORM = \(spec.clip.map { PythonText.float($0) } ?? "None")",
    ]
    switch o.method {
    case .sgd(let momentum, let nesterov):
      lines += ["MOMENTUM = \(PythonText.float(momentum))", "NESTEROV = \(nesterov ? "True" : "False")"]
    case .adam(let b1, let b2, let eps), .adamW(let b1, let b2, let eps):
      lines += ["BETAS = (\(PythonText.float(b1)), \(PythonText.float(b2)))", "EPS = \(PythonText.float(eps))"]
    }
    lines.append("BUFFERS = \(PythonText.tuple(o.method.bufferNames.map(PythonText.string)))")
    lines += [
      "", "",
      "def loss(params, \(inputs)\(meshKeyword)):",
      "    \"\"\"The scalar loss: output 0 of `\(entryName)`.\"\"\"",
      "    return \(entryName)(params, \(inputs)\(meshArgument))\(first)",
    ]
    let text = lines.joined(separator: "\n") + "\n\n\n" + JAXPrelude.optimizer(method: o.method)
    return text + "\n\n" + """
      def train_step(params, state, \(inputs)\(meshKeyword)):
          \"\"\"One update: (loss before it, new params, new state), as `circuit train` makes it.\"\"\"
          value, grads = jax.value_and_grad(loss)(params, \(inputs)\(meshArgument))
          if CLIP_NORM is not None:
              norm = jnp.sqrt(sum(jnp.sum(jnp.square(g)) for g in grads.values()))
              grads = {n: g * jnp.minimum(1.0, CLIP_NORM / (norm + 1e-6)) for n, g in grads.items()}
          params, state = _update(params, grads, state)
          return value, params, state

      """
  }
}
