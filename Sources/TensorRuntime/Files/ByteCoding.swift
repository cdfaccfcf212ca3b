/// Little-endian integer and float decoding/encoding over byte arrays.
enum ByteCoding {

  /// Reads a little-endian unsigned integer of `width` bytes at `offset`.
  ///
  /// - Precondition: `offset + width <= bytes.count`.
  @inline(__always)
  static func unsigned(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in stride(from: width - 1, through: 0, by: -1) {
      value = (value << 8) | UInt64(bytes[offset + i])
    }
    return value
  }

  /// Appends `value` as `width` little-endian bytes.
  @inline(__always)
  static func append(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
    for i in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
  }

  /// Converts IEEE 754 half-precision bits to `Float`.
  static func floatFromHalf(_ bits: UInt16) -> Float {
    let sign = UInt32(bits >> 15) << 31
    let exponent = UInt32((bits >> 10) & 0x1F)
    var mantissa = UInt32(bits & 0x3FF)
    if exponent == 0x1F {
      return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    if exponent == 0 {
      if mantissa == 0 { return Float(bitPattern: sign) }
      var e: UInt32 = 127 - 15 + 1
      while mantissa & 0x400 == 0 {
        mantissa <<= 1
        e -= 1
      }
      return Float(bitPattern: sign | (e << 23) | ((mantissa & 0x3FF) << 13))
    }
    return Float(bitPattern: sign | ((exponent + 127 - 15) << 23) | (mantissa << 13))
  }

  /// Converts bfloat16 bits (the top half of a `Float`) to `Float`.
  static func floatFromBFloat16(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
  }

}
