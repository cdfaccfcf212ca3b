/// Clipping by global norm (`torch.nn.utils.clip_grad_norm_`).
public enum GradientClipping {

  /// The global norm `n = √(Σ over every gradient of Σ g²)`, accumulated in `Double`.
  public static func globalNorm<G: Collection<Float>>(_ gradients: [G]) -> Double {
    var sum = 0.0
    for g in gradients {
      for x in g { sum += Double(x) * Double(x) }
    }
    return sum.squareRoot()
  }

  /// The factor `min(1, maximum / (n + 1e-6))` that clipping scales every gradient by, for
  /// gradients of global norm `norm`.
  public static func factor(norm: Double, maximumNorm maximum: Float) -> Float {
    Float(min(1, Double(maximum) / (norm + 1e-6)))
  }

  /// Scales every gradient by `factor(norm:maximumNorm:)` of their global norm; returns the
  /// norm (before clipping).
  @discardableResult
  public static func clip(_ gradients: inout [[Float]], maximumNorm maximum: Float) -> Double {
    let norm = globalNorm(gradients)
    let factor = factor(norm: norm, maximumNorm: maximum)
    if factor < 1 {
      for k in gradients.indices {
        for i in gradients[k].indices { gradients[k][i] *= factor }
      }
    }
    return norm
  }
}
