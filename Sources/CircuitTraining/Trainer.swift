import TensorRuntime

/// The parameters being trained and the optimiser that updates them: one `update` per
/// mini-batch gradient. Pure and deterministic: the same gradients give bit-identical
/// parameters.
public struct Trainer: Sendable, Equatable {

  /// The parameters' full names, in the gradient program's order.
  public let names: [String]

  /// Each parameter's shape.
  public let shapes: [[Int]]

  /// Each parameter's values (row-major), in `names` order.
  public var values: [[Float]]

  /// The optimiser.
  public let optimizer: Optimizer

  /// The learning rate of each update.
  public let schedule: LearningRateSchedule

  /// Clip gradients to this global norm before each update; nil: no clipping.
  public let maximumGradientNorm: Float?

  /// The optimiser's memory (updates done, buffers).
  public var state: OptimizerState

  /// The bytes of the optimiser's buffers once every parameter has them
  /// (`Optimizer.Method.bufferNames` per element: none for plain SGD, two for Adam).
  public var optimizerBufferBytes: Int {
    values.reduce(0) { $0 + $1.count } * optimizer.method.bufferNames.count * MemoryLayout<Float>.stride
  }

  /// What one update did.
  public struct Update: Sendable, Equatable {
    /// The learning rate used.
    public let learningRate: Float
    /// The gradients' global norm before clipping.
    public let gradientNorm: Double

    /// The report of an update at `learningRate` of gradients with global norm `gradientNorm`.
    public init(learningRate: Float, gradientNorm: Double) {
      self.learningRate = learningRate
      self.gradientNorm = gradientNorm
    }
  }

  /// A trainer of `parameters` (name, f32 tensor) starting from `state`.
  /// - Precondition: every parameter is f32.
  public init(
    parameters: [(name: String, tensor: Tensor)], optimizer: Optimizer, schedule: LearningRateSchedule,
    maximumGradientNorm: Float? = nil, state: OptimizerState = OptimizerState()
  ) {
    names = parameters.map(\.name)
    shapes = parameters.map(\.tensor.shape)
    values = parameters.map { p in
      guard let v = p.tensor.floats else { preconditionFailure("parameter '\(p.name)' is not f32") }
      return v
    }
    self.optimizer = optimizer
    self.schedule = schedule
    self.maximumGradientNorm = maximumGradientNorm
    self.state = state
  }

  /// Applies one update with `gradients` (in `names` order): clipping, the scheduled rate,
  /// then the optimiser on each parameter.
  /// - Precondition: each gradient has its parameter's element count.
  @discardableResult
  public mutating func update(with gradients: [[Float]]) -> Update {
    var gradients = gradients
    let (update, factor) = begin(norm: GradientClipping.globalNorm(gradients))
    for k in names.indices {
      // Moved out while it is written, so that `apply` may change the rest of `self`.
      var v = values[k]
      values[k] = []
      v.withUnsafeMutableBufferPointer { p in
        gradients[k].withUnsafeMutableBufferPointer { g in apply(k, p, g, clipping: factor, rate: update.learningRate) }
      }
      values[k] = v
    }
    return update
  }

  /// Copies resident `parameters` (in `names` order) into `values`.
  public mutating func settle(from parameters: [UnsafeMutableBufferPointer<Float>]) {
    for k in names.indices { values[k] = Array(parameters[k]) }
  }

  /// Starts an update of gradients with global norm `norm`: counts it and returns its report
  /// and the clipping factor (1: none).
  private mutating func begin(norm: Double) -> (Update, Float) {
    let factor = maximumGradientNorm.map { GradientClipping.factor(norm: norm, maximumNorm: $0) } ?? 1
    let rate = schedule.rate(afterSteps: state.step)
    state.step += 1
    return (Update(learningRate: rate, gradientNorm: norm), factor)
  }

  /// Parameter `k`'s update: its gradient `g` scaled by `factor` when below 1, then the
  /// optimiser with its buffers, updated in place in `state`.
  private mutating func apply(
    _ k: Int, _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeMutableBufferPointer<Float>, clipping factor: Float,
    rate: Float
  ) {
    if factor < 1 { for i in g.indices { g[i] *= factor } }
    let step = state.step
    optimizer.update(
      p, gradient: UnsafeBufferPointer(g), buffers: &state.buffers[names[k], default: []], learningRate: rate, step: step)
  }

  /// The parameters as tensors, by full name.
  public var parameters: [String: Tensor] {
    var out: [String: Tensor] = [:]
    for k in names.indices { out[names[k]] = (try? Tensor(shape: shapes[k], floats: values[k]))! }
    return out
  }

  /// The parameters as named tensors, in `names` order.
  public var namedParameters: [(name: String, tensor: Tensor)] {
    names.indices.map { k in (names[k], (try? Tensor(shape: shapes[k], floats: values[k]))!) }
  }
}
