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
    // Coalesce: drop extent-1 axes and merge neighbours that are contiguous in the input, so
    // that rows are as long as possible.
    var dims: [(extent: Int, stride: Int)] = []
    for (n, st) in zip(shape, strides) where n != 1 {
      if let last = dims.last, last.stride == st * n {
        dims[dims.count - 1] = (last.extent * n, st)
      } else {
        dims.append((n, st))
      }
    }
    if dims.isEmpty { dims = [(1, 0)] }
    let rowLength = dims[dims.count - 1].extent
    let step = dims[dims.count - 1].stride
    let outer = Array(dims.dropLast())
    return [T](unsafeUninitializedCapacity: count) { output, initialized in
      values.withUnsafeBufferPointer { input in
        guard let out = output.baseAddress, let inp = input.baseAddress else { return }
        if outer.count == 1 && step != 1 {
          transposeTiles(
            from: inp + base, rows: outer[0].extent, rowStride: outer[0].stride, columns: rowLength,
            columnStride: step, into: out)
          return
        }
        var index = [Int](repeating: 0, count: outer.count)
        var offset = base
        var position = 0
        while true {
          let source = inp + offset
          let target = out + position
          if step == 1 {
            target.initialize(from: source, count: rowLength)
          } else {
            for t in 0..<rowLength { (target + t).initialize(to: source[t * step]) }
          }
          position += rowLength
          var axis = outer.count - 1
          while axis >= 0 {
            index[axis] += 1
            offset += outer[axis].stride
            if index[axis] < outer[axis].extent { break }
            offset -= outer[axis].stride * outer[axis].extent
            index[axis] = 0
            axis -= 1
          }
          if axis < 0 { break }
        }
      }
      initialized = count
    }
  }

  /// Writes the `rows × columns` matrix read at `source[i * rowStride + j * columnStride]` into
  /// `target` row-major, in square tiles so that strided reads (a transpose) stay in cache.
  static func transposeTiles<T>(
    from source: UnsafePointer<T>, rows: Int, rowStride: Int, columns: Int, columnStride: Int,
    into target: UnsafeMutablePointer<T>
  ) {
    let tile = 32
    for rowStart in stride(from: 0, to: rows, by: tile) {
      let rowEnd = min(rows, rowStart + tile)
      for columnStart in stride(from: 0, to: columns, by: tile) {
        let columnEnd = min(columns, columnStart + tile)
        for i in rowStart..<rowEnd {
          let from = source + i * rowStride
          let to = target + i * columns
          for j in columnStart..<columnEnd { (to + j).initialize(to: from[j * columnStride]) }
        }
      }
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
