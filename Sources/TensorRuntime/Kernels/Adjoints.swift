extension Kernels {

  /// Adds row `i` of `rows` (`indices.shape + rest`) into row `indices[i]` of a zero table of
  /// shape `[size] + rest`: the transpose of `gather`, where repeated indices accumulate.
  ///
  /// - Throws: `TensorError.indexOutOfRange` naming the first index outside `0..<size`, or a
  ///   type error unless `rows` is `float32` and `indices` `int32`.
  public static func scatterAdd(_ rows: Tensor, indices: Tensor, size: Int) throws(TensorError) -> Tensor {
    guard let positions = indices.int32s else {
      throw .elementTypeMismatch(operation: "scatter_add", expected: .int32, actual: indices.elementType)
    }
    guard let values = rows.floats else {
      throw .elementTypeMismatch(operation: "scatter_add", expected: .float32, actual: rows.elementType)
    }
    guard rows.shape.starts(with: indices.shape) else {
      throw .invalidArgument(
        operation: "scatter_add", message: "rows \(rows.shape) do not start with indices \(indices.shape)")
    }
    let rest = Array(rows.shape.dropFirst(indices.rank))
    let rowLength = rest.reduce(1, *)
    var table = [Float](repeating: 0, count: try ShapeMath.elementCount([size] + rest))
    for (i, position) in positions.enumerated() {
      guard position >= 0, Int(position) < size else {
        throw .indexOutOfRange(operation: "scatter_add", index: Int(position), axisSize: size)
      }
      let target = Int(position) * rowLength
      for j in 0..<rowLength { table[target + j] += values[i * rowLength + j] }
    }
    return Tensor(uncheckedShape: [size] + rest, storage: .float32(table))
  }

  /// `tensor` written at positions `start..<start + n` of `axis`, grown to `size`, with zeros
  /// (or `false`) elsewhere: the transpose of `slice`.
  ///
  /// - Throws: `TensorError` if the axis or the placement is out of bounds.
  public static func place(_ tensor: Tensor, axis: Int, size: Int, start: Int) throws(TensorError) -> Tensor {
    guard axis >= 0, axis < tensor.rank else {
      throw .invalidAxis(operation: "place", axis: axis, rank: tensor.rank)
    }
    let n = tensor.shape[axis]
    guard start >= 0, start + n <= size else {
      throw .invalidArgument(operation: "place", message: "\(start)..<\(start + n) exceeds \(size)")
    }
    var shape = tensor.shape
    shape[axis] = size
    let outer = tensor.shape[..<axis].reduce(1, *)
    let inner = tensor.shape[(axis + 1)...].reduce(1, *)
    /// Copies the blocks of one element type into a zero buffer.
    func placed<T>(_ values: [T], zero: T) throws(TensorError) -> [T] {
      var out = [T](repeating: zero, count: try ShapeMath.elementCount(shape))
      for o in 0..<outer {
        let from = o * n * inner
        let to = (o * size + start) * inner
        for j in 0..<(n * inner) { out[to + j] = values[from + j] }
      }
      return out
    }
    let storage: Tensor.Storage
    switch tensor.storage {
    case .float32(let v): storage = .float32(try placed(v, zero: 0))
    case .int32(let v): storage = .int32(try placed(v, zero: 0))
    case .bool(let v): storage = .bool(try placed(v, zero: false))
    }
    return Tensor(uncheckedShape: shape, storage: storage)
  }

  /// A `float32` mask of `tensor`'s shape: 1 at the first maximum over `axes` jointly, 0
  /// elsewhere. "First" is in row-major order of `axes` taken in increasing axis order; a later
  /// element replaces the current maximum only when strictly greater (NaN never does).
  ///
  /// - Throws: `TensorError` unless `tensor` is `float32` and `axes` are distinct and in range.
  public static func firstMaximumMask(_ tensor: Tensor, axes: [Int]) throws(TensorError) -> Tensor {
    guard tensor.floats != nil else {
      throw .elementTypeMismatch(operation: "first_max_mask", expected: .float32, actual: tensor.elementType)
    }
    let reduced = axes.sorted()
    let kept = (0..<tensor.rank).filter { !reduced.contains($0) }
    let order = kept + reduced
    let rows = try permute(tensor, axes: order)
    let values = rows.floats!
    let rowLength = reduced.map { tensor.shape[$0] }.reduce(1, *)
    var mask = [Float](repeating: 0, count: values.count)
    if rowLength > 0 {
      for start in stride(from: 0, to: values.count, by: rowLength) {
        var best = start
        for k in start..<(start + rowLength) where values[k] > values[best] { best = k }
        mask[best] = 1
      }
    }
    let arranged = Tensor(uncheckedShape: rows.shape, storage: .float32(mask))
    var inverse = [Int](repeating: 0, count: order.count)
    for (i, a) in order.enumerated() { inverse[a] = i }
    return try permute(arranged, axes: inverse)
  }
}
