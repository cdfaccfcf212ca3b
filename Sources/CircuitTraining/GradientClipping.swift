/// Clipping by global norm (`torch.nn.utils.clip_grad_norm_`).
public enum GradientClipping {

  /// The elements of one block of a gradient's `Σ g²` (`sumOfSquares`): 2¹⁶. A gradient's
  /// blocks are summed in order, so the C backend's optimiser can share them among threads
  /// and still give these bits.
  public static let normBlock = 65536

  /// The global norm `n = √(Σ over every gradient of Σ g²)`, accumulated in `Double`: the
  /// `sumOfSquares` of every block of `normBlock` elements of every gradient, added in order.
  public static func globalNorm<G: Collection<Float>>(_ gradients: [G]) -> Double {
    var sum = 0.0
    for g in gradients {
      let done: Void? = g.withContiguousStorageIfAvailable { g in
        var start = 0
        while start < g.count {
          let end = min(start + normBlock, g.count)
          sum += sumOfSquares(UnsafeBufferPointer(rebasing: g[start..<end]))
          start = end
        }
      }
      if done == nil {
        for x in g { sum += Double(x) * Double(x) }
      }
    }
    return sum.squareRoot()
  }

  /// `Σ g²` of contiguous `g`, accumulated in `Double` in eight interleaved lanes (element `i`
  /// into lane `i mod 8`, the lanes added in order at the end, then the tail): the same order
  /// on every call, and not held up by one long chain of dependent additions (a step's
  /// gradients take one pass at memory speed, not one addition's latency per element).
  static func sumOfSquares(_ g: UnsafeBufferPointer<Float>) -> Double {
    guard let base = g.baseAddress else { return 0 }
    var lanes = SIMD8<Double>()
    var i = 0
    while i + 8 <= g.count {
      let x = SIMD8<Double>(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self))
      lanes += x * x
      i += 8
    }
    var tail = 0.0
    while i < g.count {
      tail += Double(g[i]) * Double(g[i])
      i += 1
    }
    var sum = -0.0
    for j in 0..<8 { sum += lanes[j] }
    return sum + tail
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
