import Foundation

/// Values computed once per key in a test process and shared by the tests that need them (an
/// interpreter's reference run, a symbolic cost analysis): the first caller of a key computes
/// while later callers of that key wait; other keys proceed in parallel. Only for values that
/// are a pure function of the key.
public final class ProcessMemo<Value>: @unchecked Sendable {

  /// One key's value and the lock its first caller holds while computing it.
  private final class Slot: @unchecked Sendable {
    let lock = NSLock()
    var value: Value?
  }

  /// The slots by key.
  private var slots: [String: Slot] = [:]

  /// Guards `slots`.
  private let lock = NSLock()

  /// An empty memo.
  public init() {}

  /// The value of the package file `path` at the file's sizes and then `sizes` (the key
  /// `path b=3 t=13`), computed by `make` the first time.
  public func value(_ path: String, sizes: [(String, Int)], make: () throws -> Value) throws -> Value {
    try value(([path] + sizes.map { "\($0.0)=\($0.1)" }).joined(separator: " "), make: make)
  }

  /// The value of `key`, computed by `make` the first time (a thrown error is not kept).
  public func value(_ key: String, make: () throws -> Value) throws -> Value {
    let slot = lock.withLock {
      if let s = slots[key] { return s }
      let s = Slot()
      slots[key] = s
      return s
    }
    slot.lock.lock()
    defer { slot.lock.unlock() }
    if let v = slot.value { return v }
    let v = try make()
    slot.value = v
    return v
  }
}
