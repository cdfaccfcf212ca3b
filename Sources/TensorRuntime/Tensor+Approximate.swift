extension Tensor {

  /// Returns whether two tensors have the same shape and type and elementwise close values.
  ///
  /// For `float32` tensors, elements `x` and `y` are close when
  /// `|x - y| <= max(absoluteTolerance, relativeTolerance * max(|x|, |y|))`.
  /// Infinities must match exactly and NaN matches only NaN (so masked outputs compare
  /// predictably). The relation is symmetric but not transitive. `int32` and `bool` tensors
  /// must be exactly equal; the tolerances are ignored for them.
  ///
  /// - Parameters:
  ///   - other: The tensor to compare with.
  ///   - relativeTolerance: Allowed error relative to the larger magnitude; default `1e-5`.
  ///   - absoluteTolerance: Allowed error near zero; default `0`.
  public func isApproximatelyEqual(
    to other: Tensor, relativeTolerance: Float = 1e-5, absoluteTolerance: Float = 0
  ) -> Bool {
    guard shape == other.shape else { return false }
    switch (storage, other.storage) {
    case (.float32(let lhs), .float32(let rhs)):
      for (x, y) in zip(lhs, rhs) {
        if x.isNaN || y.isNaN {
          if x.isNaN != y.isNaN { return false }
          continue
        }
        if x.isInfinite || y.isInfinite {
          if x != y { return false }
          continue
        }
        let scale = Swift.max(Swift.abs(x), Swift.abs(y))
        if Swift.abs(x - y) > Swift.max(absoluteTolerance, relativeTolerance * scale) {
          return false
        }
      }
      return true
    case (.int32(let lhs), .int32(let rhs)):
      return lhs == rhs
    case (.bool(let lhs), .bool(let rhs)):
      return lhs == rhs
    default:
      return false
    }
  }

}
