/// One optimiser update as the native optimiser (`CRuntime.optimizer`) takes it: the rule, the
/// clipping and the per-step f32 scalars, computed by the caller as the Swift optimiser
/// computes them (so that the C does only the per-element f32 work, bit for bit).
public struct NativeOptimizerStep: Sendable, Equatable {

  /// The update rule and its per-step scalars.
  public enum Rule: Sendable, Equatable {
    /// SGD with momentum μ (0: none), Nesterov or not.
    case sgd(momentum: Float, nesterov: Bool)
    /// Adam (L2 weight decay) or AdamW (decoupled): `1 − β₁`, `β₂`, `1 − β₂`, `lr / (1 − β₁ᵗ)`,
    /// `√(1 − β₂ᵗ)` and ε, each rounded to f32.
    case adam(
      decoupled: Bool, complement1: Float, decay2: Float, complement2: Float, stepSize: Float, correction2: Float,
      epsilon: Float)
  }

  /// The rule.
  public var rule: Rule

  /// The learning rate of this update.
  public var learningRate: Float

  /// The weight decay λ.
  public var weightDecay: Float

  /// Clip the gradients to this global norm first; nil: no clipping.
  public var maximumNorm: Float?

  /// Creates a step.
  public init(rule: Rule, learningRate: Float, weightDecay: Float, maximumNorm: Float?) {
    self.rule = rule
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.maximumNorm = maximumNorm
  }

  /// The number of buffers per parameter the rule keeps.
  public var kinds: Int {
    switch rule {
    case .sgd(let momentum, _): momentum == 0 ? 0 : 1
    case .adam: 2
    }
  }

  /// `circuit_train_step`'s settings: method (0 SGD, 1 Adam, 2 AdamW), Nesterov, clipping.
  var settings: [Int64] {
    switch rule {
    case .sgd(_, let nesterov): [0, nesterov ? 1 : 0, maximumNorm == nil ? 0 : 1]
    case .adam(let decoupled, _, _, _, _, _, _): [decoupled ? 2 : 1, 0, maximumNorm == nil ? 0 : 1]
    }
  }

  /// `circuit_train_step`'s scalars: lr, weight decay, momentum, maximum norm, then Adam's.
  var scalars: [Float] {
    let common = [learningRate, weightDecay]
    switch rule {
    case .sgd(let momentum, _):
      return common + [momentum, maximumNorm ?? 0, 0, 0, 0, 0, 0, 0]
    case .adam(_, let c1, let b2, let c2, let stepSize, let correction2, let epsilon):
      return common + [0, maximumNorm ?? 0, c1, b2, c2, stepSize, correction2, epsilon]
    }
  }
}
