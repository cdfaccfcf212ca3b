/// Helpers that walk an output shape in row-major order while tracking strided input offsets.
enum StridedLoop {

  /// Gathers `values` read through `strides` (starting at `base`) into a row-major array of
  /// `shape`.
  ///
  /// - Precondition: every offset reached is inside `values`.
  static func gather<T>(_ values: [T], base: Int, strides: [Int], shape: [Int]) -> [T] {
    let count = shape.reduce(1, *)
    if count == 0 { return [] }
    if shape.isEmpty { return [values[base]] }
    return [T](unsafeUninitializedCapacity: count) { output, initialized in
      values.withUnsafeBufferPointer { input in
        var position = 0
        forEachRow(shape: shape, strides: [strides]) { offsets, length in
          let start = base + offsets[0]
          let step = strides[strides.count - 1]
          var source = start
          for _ in 0..<length {
            (output.baseAddress! + position).initialize(to: input[source])
            position += 1
            source += step
          }
        }
      }
      initialized = count
    }
  }

  /// Calls `body` once per innermost row of `shape`, passing each operand's offset (for the
  /// row start) computed from `strides[operand]`, and the row length.
  ///
  /// Rows are visited in row-major order. Nothing is called for an empty shape.
  @inline(__always)
  static func forEachRow(
    shape: [Int], strides: [[Int]], _ body: (_ offsets: [Int], _ length: Int) -> Void
  ) {
    let rank = shape.count
    if shape.contains(0) { return }
    if rank == 0 {
      body([Int](repeating: 0, count: strides.count), 1)
      return
    }
    let length = shape[rank - 1]
    var index = [Int](repeating: 0, count: rank)
    var offsets = [Int](repeating: 0, count: strides.count)
    while true {
      body(offsets, length)
      var axis = rank - 2
      while axis >= 0 {
        index[axis] += 1
        for operand in 0..<strides.count { offsets[operand] += strides[operand][axis] }
        if index[axis] < shape[axis] { break }
        for operand in 0..<strides.count {
          offsets[operand] -= strides[operand][axis] * shape[axis]
        }
        index[axis] = 0
        axis -= 1
      }
      if axis < 0 { return }
    }
  }

}
