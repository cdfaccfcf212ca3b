/// An immutable source text with a display name and a table of line starts.
///
/// Positions inside a file are UTF-8 byte offsets; lines and columns are computed on
/// demand and are 1-based (columns count bytes, as clang and swiftc do).
public final class SourceFile: Sendable, Hashable, CustomStringConvertible {

  /// The name shown in diagnostics (a path relative to the working directory when possible).
  public let name: String

  /// The file's bytes. Invalid UTF-8 is kept as is; the lexer reports it.
  public let bytes: [UInt8]

  /// The byte offset at which each line starts; `lineStarts[0] == 0`.
  public let lineStarts: [Int]

  /// Creates a file named `name` holding `bytes`.
  public init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
    var starts = [0]
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
    self.lineStarts = starts
  }

  /// Creates a file named `name` holding the UTF-8 encoding of `text`.
  public convenience init(name: String, text: String) {
    self.init(name: name, bytes: Array(text.utf8))
  }

  /// The file's text, with invalid UTF-8 repaired.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// The 1-based line and byte column of `offset`.
  public func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
    let o = max(0, min(offset, bytes.count))
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
    }
    return (lo + 1, o - lineStarts[lo] + 1)
  }

  /// The bytes of 1-based `line`, without its line terminator.
  public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
    guard line >= 1, line <= lineStarts.count else { return [] }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return bytes[start..<max(start, end)]
  }

  /// Files are equal when they are the same object.
  public static func == (a: SourceFile, b: SourceFile) -> Bool { a === b }

  /// Hashes the object's identity.
  public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }

  /// The file's name.
  public var description: String { name }
}
