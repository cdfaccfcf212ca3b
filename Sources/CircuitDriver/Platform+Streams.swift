#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Platform {

  /// Seconds on a monotonic clock (for durations and deadlines).
  public static func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }

  /// What waiting for input on a file descriptor gave.
  enum InputEvent {
    /// These bytes arrived.
    case bytes([UInt8])
    /// The timeout passed first.
    case timeout
    /// The input ended (or failed).
    case closed
  }

  /// Waits up to `timeout` seconds (nil: without limit) for input on `fd` and reads what is
  /// there.
  static func read(_ fd: Int32, timeout: Double?) -> InputEvent {
    var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let milliseconds = timeout.map { Int32(max(0, min(Double(Int32.max), ($0 * 1000).rounded(.up)))) } ?? -1
    let ready = poll(&descriptor, 1, milliseconds)
    if ready == 0 { return .timeout }
    if ready < 0 { return errno == EINTR ? .timeout : .closed }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let n = Glibc.read(fd, &buffer, buffer.count)
    if n < 0 && errno == EINTR { return .timeout }
    guard n > 0 else { return .closed }
    return .bytes(Array(buffer[0..<n]))
  }

  /// Writes all of `bytes` to `fd`; false when the output is gone.
  static func send(_ bytes: [UInt8], to fd: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return false }
      offset += n
    }
    return true
  }
}
