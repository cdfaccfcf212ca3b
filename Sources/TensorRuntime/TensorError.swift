/// An error raised by tensor construction or by a kernel.
///
/// Every case renders as one line naming the operation and the offending values.
public enum TensorError: Error, Sendable, Equatable, CustomStringConvertible {

  /// A shape has a negative extent, or its element count overflows or exceeds the limit.
  case invalidShape([Int], reason: String)

  /// The number of values does not match the shape's element count.
  case countMismatch(shape: [Int], expected: Int, actual: Int)

  /// An operation received a tensor of the wrong element type.
  case elementTypeMismatch(operation: String, expected: ElementType, actual: ElementType)

  /// Two operands' shapes are incompatible for an operation.
  case shapeMismatch(operation: String, [Int], [Int])

  /// An axis number is outside `0..<rank`, or is repeated.
  case invalidAxis(operation: String, axis: Int, rank: Int)

  /// An index is outside its axis.
  case indexOutOfRange(operation: String, index: Int, axisSize: Int)

  /// Any other invalid argument, described in words.
  case invalidArgument(operation: String, message: String)

  /// The system refused memory for a buffer (`bytes` is `Int.max` when the size overflows).
  case outOfMemory(what: String, bytes: Int)

  /// A one-line description of the problem.
  public var description: String {
    switch self {
    case .invalidShape(let shape, let reason):
      return "invalid shape \(shape): \(reason)"
    case .countMismatch(let shape, let expected, let actual):
      return "shape \(shape) needs \(expected) values but \(actual) were given"
    case .elementTypeMismatch(let operation, let expected, let actual):
      return "\(operation): expected \(expected) elements but got \(actual)"
    case .shapeMismatch(let operation, let lhs, let rhs):
      return "\(operation): shapes \(lhs) and \(rhs) are incompatible"
    case .invalidAxis(let operation, let axis, let rank):
      return "\(operation): axis \(axis) is invalid for rank \(rank)"
    case .indexOutOfRange(let operation, let index, let axisSize):
      return "\(operation): index \(index) is out of range for axis of size \(axisSize)"
    case .invalidArgument(let operation, let message):
      return "\(operation): \(message)"
    case .outOfMemory(let what, let bytes):
      let amount = bytes == Int.max ? "more than 2^63 bytes" : "\(bytes) bytes"
      return "out of memory: \(what) needs \(amount), which the system does not grant"
    }
  }

}
