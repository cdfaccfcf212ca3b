extension Kernels {

  /// Embedding lookup: selects rows of `table` (`[B…, V, …]`) with an `int32` index tensor
  /// (`[B…, N…]`) whose first `batchAxes` axes are shared with the table: each batch
  /// position looks up in its own slice (take-along-axis; 0 batch axes is a plain lookup).
  ///
  /// The result has shape `indices.shape + table.shape[(batchAxes + 1)...]` and `table`'s
  /// element type.
  /// - Throws: `TensorError.indexOutOfRange` naming the first index outside `0..<V`, or a type
  ///   error if `indices` is not `int32`, the table lacks the looked-up axis, or the batch
  ///   extents differ.
  public static func gather(
    _ table: Tensor, indices: Tensor, batchAxes: Int = 0
  ) throws(TensorError) -> Tensor {
    guard let positions = indices.int32s else {
      throw .elementTypeMismatch(operation: "gather", expected: .int32, actual: indices.elementType)
    }
    guard table.rank >= batchAxes + 1, indices.rank >= batchAxes else {
      throw .invalidArgument(operation: "gather", message: "the table must have at least one axis")
    }
    guard Array(table.shape.prefix(batchAxes)) == Array(indices.shape.prefix(batchAxes)) else {
      throw .shapeMismatch(operation: "gather", table.shape, indices.shape)
    }
    let vocabulary = table.shape[batchAxes]
    for position in positions where position < 0 || Int(position) >= vocabulary {
      throw .indexOutOfRange(operation: "gather", index: Int(position), axisSize: vocabulary)
    }
    let rowLength = table.shape.dropFirst(batchAxes + 1).reduce(1, *)
    let batches = table.shape.prefix(batchAxes).reduce(1, *)
    let perBatch = batches == 0 ? 0 : positions.count / batches
    let shape = indices.shape + table.shape.dropFirst(batchAxes + 1)
    _ = try ShapeMath.elementCount(shape)
    /// Copies the selected rows of one element type.
    func pick<T>(_ values: [T]) -> [T] {
      var result = [T]()
      result.reserveCapacity(positions.count * rowLength)
      for (k, position) in positions.enumerated() {
        let batch = perBatch == 0 ? 0 : k / perBatch
        let start = (batch * vocabulary + Int(position)) * rowLength
        result.append(contentsOf: values[start..<(start + rowLength)])
      }
      return result
    }
    let storage: Tensor.Storage
    switch table.storage {
    case .float32(let v): storage = .float32(pick(v))
    case .int32(let v): storage = .int32(pick(v))
    case .bool(let v): storage = .bool(pick(v))
    }
    return Tensor(uncheckedShape: shape, storage: storage)
  }

  /// Returns a `bool` causal mask of shape `[queries, keys]`: position `(i, j)` is `true`
  /// (attend) when `j <= i + offset`.
  ///
  /// With `offset = keys - queries` the last query sees every key (decoding with a cache).
  /// - Throws: `TensorError` if `queries` or `keys` is negative or too large.
  public static func causalMask(
    queries: Int, keys: Int, offset: Int = 0
  ) throws(TensorError) -> Tensor {
    let count = try ShapeMath.elementCount([queries, keys])
    var values = [Bool](repeating: false, count: count)
    for i in 0..<queries {
      for j in 0..<keys where j - i <= offset { values[i * keys + j] = true }
    }
    return Tensor(uncheckedShape: [queries, keys], storage: .bool(values))
  }

}
