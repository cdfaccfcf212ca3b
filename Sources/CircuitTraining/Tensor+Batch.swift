import TensorRuntime

/// Mini-batches cut out of whole data sets.
extension Tensor {

  /// The elements at `indices` along axis number `axis`, in that order (the axis keeps its
  /// position; its size becomes `indices.count`).
  ///
  /// - Precondition: `axis` is an axis of the tensor and every index lies within it.
  public func selecting(_ indices: [Int], alongAxis axis: Int) -> Tensor {
    let n = count / Swift.max(1, shape[axis]) * indices.count
    /// The selection as an array of one element type.
    func pick<T>(_ values: [T]) -> [T] {
      values.withUnsafeBytes { source in
        [T](unsafeUninitializedCapacity: n) { out, initialized in
          Tensor.select(indices, alongAxis: axis, of: shape, from: source, to: UnsafeMutableRawPointer(out.baseAddress!))
          initialized = n
        }
      }
    }
    var newShape = shape
    newShape[axis] = indices.count
    let storage: Storage
    switch self.storage {
    case .float32(let v): storage = .float32(pick(v))
    case .int32(let v): storage = .int32(pick(v))
    case .bool(let v): storage = .bool(pick(v))
    }
    // The shape and the element count agree by construction.
    return (try? Tensor(shape: newShape, storage: storage))!
  }

  /// Writes `selecting(indices, alongAxis: axis)`'s elements to `destination` (the C
  /// backend's input buffer: a batch copied in place, with no tensor in between).
  ///
  /// - Precondition: as `selecting`; `destination` has room for the selection.
  public func copySelection(_ indices: [Int], alongAxis axis: Int, to destination: UnsafeMutableRawPointer) {
    /// Copies from one element type's array.
    func copy<T>(_ values: [T]) {
      values.withUnsafeBytes { Tensor.select(indices, alongAxis: axis, of: shape, from: $0, to: destination) }
    }
    switch storage {
    case .float32(let v): copy(v)
    case .int32(let v): copy(v)
    case .bool(let v): copy(v)
    }
  }

  /// Copies the slices at `indices` along `axis` of a row-major tensor of `shape` stored at
  /// `source` to `destination`, one contiguous run of the axes after `axis` at a time.
  private static func select(
    _ indices: [Int], alongAxis axis: Int, of shape: [Int], from source: UnsafeRawBufferPointer,
    to destination: UnsafeMutableRawPointer
  ) {
    precondition(axis >= 0 && axis < shape.count, "no axis \(axis) in a rank-\(shape.count) tensor")
    let size = shape[axis]
    let outer = shape[..<axis].reduce(1, *)
    let elements = shape.reduce(1, *)
    let width = elements == 0 ? 0 : source.count / elements
    let run = shape[(axis + 1)...].reduce(1, *) * width
    var out = destination
    for o in 0..<outer {
      for i in indices {
        precondition(i >= 0 && i < size, "index \(i) outside an axis of size \(size)")
        if run > 0 { out.copyBytes(from: source.baseAddress! + (o * size + i) * run, count: run) }
        out += run
      }
    }
  }
}
