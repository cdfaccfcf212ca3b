/// A dense, row-major (C order) tensor of `Float`, `Int32` or `Bool` elements.
///
/// Axes are positional; the tensor knows nothing about axis names. The shape is validated on
/// construction, so `count` always equals the product of `shape`.
public struct Tensor: Sendable, Equatable {

  /// The typed element buffer of a tensor, in row-major order.
  public enum Storage: Sendable, Equatable {

    /// `Float` elements.
    case float32([Float])

    /// `Int32` elements.
    case int32([Int32])

    /// `Bool` elements.
    case bool([Bool])

  }

  /// One element of a tensor, tagged with its type.
  public enum Element: Sendable, Equatable {

    /// A `Float` element.
    case float32(Float)

    /// An `Int32` element.
    case int32(Int32)

    /// A `Bool` element.
    case bool(Bool)

  }

  /// The extent of every axis, outermost first.
  public let shape: [Int]

  /// The elements in row-major order.
  public let storage: Storage

  /// Creates a tensor without validating; callers guarantee `count(storage) == product(shape)`.
  init(uncheckedShape shape: [Int], storage: Storage) {
    self.shape = shape
    self.storage = storage
  }

  /// Creates a tensor from a shape and a storage, validating that their sizes agree.
  ///
  /// - Throws: `TensorError.invalidShape` or `.countMismatch`.
  public init(shape: [Int], storage: Storage) throws(TensorError) {
    let expected = try ShapeMath.elementCount(shape)
    let actual: Int
    switch storage {
    case .float32(let values): actual = values.count
    case .int32(let values): actual = values.count
    case .bool(let values): actual = values.count
    }
    guard expected == actual else {
      throw .countMismatch(shape: shape, expected: expected, actual: actual)
    }
    self.init(uncheckedShape: shape, storage: storage)
  }

  /// Creates a `float32` tensor from row-major values.
  public init(shape: [Int], floats: [Float]) throws(TensorError) {
    try self.init(shape: shape, storage: .float32(floats))
  }

  /// Creates an `int32` tensor from row-major values.
  public init(shape: [Int], int32s: [Int32]) throws(TensorError) {
    try self.init(shape: shape, storage: .int32(int32s))
  }

  /// Creates a `bool` tensor from row-major values.
  public init(shape: [Int], bools: [Bool]) throws(TensorError) {
    try self.init(shape: shape, storage: .bool(bools))
  }

  /// Creates a `float32` tensor of `shape` whose element at flat index `i` is `value(i)`,
  /// allocating fallibly (the size is the user's).
  ///
  /// - Parameter what: Names the tensor in an out-of-memory error.
  /// - Throws: `TensorError.invalidShape` or `.outOfMemory`; never traps.
  public static func generating(
    shape: [Int], what: String, _ value: (Int) -> Float
  ) throws(TensorError) -> Tensor {
    let count = try ShapeMath.elementCount(shape)
    try Allocation.reserve(count: count, of: .float32, for: what)
    return Tensor(uncheckedShape: shape, storage: .float32((0..<count).map(value)))
  }

  /// Creates a rank-0 `float32` tensor.
  public init(scalar: Float) { self.init(uncheckedShape: [], storage: .float32([scalar])) }

  /// Creates a rank-0 `int32` tensor.
  public init(scalar: Int32) { self.init(uncheckedShape: [], storage: .int32([scalar])) }

  /// Creates a rank-0 `bool` tensor.
  public init(scalar: Bool) { self.init(uncheckedShape: [], storage: .bool([scalar])) }

  /// Returns a tensor of `shape` filled with zeros (or `false`).
  public static func zeros(
    shape: [Int], elementType: ElementType = .float32
  ) throws(TensorError) -> Tensor {
    let count = try ShapeMath.elementCount(shape)
    try Allocation.reserve(count: count, of: elementType, for: "a tensor of shape \(shape)")
    return Tensor(uncheckedShape: shape, storage: Storage.filled(elementType, count: count))
  }

  /// The type of the elements.
  public var elementType: ElementType {
    switch storage {
    case .float32: return .float32
    case .int32: return .int32
    case .bool: return .bool
    }
  }

  /// The number of axes.
  public var rank: Int { shape.count }

  /// The number of elements.
  public var count: Int {
    switch storage {
    case .float32(let values): return values.count
    case .int32(let values): return values.count
    case .bool(let values): return values.count
    }
  }

  /// The `Float` elements, or `nil` if the tensor is not `float32`.
  public var floats: [Float]? {
    if case .float32(let values) = storage { return values }
    return nil
  }

  /// The `Int32` elements, or `nil` if the tensor is not `int32`.
  public var int32s: [Int32]? {
    if case .int32(let values) = storage { return values }
    return nil
  }

  /// The `Bool` elements, or `nil` if the tensor is not `bool`.
  public var bools: [Bool]? {
    if case .bool(let values) = storage { return values }
    return nil
  }

  /// Returns the row-major offset of a multi-index, validating it.
  public func offset(of index: [Int]) throws(TensorError) -> Int {
    guard index.count == rank else {
      throw .invalidArgument(
        operation: "element", message: "index \(index) has \(index.count) entries for rank \(rank)")
    }
    var offset = 0
    for (axis, position) in index.enumerated() {
      guard position >= 0, position < shape[axis] else {
        throw .indexOutOfRange(operation: "element", index: position, axisSize: shape[axis])
      }
      offset = offset * shape[axis] + position
    }
    return offset
  }

  /// Returns the element at a multi-index.
  ///
  /// - Throws: `TensorError` if the index has the wrong length or is out of range.
  public func element(at index: [Int]) throws(TensorError) -> Element {
    let position = try offset(of: index)
    switch storage {
    case .float32(let values): return .float32(values[position])
    case .int32(let values): return .int32(values[position])
    case .bool(let values): return .bool(values[position])
    }
  }

  /// Returns the `float32` elements or throws naming `operation`.
  func requireFloats(_ operation: String) throws(TensorError) -> [Float] {
    guard case .float32(let values) = storage else {
      throw .elementTypeMismatch(operation: operation, expected: .float32, actual: elementType)
    }
    return values
  }

  /// Returns the same elements viewed with a new shape of equal element count.
  ///
  /// - Throws: `TensorError` if the new shape is invalid or has a different element count.
  public func reshaped(to newShape: [Int]) throws(TensorError) -> Tensor {
    let newCount = try ShapeMath.elementCount(newShape)
    guard newCount == count else { throw .shapeMismatch(operation: "reshape", shape, newShape) }
    return Tensor(uncheckedShape: newShape, storage: storage)
  }

}

extension Tensor.Storage {

  /// Returns a storage of `count` zeros (or `false`) of the given type.
  static func filled(_ type: ElementType, count: Int) -> Tensor.Storage {
    switch type {
    case .float32: return .float32([Float](repeating: 0, count: count))
    case .int32: return .int32([Int32](repeating: 0, count: count))
    case .bool: return .bool([Bool](repeating: false, count: count))
    }
  }

}
