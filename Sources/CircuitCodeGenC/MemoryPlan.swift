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

  /// The buffer each buffer is placed right after (its offset is that buffer's offset plus
  /// its rounded size), absent for offset 0: the placement's structure, which
  /// `CEmitter.SizeForm.symbolic` prints instead of the offsets.
  private(set) var bases: [BufferName: BufferName] = [:]

  /// The buffer ending at the peak (nil for an empty arena).
  private(set) var peakBuffer: BufferName? = nil

  /// Places `requests` (in a deterministic order: size, then request order).
  init(_ requests: [Request]) {
    let order = requests.indices.sorted {
      requests[$0].bytes != requests[$1].bytes ? requests[$0].bytes > requests[$1].bytes : $0 < $1
    }
    var placed: [(range: Range<Int>, lifetime: ClosedRange<Int>, request: Int)] = []
    for i in order {
      let r = requests[i]
      let size = (r.bytes + 63) / 64 * 64
      totalBytes += size
      let clashes = placed.filter { $0.lifetime.overlaps(r.lifetime) }.sorted {
        $0.range.lowerBound < $1.range.lowerBound
      }
      var offset = 0
      for c in clashes where c.range.overlaps(offset..<(offset + max(size, 1))) {
        offset = max(offset, c.range.upperBound)
      }
      // A second sweep: an earlier gap may have become blocked by a later clash.
      var moved = true
      while moved {
        moved = false
        for c in clashes where c.range.overlaps(offset..<(offset + max(size, 1))) {
          offset = c.range.upperBound
          moved = true
        }
      }
      placed.append((offset..<(offset + size), r.lifetime, i))
      offsets[r.buffer] = offset
      // Of the buffers ending there, the first requested: a choice that does not depend on sizes.
      bases[r.buffer] = clashes.filter { $0.range.upperBound == offset }.min { $0.request < $1.request }
        .map { requests[$0.request].buffer }
      peakBytes = max(peakBytes, offset + size)
    }
    // Of the buffers ending at the peak, the first requested (as for `bases`).
    peakBuffer = placed.filter { $0.range.upperBound == peakBytes }.min { $0.request < $1.request }
      .map { requests[$0.request].buffer }
  }
}
