extension Kernels {

  /// Returns `tensor` with its axes reordered: output axis `i` is input axis `axes[i]`.
  ///
  /// This is a general transpose; the result is materialized in row-major order.
  /// - Throws: `TensorError.invalidAxis` unless `axes` is a permutation of `0..<rank`.
  public static func permute(_ tensor: Tensor, axes: [Int]) throws(TensorError) -> Tensor {
    guard axes.count == tensor.rank else {
      throw .invalidArgument(
        operation: "permute", message: "\(axes.count) axes given for rank \(tensor.rank)")
    }
    try ShapeMath.validateAxes(axes, rank: tensor.rank, operation: "permute")
    if axes == Array(0..<tensor.rank) { return tensor }
    let inputStrides = ShapeMath.contiguousStrides(tensor.shape)
    let shape = axes.map { tensor.shape[$0] }
    let strides = axes.map { inputStrides[$0] }
    return gathered(tensor, base: 0, strides: strides, shape: shape)
  }

  /// Returns the elements of `tensor` read at `base` through `strides` as a tensor of `shape`.
  static func gathered(_ tensor: Tensor, base: Int, strides: [Int], shape: [Int]) -> Tensor {
    let storage: Tensor.Storage
    switch tensor.storage {
    case .float32(let v):
      storage = .float32(StridedLoop.gather(v, base: base, strides: strides, shape: shape))
    case .int32(let v):
      storage = .int32(StridedLoop.gather(v, base: base, strides: strides, shape: shape))
    case .bool(let v):
      storage = .bool(StridedLoop.gather(v, base: base, strides: strides, shape: shape))
    }
    return Tensor(uncheckedShape: shape, storage: storage)
  }

  /// Returns `tensor` materialized at `shape`, reading it through `strides` (0 = broadcast).
  ///
  /// Use `ShapeMath.broadcastStrides(from:to:axisMap:)` to compute `strides`.
  /// - Throws: `TensorError` if some reachable offset falls outside the tensor.
  public static func broadcast(
    _ tensor: Tensor, to shape: [Int], strides: [Int]
  ) throws(TensorError) -> Tensor {
    try checkStridedAccess(tensor, shape: shape, strides: strides, operation: "broadcast")
    return gathered(tensor, base: 0, strides: strides, shape: shape)
  }

  /// Checks that reading `tensor` through `strides` over `shape` stays in bounds.
  static func checkStridedAccess(
    _ tensor: Tensor, shape: [Int], strides: [Int], operation: String
  ) throws(TensorError) {
    guard strides.count == shape.count else {
      throw .invalidArgument(
        operation: operation, message: "\(strides.count) strides for rank \(shape.count)")
    }
    let count = try ShapeMath.elementCount(shape)
    if count == 0 { return }
    var last = 0
    for (extent, step) in zip(shape, strides) {
      guard step >= 0 else {
        throw .invalidArgument(operation: operation, message: "negative stride \(step)")
      }
      let (span, o1) = (extent - 1).multipliedReportingOverflow(by: step)
      let (sum, o2) = last.addingReportingOverflow(span)
      guard !o1, !o2 else {
        throw .invalidArgument(operation: operation, message: "strides \(strides) overflow")
      }
      last = sum
    }
    guard last < tensor.count else {
      throw .invalidArgument(
        operation: operation,
        message: "strides \(strides) over shape \(shape) reach offset \(last) of \(tensor.count)")
    }
  }

  /// Joins tensors of equal type along `axis`; all other extents must agree.
  ///
  /// - Throws: `TensorError` for an empty list, mixed types, a bad axis or differing extents.
  public static func concat(_ tensors: [Tensor], axis: Int) throws(TensorError) -> Tensor {
    guard let first = tensors.first else {
      throw .invalidArgument(operation: "concat", message: "no tensors given")
    }
    guard axis >= 0, axis < first.rank else {
      throw .invalidAxis(operation: "concat", axis: axis, rank: first.rank)
    }
    var shape = first.shape
    shape[axis] = 0
    for tensor in tensors {
      guard tensor.elementType == first.elementType else {
        throw .elementTypeMismatch(
          operation: "concat", expected: first.elementType, actual: tensor.elementType)
      }
      var other = tensor.shape
      guard other.count == shape.count else {
        throw .shapeMismatch(operation: "concat", first.shape, tensor.shape)
      }
      other[axis] = 0
      var reference = first.shape
      reference[axis] = 0
      guard other == reference else {
        throw .shapeMismatch(operation: "concat", first.shape, tensor.shape)
      }
      shape[axis] += tensor.shape[axis]
    }
    let outer = shape[..<axis].reduce(1, *)
    let count = try ShapeMath.elementCount(shape)
    /// Interleaves the row blocks of every part for one element type.
    func join<T>(_ parts: [[T]]) -> [T] {
      var result = [T]()
      result.reserveCapacity(count)
      let blocks = tensors.map { $0.shape[axis...].reduce(1, *) }
      for row in 0..<outer {
        for (part, block) in zip(parts, blocks) {
          result.append(contentsOf: part[(row * block)..<((row + 1) * block)])
        }
      }
      return result
    }
    let storage: Tensor.Storage
    switch first.storage {
    case .float32: storage = .float32(join(tensors.map { $0.floats ?? [] }))
    case .int32: storage = .int32(join(tensors.map { $0.int32s ?? [] }))
    case .bool: storage = .bool(join(tensors.map { $0.bools ?? [] }))
    }
    return Tensor(uncheckedShape: shape, storage: storage)
  }

  /// Returns the positions `range` of `axis`, keeping the axis (with extent `range.count`).
  ///
  /// - Throws: `TensorError` if the axis or range is out of bounds.
  public static func slice(
    _ tensor: Tensor, axis: Int, range: Range<Int>
  ) throws(TensorError) -> Tensor {
    guard axis >= 0, axis < tensor.rank else {
      throw .invalidAxis(operation: "slice", axis: axis, rank: tensor.rank)
    }
    guard range.lowerBound >= 0, range.upperBound <= tensor.shape[axis] else {
      throw .invalidArgument(
        operation: "slice",
        message: "range \(range) is outside axis \(axis) of size \(tensor.shape[axis])")
    }
    let strides = ShapeMath.contiguousStrides(tensor.shape)
    var shape = tensor.shape
    shape[axis] = range.count
    return gathered(tensor, base: range.lowerBound * strides[axis], strides: strides, shape: shape)
  }

  /// Selects one `position` along `axis` and drops that axis.
  ///
  /// - Throws: `TensorError.indexOutOfRange` naming the position if it is outside the axis.
  public static func index(
    _ tensor: Tensor, axis: Int, position: Int
  ) throws(TensorError) -> Tensor {
    guard axis >= 0, axis < tensor.rank else {
      throw .invalidAxis(operation: "index", axis: axis, rank: tensor.rank)
    }
    guard position >= 0, position < tensor.shape[axis] else {
      throw .indexOutOfRange(operation: "index", index: position, axisSize: tensor.shape[axis])
    }
    var strides = ShapeMath.contiguousStrides(tensor.shape)
    let base = position * strides[axis]
    var shape = tensor.shape
    shape.remove(at: axis)
    strides.remove(at: axis)
    return gathered(tensor, base: base, strides: strides, shape: shape)
  }

}
