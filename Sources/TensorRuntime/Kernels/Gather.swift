extension Kernels {

  /// Embedding lookup: selects rows of `table` (`[V, …]`) with an `int32` index tensor of any
  /// shape.
  ///
  /// The result has shape `indices.shape + table.shape[1...]` and `table`'s element type.
  /// - Throws: `TensorError.indexOutOfRange` naming the first index outside `0..<V`, or a type
  ///   error if `indices` is not `int32` or `table` has rank 0.
  public static func gather(_ table: Tensor, indices: Tensor) throws(TensorError) -> Tensor {
    guard let positions = indices.int32s else {
      throw .elementTypeMismatch(operation: "gather", expected: .int32, actual: indices.elementType)
    }
    guard table.rank >= 1 else {
      throw .invalidArgument(operation: "gather", message: "the table must have at least one axis")
    }
    let vocabulary = table.shape[0]
    for position in positions where position < 0 || Int(position) >= vocabulary {
      throw .indexOutOfRange(operation: "gather", index: Int(position), axisSize: vocabulary)
    }
    let rowLength = table.shape.dropFirst().reduce(1, *)
    let shape = indices.shape + table.shape.dropFirst()
    _ = try ShapeMath.elementCount(shape)
    /// Copies the selected rows of one element type.
    func pick<T>(_ values: [T]) -> [T] {
      var result = [T]()
      result.reserveCapacity(positions.count * rowLength)
      for position in positions {
        let start = Int(position) * rowLength
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
