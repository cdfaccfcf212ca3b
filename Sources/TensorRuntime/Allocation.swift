#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Fallible allocation for buffers whose size the user controls.
///
/// Swift arrays trap when `malloc` fails, so a buffer of user-chosen size is first reserved
/// here: `malloc` of the full byte count, freed at once. A refusal becomes
/// `TensorError.outOfMemory` instead of a crash; the array is built only after it succeeds.
public enum Allocation {

  /// Checks that `count` elements of `type` fit in 64 bits and that the system grants them now.
  ///
  /// - Parameter what: Names the buffer in the error (e.g. `parameter 'W'`).
  /// - Throws: `TensorError.outOfMemory` when the byte count overflows or `malloc` fails.
  public static func reserve(
    count: Int, of type: ElementType, for what: String
  ) throws(TensorError) {
    let (bytes, overflow) = count.multipliedReportingOverflow(by: type.byteWidth)
    guard !overflow, count >= 0 else { throw .outOfMemory(what: what, bytes: Int.max) }
    guard bytes > 1 << 20 else { return }
    guard let p = malloc(bytes) else { throw .outOfMemory(what: what, bytes: bytes) }
    free(p)
  }
}

extension ElementType {

  /// Bytes of one element in memory.
  public var byteWidth: Int {
    switch self {
    case .float32: MemoryLayout<Float>.size
    case .int32: MemoryLayout<Int32>.size
    case .bool: MemoryLayout<Bool>.size
    }
  }
}
