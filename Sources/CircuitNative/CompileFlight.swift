import Synchronization

/// One compile per cache entry at a time in this process: the first caller of an entry's path
/// runs the compiler while later callers of the same path wait for it and then find the entry
/// in the cache, instead of running the same compiler job again (tests, and the driver's
/// threads, often want one program at once). Different entries compile in parallel.
final class CompileFlight: Sendable {

  /// The process's table, shared by every `CCompiler`.
  static let shared = CompileFlight()

  /// The lock of one entry.
  private final class Slot: Sendable {
    /// Held while the entry is checked and, if need be, compiled; it keeps the failure of the
    /// body that ran, which the callers waiting meanwhile take instead of compiling again.
    let mutex = Mutex<NativeError?>(nil)
  }

  /// The slots of entries in use, with how many callers hold or wait for each (a slot is
  /// dropped when its last caller leaves).
  private let slots = Mutex<[String: (slot: Slot, callers: Int)]>([:])

  /// Runs `body` (which checks the cache entry at `path` and compiles it when needed) while no
  /// other caller in this process runs a body for `path`; a caller that waited for a body that
  /// failed gets its error (a caller arriving after the slot is dropped tries again). When not
  /// `shared` (the cache is read-only, so each caller compiles in its own scratch directory and
  /// a waiter would find nothing cached), `body` runs at once.
  func once<Result: Sendable>(
    _ path: String, shared: Bool = true, _ body: () throws(NativeError) -> Result
  ) throws(NativeError) -> Result {
    guard shared else { return try body() }
    let slot = slots.withLock { table in
      let entry = table[path].map { ($0.slot, $0.callers + 1) } ?? (Slot(), 1)
      table[path] = entry
      return entry.0
    }
    defer {
      slots.withLock { table in
        guard let entry = table[path] else { return }
        table[path] = entry.callers > 1 ? (entry.slot, entry.callers - 1) : nil
      }
    }
    return try slot.mutex.withLock { failure throws(NativeError) -> Result in
      if let failure { throw failure }
      do throws(NativeError) { return try body() } catch {
        failure = error
        throw error
      }
    }
  }
}
