/// An on-disk element encoding, and its decoding into one of the three tensor element types.
enum RawElementType: Sendable, Equatable {

  /// IEEE half precision, widened to `float32`.
  case float16

  /// bfloat16, widened to `float32`.
  case bfloat16

  /// IEEE single precision.
  case float32

  /// IEEE double precision, narrowed to `float32` (with a warning).
  case float64

  /// Signed 8-bit, widened to `int32`.
  case int8

  /// Signed 16-bit, widened to `int32`.
  case int16

  /// Signed 32-bit.
  case int32

  /// Signed 64-bit, narrowed to `int32` (with a warning; out-of-range values are an error).
  case int64

  /// Unsigned 8-bit, widened to `int32`.
  case uint8

  /// Unsigned 16-bit, widened to `int32`.
  case uint16

  /// One byte per element, 0 or 1 (other values are read as `true`).
  case bool

  /// Bytes per element.
  var itemSize: Int {
    switch self {
    case .int8, .uint8, .bool: return 1
    case .float16, .bfloat16, .int16, .uint16: return 2
    case .float32, .int32: return 4
    case .float64, .int64: return 8
    }
  }

  /// The name of the encoding as numpy spells it (`int64`, `bfloat16`, …).
  var name: String {
    switch self {
    case .float16: "float16"
    case .bfloat16: "bfloat16"
    case .float32: "float32"
    case .float64: "float64"
    case .int8: "int8"
    case .int16: "int16"
    case .int32: "int32"
    case .int64: "int64"
    case .uint8: "uint8"
    case .uint16: "uint16"
    case .bool: "bool"
    }
  }

  /// The warning reported when this encoding is narrowed, or `nil`.
  var narrowingWarning: String? {
    switch self {
    case .float64: return "float64 data was narrowed to float32"
    case .int64: return "int64 data was narrowed to int32"
    default: return nil
    }
  }

  /// Decodes `count` elements starting at `offset`.
  ///
  /// - Returns: The storage, or a problem message for an `int64` value outside `Int32`.
  func decode(
    _ bytes: [UInt8], at offset: Int, count: Int, bigEndian: Bool
  ) -> Result<Tensor.Storage, DecodeProblem> {
    let size = itemSize
    /// Reads the raw bits of element `i`.
    func bits(_ i: Int) -> UInt64 {
      let start = offset + i * size
      if !bigEndian { return ByteCoding.unsigned(bytes, at: start, width: size) }
      var value: UInt64 = 0
      for j in 0..<size { value = (value << 8) | UInt64(bytes[start + j]) }
      return value
    }
    switch self {
    case .float16:
      return .success(.float32((0..<count).map { ByteCoding.floatFromHalf(UInt16(bits($0))) }))
    case .bfloat16:
      return .success(.float32((0..<count).map { ByteCoding.floatFromBFloat16(UInt16(bits($0))) }))
    case .float32:
      return .success(.float32((0..<count).map { Float(bitPattern: UInt32(bits($0))) }))
    case .float64:
      return .success(.float32((0..<count).map { Float(Double(bitPattern: bits($0))) }))
    case .int8:
      return .success(.int32((0..<count).map { Int32(Int8(bitPattern: UInt8(bits($0)))) }))
    case .int16:
      return .success(.int32((0..<count).map { Int32(Int16(bitPattern: UInt16(bits($0)))) }))
    case .int32:
      return .success(.int32((0..<count).map { Int32(bitPattern: UInt32(bits($0))) }))
    case .uint8, .uint16:
      return .success(.int32((0..<count).map { Int32(bits($0)) }))
    case .bool:
      return .success(.bool((0..<count).map { bits($0) != 0 }))
    case .int64:
      var values = [Int32](repeating: 0, count: count)
      for i in 0..<count {
        let value = Int64(bitPattern: bits(i))
        guard let narrow = Int32(exactly: value) else {
          return .failure(DecodeProblem(message: "int64 value \(value) at element \(i) does not fit in int32"))
        }
        values[i] = narrow
      }
      return .success(.int32(values))
    }
  }

  /// A decoding failure message.
  struct DecodeProblem: Error {

    /// What went wrong.
    let message: String

  }

}

extension Tensor {

  /// The tensor's elements as little-endian bytes (f32, i32, or one byte per bool).
  var littleEndianBytes: [UInt8] {
    var bytes: [UInt8] = []
    switch storage {
    case .float32(let values):
      bytes.reserveCapacity(values.count * 4)
      for v in values { ByteCoding.append(UInt64(v.bitPattern), width: 4, to: &bytes) }
    case .int32(let values):
      bytes.reserveCapacity(values.count * 4)
      for v in values { ByteCoding.append(UInt64(UInt32(bitPattern: v)), width: 4, to: &bytes) }
    case .bool(let values):
      bytes = values.map { $0 ? 1 : 0 }
    }
    return bytes
  }

}
