/// Shape arithmetic shared by tensors, kernels and file readers.
public enum ShapeMath {

  /// The largest element count a tensor may have (2^31), so allocation sizes stay sane.
  public static let maximumElementCount = 1 << 31

  /// Returns the number of elements of `shape`, validating every extent.
  ///
  /// - Throws: `TensorError.invalidShape` if an extent is negative, the product overflows
  ///   `Int`, or the product exceeds `maximumElementCount`. Never traps.
  public static func elementCount(_ shape: [Int]) throws(TensorError) -> Int {
    var count = 1
    var overflowed = false
    for extent in shape {
      if extent < 0 { throw .invalidShape(shape, reason: "extent \(extent) is negative") }
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      if overflow { overflowed = true } else { count = product }
    }
    if shape.contains(0) { return 0 }
    if overflowed { throw .invalidShape(shape, reason: "element count overflows") }
    if count > maximumElementCount {
      throw .invalidShape(
        shape, reason: "element count \(count) exceeds the limit of \(maximumElementCount)")
    }
    return count
  }

  /// Returns row-major (C order) strides, in elements, for a valid `shape`.
  public static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis] = running
      running &*= Swift.max(shape[axis], 1)
    }
    return strides
  }

  /// Returns the strides that read an operand of shape `shape` as if it had `outputShape`.
  ///
  /// Operand axis `i` is placed at output axis `axisMap[i]`; output axes not named in `axisMap`
  /// get stride 0 (broadcast). An operand axis of extent 1 may map to any output extent
  /// (stride 0); otherwise extents must agree.
  ///
  /// - Throws: `TensorError` if `axisMap` is not strictly increasing within `0..<outputShape.count`
  ///   or an extent disagrees.
  public static func broadcastStrides(
    from shape: [Int], to outputShape: [Int], axisMap: [Int]
  ) throws(TensorError) -> [Int] {
    let operation = "broadcast"
    guard axisMap.count == shape.count else {
      throw .invalidArgument(
        operation: operation,
        message: "axis map \(axisMap) has \(axisMap.count) entries for rank \(shape.count)")
    }
    let source = contiguousStrides(shape)
    var result = [Int](repeating: 0, count: outputShape.count)
    var previous = -1
    for (axis, target) in axisMap.enumerated() {
      guard target > previous, target < outputShape.count else {
        throw .invalidAxis(operation: operation, axis: target, rank: outputShape.count)
      }
      previous = target
      if shape[axis] == outputShape[target] {
        result[target] = shape[axis] == 1 ? 0 : source[axis]
      } else if shape[axis] == 1 {
        result[target] = 0
      } else {
        throw .shapeMismatch(operation: operation, shape, outputShape)
      }
    }
    return result
  }

  /// Validates a list of axes against `rank`: each in range and none repeated.
  static func validateAxes(
    _ axes: [Int], rank: Int, operation: String
  ) throws(TensorError) {
    var seen = [Bool](repeating: false, count: rank)
    for axis in axes {
      guard axis >= 0, axis < rank, !seen[axis] else {
        throw .invalidAxis(operation: operation, axis: axis, rank: rank)
      }
      seen[axis] = true
    }
  }

}
