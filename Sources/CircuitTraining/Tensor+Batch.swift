import TensorRuntime

/// Mini-batches cut out of whole data sets.
extension Tensor {

  /// The elements at `indices` along axis number `axis`, in that order (the axis keeps its
  /// position; its size becomes `indices.count`).
  ///
  /// - Precondition: `axis` is an axis of the tensor and every index lies within it.
  public func selecting(_ indices: [Int], alongAxis axis: Int) -> Tensor {
    precondition(axis >= 0 && axis < rank, "no axis \(axis) in a rank-\(rank) tensor")
    let size = shape[axis]
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    /// Copies the selected slices of one element type.
    func pick<T>(_ values: [T]) -> [T] {
      var out: [T] = []
      out.reserveCapacity(outer * indices.count * inner)
      for o in 0..<outer {
        for i in indices {
          precondition(i >= 0 && i < size, "index \(i) outside an axis of size \(size)")
          let start = (o * size + i) * inner
          out.append(contentsOf: values[start..<(start + inner)])
        }
      }
      return out
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
}
