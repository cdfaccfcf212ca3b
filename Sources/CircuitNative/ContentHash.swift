/// A 128-bit FNV-1a content hash, as 32 hex digits: names cached libraries by their content.
enum ContentHash {

  /// The hash of `parts`, each length-prefixed so that boundaries matter.
  static func hex(_ parts: [String]) -> String {
    var h1: UInt64 = 0xcbf2_9ce4_8422_2325
    var h2: UInt64 = 0x6c62_272e_07bb_0142
    /// Mixes one byte into both lanes.
    func mix(_ byte: UInt8) {
      h1 = (h1 ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
      h2 = (h2 ^ UInt64(byte &+ 0x5b)) &* 0x0000_0100_0000_01b3
      h2 = h2 ^ (h2 >> 29)
    }
    for part in parts {
      for b in "\(part.utf8.count):".utf8 { mix(b) }
      for b in part.utf8 { mix(b) }
    }
    /// Sixteen hex digits of `x`.
    func digits(_ x: UInt64) -> String {
      let s = String(x, radix: 16)
      return String(repeating: "0", count: 16 - s.count) + s
    }
    return digits(h1) + digits(h2)
  }
}
