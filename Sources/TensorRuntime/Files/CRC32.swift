/// The IEEE CRC-32 used by ZIP (reflected polynomial 0xEDB88320).
enum CRC32 {

  /// The 256-entry lookup table for the reflected polynomial 0xEDB88320.
  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// Returns the CRC-32 of `bytes` (`checksum([]) == 0`).
  static func checksum(_ bytes: [UInt8]) -> UInt32 {
    update(0, with: bytes)
  }

  /// Returns the CRC-32 of the data whose CRC-32 is `crc` followed by `bytes`.
  static func update(_ crc: UInt32, with bytes: [UInt8]) -> UInt32 {
    var state = crc ^ 0xFFFF_FFFF
    table.withUnsafeBufferPointer { table in
      for byte in bytes { state = table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8) }
    }
    return state ^ 0xFFFF_FFFF
  }

}
