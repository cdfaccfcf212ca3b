import Testing

@testable import TensorRuntime

/// `copyBytes(from:count:)` copies exactly the bytes asked for, in pieces, at any alignment.
@Suite struct ByteCopyTests {

  /// Every count around the piece size, from and to every offset modulo 64.
  @Test func copiesEveryByteAtEveryAlignment() {
    let piece = UnsafeMutableRawPointer.copyPiece
    let source = UnsafeMutableRawPointer.allocate(byteCount: 4 * piece + 128, alignment: 64)
    let destination = UnsafeMutableRawPointer.allocate(byteCount: 4 * piece + 128, alignment: 64)
    defer { source.deallocate(); destination.deallocate() }
    for i in 0..<(4 * piece + 128) { source.storeBytes(of: UInt8(truncatingIfNeeded: i &* 7 &+ 3), toByteOffset: i, as: UInt8.self) }
    for count in [0, 1, 63, piece - 1, piece, piece + 1, 3 * piece + 17] {
      for (from, to) in [(0, 0), (48, 0), (0, 16), (5, 33)] {
        destination.initializeMemory(as: UInt8.self, repeating: 0xAA, count: 4 * piece + 128)
        (destination + to).copyBytes(from: source + from, count: count)
        for k in 0..<(4 * piece + 128) {
          let got = destination.load(fromByteOffset: k, as: UInt8.self)
          let want = k >= to && k < to + count ? source.load(fromByteOffset: k - to + from, as: UInt8.self) : 0xAA
          if got != want {
            Issue.record("count \(count) from +\(from) to +\(to): byte \(k) is \(got), not \(want)")
            return
          }
        }
      }
    }
  }
}
