/// The element types a `Tensor` can hold.
public enum ElementType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {

  /// 32-bit IEEE 754 floating point.
  case float32 = "f32"

  /// 32-bit signed integer.
  case int32 = "i32"

  /// Boolean (one byte per element in files).
  case bool = "bool"

  /// The short spelling used in messages (`f32`, `i32`, `bool`).
  public var description: String { rawValue }

}
