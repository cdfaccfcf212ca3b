import Dispatch
import TensorRuntime

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An optimiser as PyTorch defines it (`torch.optim.SGD`, `Adam`, `AdamW`), so that runs can
/// be compared with PyTorch's step by step. Arithmetic is f32 per element, in PyTorch's order;
/// scalars that PyTorch computes in Python floats (β's complements 1 − β, the bias
/// corrections) are computed in `Double` from the β as written, then rounded to f32 once.
public struct Optimizer: Sendable, Equatable {

  /// The update rule.
  public enum Method: Sendable, Equatable {
    /// SGD: with momentum μ > 0, `b ← μb + g` (b₁ = g₁, no dampening), then `g ← g + μb`
    /// (Nesterov) or `g ← b`; `p ← p − lr·g`.
    case sgd(momentum: Float, nesterov: Bool)
    /// Adam with L2 weight decay (`g ← g + λp` first); β as Python floats (doubles).
    case adam(beta1: Double, beta2: Double, epsilon: Float)
    /// AdamW: `p ← p − lr·λ·p` (decoupled weight decay), then the Adam step without λ.
    case adamW(beta1: Double, beta2: Double, epsilon: Float)

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
    p.withUnsafeMutableBufferPointer { p in
      g.withUnsafeBufferPointer { g in update(p, gradient: g, buffers: &buffers, learningRate: lr, step: step) }
    }
  }

  /// `update(_:gradient:buffers:learningRate:step:)` of a parameter and gradient in memory the
  /// caller owns, with the buffers in arrays (moved out of `buffers` meanwhile, so writing them
  /// copies nothing).
  public func update(
    _ p: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>, buffers: inout [[Float]],
    learningRate lr: Float, step: Int
  ) {
    let fresh = buffers.isEmpty
    let count = method.bufferNames.count
    if fresh { buffers = (0..<count).map { _ in [Float](repeating: 0, count: p.count) } }
    var first = buffers.first ?? []
    var second = buffers.count > 1 ? buffers[1] : []
    buffers = []
    first.withUnsafeMutableBufferPointer { b0 in
      second.withUnsafeMutableBufferPointer { b1 in
        update(p, gradient: g, buffers: Array([b0, b1].prefix(count)), fresh: fresh, learningRate: lr, step: step)
      }
    }
    buffers = Array([first, second].prefix(count))
  }

  /// Updates one parameter `p` in place, in memory the caller owns: the same arithmetic as the
  /// array form, element by element in one pass (split into ranges over threads for a large
  /// parameter). The C backend's optimiser (`CRuntime.optimizer`) repeats this arithmetic in C.
  /// `buffers` are `method.bufferNames` in order, each of `p.count` elements; `fresh` says they
  /// hold nothing yet (SGD's momentum buffer then starts as the gradient, Adam's at zero).
  ///
  /// - Precondition: `p`, `g` and every buffer have the same count; Adam's buffers are zero
  ///   when `fresh`.
  public func update(
    _ p: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
    buffers: [UnsafeMutableBufferPointer<Float>], fresh: Bool, learningRate lr: Float, step: Int
  ) {
    precondition(p.count == g.count, "parameter and gradient differ in size")
    precondition(buffers.count == method.bufferNames.count && buffers.allSatisfy { $0.count == p.count })
    let whole = Operands(p: p, g: g, buffers: buffers)
    let parts = min(Processors.online, p.count / Self.elementsPerPart)
    guard parts > 1 else { return update(whole, fresh: fresh, learningRate: lr, step: step) }
    let (count, length) = (p.count, (p.count + parts - 1) / parts)
    DispatchQueue.concurrentPerform(iterations: parts) { k in
      let range = k * length..<min(count, (k + 1) * length)
      self.update(whole[range], fresh: fresh, learningRate: lr, step: step)
    }
  }

  /// The fewest elements a thread of the update takes: below twice this one thread updates
  /// the whole parameter (a thread's start costs more than the pass it would share).
  static let elementsPerPart = 1 << 15

  /// A parameter, its gradient and its optimiser buffers, or the same range of each: the
  /// update is elementwise, so ranges updated by different threads give the bits one pass
  /// would.
  struct Operands: @unchecked Sendable {
    /// The parameter, updated in place.
    let p: UnsafeMutableBufferPointer<Float>
    /// Its gradient.
    let g: UnsafeBufferPointer<Float>
    /// The optimiser's buffers, `method.bufferNames` in order, updated in place.
    let buffers: [UnsafeMutableBufferPointer<Float>]

    /// The elements in `range` of each.
    subscript(range: Range<Int>) -> Operands {
      Operands(
        p: UnsafeMutableBufferPointer(rebasing: p[range]), g: UnsafeBufferPointer(rebasing: g[range]),
        buffers: buffers.map { UnsafeMutableBufferPointer(rebasing: $0[range]) })
    }
  }

  /// The update of `operands` on one thread.
  private func update(_ operands: Operands, fresh: Bool, learningRate lr: Float, step: Int) {
    let (p, g, buffers) = (operands.p, operands.g, operands.buffers)
    let λ = weightDecay
    switch method {
    case .sgd(let μ, let nesterov):
      guard μ != 0, let b = buffers.first else {
        // Without momentum: one loop the compiler vectorises, the same arithmetic as below.
        if λ == 0 {
          for i in 0..<p.count { p[i] = p[i] - lr * g[i] }
        } else {
          for i in 0..<p.count { p[i] = p[i] - lr * (g[i] + λ * p[i]) }
        }
        return
      }
      for i in 0..<p.count {
        var d = g[i]
        if λ != 0 { d = d + λ * p[i] }
        b[i] = fresh ? d : μ * b[i] + d
        d = nesterov ? d + μ * b[i] : b[i]
        p[i] = p[i] - lr * d
      }
    case .adam(let β1, let β2, let ε):
      Optimizer.adamStep(p, g, buffers[0], buffers[1], decay: .l2(λ), lr: lr, β1: β1, β2: β2, ε: ε, step: step)
    case .adamW(let β1, let β2, let ε):
      Optimizer.adamStep(p, g, buffers[0], buffers[1], decay: .decoupled(λ), lr: lr, β1: β1, β2: β2, ε: ε, step: step)
    }
  }

  /// The f32 scalars of one Adam step, computed in `Double` as PyTorch computes them in Python
  /// floats and rounded to f32 once: what the per-element arithmetic multiplies by (here and in
  /// the C backend's optimiser, which takes them from this).
  public struct AdamScalars: Sendable, Equatable {
    /// `lr / (1 − β₁ᵗ)`.
    public let stepSize: Float
    /// `√(1 − β₂ᵗ)`.
    public let correction2: Float
    /// `1 − β₁`, `β₂` and `1 − β₂`.
    public let complement1: Float
    public let decay2: Float
    public let complement2: Float

    /// The scalars of update number `step` (1-based) at learning rate `lr`.
    public init(lr: Float, β1: Double, β2: Double, step: Int) {
      stepSize = Float(Double(lr) / (1 - pow(β1, Double(step))))
      correction2 = Float((1 - pow(β2, Double(step))).squareRoot())
      (complement1, decay2, complement2) = (Float(1 - β1), Float(β2), Float(1 - β2))
    }
  }

  /// How Adam applies the weight decay λ.
  enum Decay {
    /// `g ← g + λp` first (Adam).
    case l2(Float)
    /// `p ← p·(1 − lr·λ)` first (AdamW).
    case decoupled(Float)
  }

  /// The Adam step of `torch.optim.adam._single_tensor_adam` after the weight decay: `m ←
  /// lerp(m, g, 1−β₁)`, `v ← β₂v + (1−β₂)g²`, `p ← p − (lr/(1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)`.
  /// As in PyTorch, `1−β₁` and `1−β₂` are computed in double and rounded to f32 (0.001, not
  /// 1 − f32(0.999)), and so are the bias corrections.
  static func adamStep(
    _ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>, _ m: UnsafeMutableBufferPointer<Float>,
    _ v: UnsafeMutableBufferPointer<Float>, decay: Decay, lr: Float, β1: Double, β2: Double, ε: Float, step: Int
  ) {
    let s = AdamScalars(lr: lr, β1: β1, β2: β2, step: step)
    let (stepSize, correction2, complement1, decay2, complement2) = (
      s.stepSize, s.correction2, s.complement1, s.decay2, s.complement2
    )
    for i in 0..<p.count {
      var d = g[i]
      switch decay {
      case .l2(let λ): if λ != 0 { d = d + λ * p[i] }
      case .decoupled(let λ): if λ != 0 { p[i] = p[i] * (1 - lr * λ) }
      }
      let mi = m[i] + complement1 * (d - m[i])
      let vi = decay2 * v[i] + complement2 * d * d
      m[i] = mi
      v[i] = vi
      let denominator = vi.squareRoot() / correction2 + ε
      p[i] = p[i] + (-stepSize * mi) / denominator
    }
  }

}
