import TensorRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Parameters that stay in native memory across calls (training on the C backend): one
/// 64-byte aligned allocation per parameter, at an address that never changes, which every
/// binding made with `NativeModel.bind(inputs:resident:)` reads in place and the optimiser
/// updates in place.
public final class ResidentParameters: @unchecked Sendable {

  /// Each parameter's elements, in the entry ABI's order.
  public let buffers: [UnsafeMutableBufferPointer<Float>]

  /// How many times the parameters were changed in place (`markChanged`); a binding whose
  /// packed copies are older re-packs before its next call.
  public private(set) var version = 0

  /// Copies `values` (each parameter's elements, in the entry ABI's order).
  /// - Throws: `NativeError.outOfMemory` when an allocation is refused.
  public init(_ values: [[Float]]) throws(NativeError) {
    var buffers: [UnsafeMutableBufferPointer<Float>] = []
    for v in values {
      var p: UnsafeMutableRawPointer? = nil
      let size = max(64, (v.count * 4 + 63) / 64 * 64)
      guard posix_memalign(&p, 64, size) == 0, let p else {
        for b in buffers { free(b.baseAddress) }
        throw .outOfMemory(bytes: size)
      }
      let b = UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: Float.self), count: v.count)
      _ = b.update(fromContentsOf: v)
      buffers.append(b)
    }
    self.buffers = buffers
  }

  deinit { for b in buffers { free(b.baseAddress) } }

  /// Records that the parameters were changed in place.
  public func markChanged() { version += 1 }

  /// The parameters' pointers as the entry ABI takes them.
  var pointers: [UnsafePointer<Float>?] { buffers.map { UnsafePointer($0.baseAddress) } }
}
