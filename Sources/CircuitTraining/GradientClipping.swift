/// Clipping by global norm (`torch.nn.utils.clip_grad_norm_`).
public enum GradientClipping {

  /// The global norm `n = √(Σ over every gradient of Σ g²)`, accumulated in `Double`.
  public static func globalNorm(_ gradients: [[Float]]) -> Double {
    var sum = 0.0
    for g in gradients {
      for x in g { sum += Double(x) * Double(x) }
    }
    return sum.squareRoot()
  }

  /// Scales every gradient by `min(1, maximum / (n + 1e-6))` where `n` is their global norm;
  /// returns `n` (before clipping).
  @discardableResult
  public static func clip(_ gradients: inout [[Float]], maximumNorm maximum: Float) -> Double {
    let norm = globalNorm(gradients)
    let factor = Float(min(1, Double(maximum) / (norm + 1e-6)))
    if factor < 1 {
      for k in gradients.indices {
        for i in gradients[k].indices { gradients[k][i] *= factor }
      }
    }
    return norm
  }
}
