/// The base protocol's framing of JSON-RPC messages: `Content-Length: n` (other headers
/// ignored), a blank line, then `n` bytes of JSON.
struct MessageFraming {

  /// A framing problem; the stream cannot be read further.
  struct Problem: Error {
    /// What was wrong.
    let message: String
  }

  /// Bytes received and not yet split into messages.
  private var buffer: [UInt8] = []

  /// The largest message accepted (64 MiB).
  static let maximumLength = 64 << 20

  /// Adds received bytes.
  mutating func append(_ bytes: [UInt8]) { buffer += bytes }

  /// The next complete message's body, nil until one has fully arrived.
  mutating func next() throws(Problem) -> [UInt8]? {
    guard let end = headerEnd() else {
      if buffer.count > 8192 { throw Problem(message: "header longer than 8192 bytes") }
      return nil
    }
    let header = String(decoding: buffer[0..<end], as: UTF8.self)
    var length: Int? = nil
    for line in header.split(separator: "\r\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      if parts.count == 2, parts[0].lowercased() == "content-length" {
        length = Int(parts[1].drop { $0 == " " })
      }
    }
    guard let length, length >= 0, length <= Self.maximumLength else {
      throw Problem(message: "missing or invalid Content-Length header")
    }
    let start = end + 4
    guard buffer.count >= start + length else { return nil }
    let body = Array(buffer[start..<start + length])
    buffer.removeFirst(start + length)
    return body
  }

  /// The offset of the `\r\n\r\n` ending the header, if it has arrived.
  private func headerEnd() -> Int? {
    guard buffer.count >= 4 else { return nil }
    for i in 0...(buffer.count - 4)
    where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
      return i
    }
    return nil
  }

  /// `body` framed for sending.
  static func frame(_ body: String) -> [UInt8] {
    Array("Content-Length: \(body.utf8.count)\r\n\r\n".utf8) + Array(body.utf8)
  }
}
