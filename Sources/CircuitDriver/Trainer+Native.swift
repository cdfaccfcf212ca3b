import CircuitNative
import CircuitTraining

extension NativeOptimizerStep {

  /// `optimizer`'s update number `step` (1-based) at `learningRate`, clipping to
  /// `maximumNorm` first, with the per-step scalars the Swift optimiser computes.
  public init(_ optimizer: Optimizer, learningRate lr: Float, step: Int, maximumNorm: Float?) {
    /// Adam's rule, decoupled (AdamW) or not, with its scalars for this update.
    func adam(decoupled: Bool, _ β1: Double, _ β2: Double, _ ε: Float) -> Rule {
      let s = Optimizer.AdamScalars(lr: lr, β1: β1, β2: β2, step: step)
      return .adam(
        decoupled: decoupled, complement1: s.complement1, decay2: s.decay2, complement2: s.complement2,
        stepSize: s.stepSize, correction2: s.correction2, epsilon: ε)
    }
    let rule: Rule
    switch optimizer.method {
    case .sgd(let momentum, let nesterov): rule = .sgd(momentum: momentum, nesterov: nesterov)
    case .adam(let β1, let β2, let ε): rule = adam(decoupled: false, β1, β2, ε)
    case .adamW(let β1, let β2, let ε): rule = adam(decoupled: true, β1, β2, ε)
    }
    self.init(rule: rule, learningRate: lr, weightDecay: optimizer.weightDecay, maximumNorm: maximumNorm)
  }
}

extension Trainer {

  /// The optimiser's buffers of `state` copied into native memory, for `update(natively:)`
  /// (a parameter without buffers yet starts fresh).
  /// - Throws: `NativeError.outOfMemory` when an allocation is refused.
  public func nativeOptimizerState() throws(NativeError) -> NativeOptimizerState {
    try NativeOptimizerState(
      counts: values.map(\.count), kinds: optimizer.method.bufferNames.count,
      saved: names.map { state.buffers[$0] ?? [] })
  }

  /// One update made in native code: `model`'s gradient program on `binding` (which reads the
  /// resident parameters, in `names` order) and, in the same call, clipping and the optimiser
  /// over the resident parameters and `native` buffers — the arithmetic of `update(with:)`.
  /// Counts the update in `state.step`; `values` and `state.buffers` are brought up to date
  /// by `settle(from:)` and `settle(optimizer:)`. Returns the loss and the update's report.
  /// - Throws: `NativeError` when the native call fails (nothing is counted then).
  public mutating func update(
    natively model: NativeModel, _ binding: NativeModel.Binding, state native: NativeOptimizerState
  ) throws(NativeError) -> (loss: Float, update: Update) {
    let rate = schedule.rate(afterSteps: state.step)
    let step = NativeOptimizerStep(optimizer, learningRate: rate, step: state.step + 1, maximumNorm: maximumGradientNorm)
    let norm = try model.train(binding, step, state: native)
    state.step += 1
    return (binding.output(0, count: 1)[0], Update(learningRate: rate, gradientNorm: norm))
  }

  /// Copies the native optimiser buffers into `state.buffers` (for checkpoints), as
  /// `update(with:)` leaves them: an entry per updated parameter, empty when the method keeps
  /// no buffers.
  public mutating func settle(optimizer native: NativeOptimizerState) {
    for (k, name) in names.enumerated() {
      if let saved = native.saved(k) { state.buffers[name] = saved }
    }
  }
}
