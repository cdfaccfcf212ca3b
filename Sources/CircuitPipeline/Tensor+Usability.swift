import TensorRuntime

extension Tensor {

  /// Why the tensor cannot be used as data: NaNs (and infinities unless allowed, as in
  /// additive masks), with the count and the first position; nil when every value is usable.
  public func nonFiniteProblem(allowingInfinity: Bool) -> String? {
    guard let values = floats else { return nil }
    var count = 0
    var first = -1
    for (i, v) in values.enumerated() where v.isNaN || (!allowingInfinity && v.isInfinite) {
      count += 1
      if first < 0 { first = i }
    }
    guard count > 0 else { return nil }
    let what = allowingInfinity ? "NaN" : "NaN or infinite"
    return "contains \(count) \(what) value\(count == 1 ? "" : "s") (the first at flat index \(first))"
  }
}
