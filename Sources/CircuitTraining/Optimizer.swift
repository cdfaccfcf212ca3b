#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An optimiser as PyTorch defines it (`torch.optim.SGD`, `Adam`, `AdamW`), so that runs can
/// be compared with PyTorch's step by step. Arithmetic is f32 per element, in PyTorch's order;
/// scalars that PyTorch computes in Python floats (bias corrections) are computed in `Double`.
public struct Optimizer: Sendable, Equatable {

  /// The update rule.
  public enum Method: Sendable, Equatable {
    /// SGD: with momentum μ > 0, `b ← μb + g` (b₁ = g₁, no dampening), then `g ← g + μb`
    /// (Nesterov) or `g ← b`; `p ← p − lr·g`.
    case sgd(momentum: Float, nesterov: Bool)
    /// Adam with L2 weight decay (`g ← g + λp` first).
    case adam(beta1: Float, beta2: Float, epsilon: Float)
    /// AdamW: `p ← p − lr·λ·p` (decoupled weight decay), then the Adam step without λ.
    case adamW(beta1: Float, beta2: Float, epsilon: Float)

    /// `sgd`, `adam` or `adamw`.
    public var name: String {
      switch self {
      case .sgd: "sgd"
      case .adam: "adam"
      case .adamW: "adamw"
      }
    }

    /// The names of the per-parameter buffers it keeps (PyTorch's state keys).
    public var bufferNames: [String] {
      switch self {
      case .sgd(let momentum, _): momentum == 0 ? [] : ["momentum_buffer"]
      case .adam, .adamW: ["exp_avg", "exp_avg_sq"]
      }
    }
  }

  /// The update rule.
  public var method: Method

  /// The weight decay λ (L2 for SGD and Adam, decoupled for AdamW).
  public var weightDecay: Float

  /// Creates an optimiser.
  public init(_ method: Method, weightDecay: Float = 0) {
    self.method = method
    self.weightDecay = weightDecay
  }

  /// Updates one parameter `p` in place with its gradient `g` at learning rate `lr`; `step`
  /// is the 1-based number of this update (Adam's bias correction); `buffers` holds
  /// `method.bufferNames` in order (empty on the first step: they are created here).
  ///
  /// - Precondition: `p` and `g` have the same count, as do the buffers when present.
  public func update(
    _ p: inout [Float], gradient g: [Float], buffers: inout [[Float]], learningRate lr: Float, step: Int
  ) {
    precondition(p.count == g.count, "parameter and gradient differ in size")
    let λ = weightDecay
    switch method {
    case .sgd(let μ, let nesterov):
      var d = g
      if λ != 0 { for i in d.indices { d[i] = d[i] + λ * p[i] } }
      if μ != 0 {
        if buffers.isEmpty {
          buffers = [d]
        } else {
          for i in d.indices { buffers[0][i] = μ * buffers[0][i] + d[i] }
        }
        if nesterov {
          for i in d.indices { d[i] = d[i] + μ * buffers[0][i] }
        } else {
          d = buffers[0]
        }
      }
      for i in p.indices { p[i] = p[i] - lr * d[i] }
    case .adam(let β1, let β2, let ε):
      var d = g
      if λ != 0 { for i in d.indices { d[i] = d[i] + λ * p[i] } }
      Optimizer.adamStep(&p, d, &buffers, lr: lr, β1: β1, β2: β2, ε: ε, step: step)
    case .adamW(let β1, let β2, let ε):
      let decay = 1 - lr * λ
      if λ != 0 { for i in p.indices { p[i] = p[i] * decay } }
      Optimizer.adamStep(&p, g, &buffers, lr: lr, β1: β1, β2: β2, ε: ε, step: step)
    }
  }

  /// The Adam step of `torch.optim.adam._single_tensor_adam`: `m ← lerp(m, g, 1−β₁)`,
  /// `v ← β₂v + (1−β₂)g²`, `p ← p − (lr/(1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)`.
  static func adamStep(
    _ p: inout [Float], _ g: [Float], _ buffers: inout [[Float]], lr: Float, β1: Float, β2: Float, ε: Float,
    step: Int
  ) {
    if buffers.isEmpty { buffers = [[Float](repeating: 0, count: p.count), [Float](repeating: 0, count: p.count)] }
    let stepSize = Float(Double(lr) / (1 - pow(Double(β1), Double(step))))
    let correction2 = Float((1 - pow(Double(β2), Double(step))).squareRoot())
    for i in p.indices {
      let m = buffers[0][i] + (1 - β1) * (g[i] - buffers[0][i])
      let v = β2 * buffers[1][i] + (1 - β2) * g[i] * g[i]
      buffers[0][i] = m
      buffers[1][i] = v
      let denominator = v.squareRoot() / correction2 + ε
      p[i] = p[i] + (-stepSize * m) / denominator
    }
  }
}
