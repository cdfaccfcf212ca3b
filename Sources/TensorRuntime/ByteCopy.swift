/// Copies of raw bytes into the C backend's buffers that stay fast whatever the two buffers'
/// alignments.
extension UnsafeMutableRawPointer {

  /// The largest piece `copyBytes(from:count:)` hands to `memcpy` at once: below glibc's
  /// threshold for `rep movsb` (2 KiB at least on x86-64).
  public static let copyPiece = 1024

  /// Copies `count` bytes from `source` (the two must not overlap), as `copyMemory(from:byteCount:)`
  /// does, in pieces of at most `copyPiece` bytes.
  ///
  /// glibc copies a few KiB and more with `rep movsb`, which on this project's AMD machines
  /// runs about ten times slower when the destination lies 16 bytes past the source modulo
  /// 64, as a 64-byte-aligned buffer of the C backend does past a Swift array's elements: a
  /// training batch of 256 rows of 3136 bytes took 0.45 ms per step (the same copy in a C
  /// test: 0.40 ms at that offset, 0.03–0.04 ms at any other or in pieces). Pieces below the
  /// threshold take glibc's vector loop, which does not care.
  public func copyBytes(from source: UnsafeRawPointer, count: Int) {
    var done = 0
    while done < count {
      let piece = Swift.min(Self.copyPiece, count - done)
      (self + done).copyMemory(from: source + done, byteCount: piece)
      done += piece
    }
  }
}
