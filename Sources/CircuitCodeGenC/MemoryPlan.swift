/// Offsets of intermediate buffers in one arena, reusing the memory of buffers that are dead.
///
/// Buffers are placed largest first at the lowest 64-byte-aligned offset that overlaps no
/// placed buffer whose lifetime (a closed range of step numbers) intersects its own.
struct MemoryPlan {

  /// A buffer to place.
  struct Request {
    /// The buffer.
    let buffer: BufferName
    /// Its size in bytes.
    let bytes: Int
    /// The first and last step that touch it.
    let lifetime: ClosedRange<Int>
  }

  /// The offset of each buffer.
  private(set) var offsets: [BufferName: Int] = [:]

  /// The arena size: the peak of live bytes under this placement.
  private(set) var peakBytes = 0

  /// The sum of all buffer sizes (the memory needed without reuse).
  private(set) var totalBytes = 0

  /// Places `requests` (in a deterministic order: size, then request order).
  init(_ requests: [Request]) {
    let order = requests.indices.sorted {
      requests[$0].bytes != requests[$1].bytes ? requests[$0].bytes > requests[$1].bytes : $0 < $1
    }
    var placed: [(range: Range<Int>, lifetime: ClosedRange<Int>)] = []
    for i in order {
      let r = requests[i]
      let size = (r.bytes + 63) / 64 * 64
      totalBytes += size
      let clashes = placed.filter { $0.lifetime.overlaps(r.lifetime) }.map(\.range).sorted {
        $0.lowerBound < $1.lowerBound
      }
      var offset = 0
      for c in clashes where c.overlaps(offset..<(offset + max(size, 1))) {
        offset = max(offset, c.upperBound)
      }
      // A second sweep: an earlier gap may have become blocked by a later clash.
      var moved = true
      while moved {
        moved = false
        for c in clashes where c.overlaps(offset..<(offset + max(size, 1))) {
          offset = c.upperBound
          moved = true
        }
      }
      placed.append((offset..<(offset + size), r.lifetime))
      offsets[r.buffer] = offset
      peakBytes = max(peakBytes, offset + size)
    }
  }
}
