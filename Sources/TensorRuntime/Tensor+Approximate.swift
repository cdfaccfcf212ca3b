/// How far a tensor is from a reference tensor: the one measure of closeness used to compare
/// backends, plans and independent references.
///
/// `absolute` is the largest `|x - r|` over the elements; `relative` divides it by the
/// reference's largest finite magnitude (the *scale*), so it is relative to the output as a
/// whole, not to each element: an element near zero in a large output may differ by
/// `relative · scale`. For an all-zero reference, `relative` is `absolute`. Both are infinite
/// when the shapes or element types differ, when a NaN or infinity is not matched exactly, or
/// when an `int32` or `bool` element differs at all (indices and masks must agree exactly).
public struct TensorDifference: Sendable, Equatable, CustomStringConvertible {

  /// The largest absolute difference of two elements.
  public let absolute: Double

  /// `absolute` divided by the reference's largest finite magnitude (`absolute` when that is 0).
  public let relative: Double

  /// The difference of tensors that cannot be compared, or that disagree exactly somewhere.
  public static let incomparable = TensorDifference(absolute: .infinity, relative: .infinity)

  /// Whether the difference is within `relativeTolerance` of the reference's scale, or at
  /// most `absoluteTolerance` (a floor for outputs whose scale is tiny).
  public func isWithin(relativeTolerance: Double = Tensor.relativeTolerance, absoluteTolerance: Double = 0) -> Bool {
    relative <= relativeTolerance || absolute <= absoluteTolerance
  }

  /// `abs 1.2e-7 rel 3.4e-8`.
  public var description: String { "abs \(absolute) rel \(relative)" }
}

extension Tensor {

  /// The relative tolerance that the C backend, every lowering plan and float32 references
  /// must meet: `1e-5` of each output's largest magnitude (see `TensorDifference`).
  public static let relativeTolerance = 1e-5

  /// How far this tensor is from `reference` (see `TensorDifference`).
  public func difference(from reference: Tensor) -> TensorDifference {
    guard shape == reference.shape else { return .incomparable }
    switch (storage, reference.storage) {
    case (.float32(let values), .float32(let expected)):
      var absolute = 0.0
      var scale = 0.0
      for (x, r) in zip(values.lazy.map(Double.init), expected.lazy.map(Double.init)) {
        if x.isNaN || r.isNaN || x.isInfinite || r.isInfinite {
          if !(x.isNaN && r.isNaN) && x != r { return .incomparable }
          continue
        }
        absolute = Swift.max(absolute, Swift.abs(x - r))
        scale = Swift.max(scale, Swift.abs(r))
      }
      return TensorDifference(absolute: absolute, relative: scale > 0 ? absolute / scale : absolute)
    case (.int32(let values), .int32(let expected)):
      return values == expected ? TensorDifference(absolute: 0, relative: 0) : .incomparable
    case (.bool(let values), .bool(let expected)):
      return values == expected ? TensorDifference(absolute: 0, relative: 0) : .incomparable
    default:
      return .incomparable
    }
  }

  /// Whether this tensor is within the tolerances of `reference`:
  /// `difference(from: reference).isWithin(relativeTolerance:absoluteTolerance:)`.
  ///
  /// The relation is not symmetric: the scale is the reference's largest finite magnitude.
  public func isApproximatelyEqual(
    to reference: Tensor, relativeTolerance: Double = Tensor.relativeTolerance, absoluteTolerance: Double = 0
  ) -> Bool {
    difference(from: reference).isWithin(relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance)
  }
}
