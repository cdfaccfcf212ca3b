import TensorRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Parameters that stay in native memory across calls (training on the C backend): one
/// 64-byte aligned allocation per parameter, at an address that never changes, which every
/// binding made with `NativeModel.bind(inputs:resident:)` reads in place and the optimiser
/// (`NativeModel.train`) updates in place.
public final class ResidentParameters: @unchecked Sendable {

  /// Each parameter's elements, in the entry ABI's order.
  public let buffers: [UnsafeMutableBufferPointer<Float>]

  /// How many times the parameters were changed in place (`markChanged`); a binding whose
  /// packed copies are older re-packs before its next call.
  public private(set) var version = 0

  /// Copies `values` (each parameter's elements, in the entry ABI's order).
  /// - Throws: `NativeError.outOfMemory` when an allocation is refused.
  public init(_ values: [[Float]]) throws(NativeError) {
    buffers = try Self.allocate(copying: values)
  }

  deinit { Self.free(buffers) }

  /// Records that the parameters were changed in place.
  public func markChanged() { version += 1 }

  /// The parameters' pointers as the entry ABI takes them.
  var pointers: [UnsafePointer<Float>?] { buffers.map { UnsafePointer($0.baseAddress) } }

  /// One 64-byte aligned allocation per array of `values`, holding a copy of it: memory that
  /// never moves, released with `free(_:)`. Nothing stays allocated when one is refused.
  /// - Throws: `NativeError.outOfMemory` when an allocation is refused.
  static func allocate(copying values: [[Float]]) throws(NativeError) -> [UnsafeMutableBufferPointer<Float>] {
    var buffers: [UnsafeMutableBufferPointer<Float>] = []
    for v in values {
      var p: UnsafeMutableRawPointer? = nil
      let size = max(64, (v.count * 4 + 63) / 64 * 64)
      guard posix_memalign(&p, 64, size) == 0, let p else {
        free(buffers)
        throw .outOfMemory(bytes: size)
      }
      let b = UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: Float.self), count: v.count)
      _ = b.update(fromContentsOf: v)
      buffers.append(b)
    }
    return buffers
  }

  /// Releases allocations made by `allocate(copying:)`.
  static func free(_ buffers: [UnsafeMutableBufferPointer<Float>]) {
    for b in buffers { Glibc.free(b.baseAddress) }
  }
}
