/// A 128-bit FNV-1a content hash, as 32 hex digits: names cached libraries by their content
/// and checks that a cached library is the one that was written.
enum ContentHash {

  /// The hash of `parts`, each length-prefixed so that boundaries matter.
  static func hex(_ parts: [String]) -> String {
    hex(bytes: parts.map { Array($0.utf8) })
  }

  /// The hash of byte strings `parts`, each length-prefixed so that boundaries matter.
  static func hex(bytes parts: [[UInt8]]) -> String {
    var h1: UInt64 = 0xcbf2_9ce4_8422_2325
    var h2: UInt64 = 0x6c62_272e_07bb_0142
    /// Mixes the bytes of `buffer` into both lanes.
    func mix(_ buffer: UnsafeBufferPointer<UInt8>) {
      for byte in buffer {
        h1 = (h1 ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        h2 = (h2 ^ UInt64(byte &+ 0x5b)) &* 0x0000_0100_0000_01b3
        h2 = h2 ^ (h2 >> 29)
      }
    }
    for part in parts {
      Array("\(part.count):".utf8).withUnsafeBufferPointer(mix)
      part.withUnsafeBufferPointer(mix)
    }
    /// Sixteen hex digits of `x`.
    func digits(_ x: UInt64) -> String {
      let s = String(x, radix: 16)
      return String(repeating: "0", count: 16 - s.count) + s
    }
    return digits(h1) + digits(h2)
  }
}
