import CircuitDiagnostics
import TensorRuntime

/// Converts between byte offsets of a source file and the protocol's positions: zero-based
/// lines and columns counted in UTF-16 code units. Invalid UTF-8 bytes count one unit each.
struct LineMap {

  /// The file.
  let file: SourceFile

  /// The byte offset of `line`, `character` (clamped into the file and the line).
  func offset(line: Int, character: Int) -> Int {
    guard line >= 0 else { return 0 }
    guard line < file.lineStarts.count else { return file.bytes.count }
    let start = file.lineStarts[line]
    let end = line + 1 < file.lineStarts.count ? file.lineStarts[line + 1] - 1 : file.bytes.count
    var offset = start
    var units = 0
    while offset < end && units < character {
      let (length, width) = Self.scalar(at: offset, in: file.bytes)
      if units + width > character { break }
      units += width
      offset += length
    }
    return min(offset, end)
  }

  /// The position of the byte at `offset`.
  func position(of offset: Int) -> (line: Int, character: Int) {
    let (line, _) = file.lineAndColumn(of: offset)
    let start = file.lineStarts[line - 1]
    let target = max(start, min(offset, file.bytes.count))
    var cursor = start
    var units = 0
    while cursor < target {
      let (length, width) = Self.scalar(at: cursor, in: file.bytes)
      cursor += length
      units += width
    }
    return (line - 1, units)
  }

  /// The protocol's `Position` of the byte at `offset`.
  func json(position offset: Int) -> JSONValue {
    let (line, character) = position(of: offset)
    return .fields(["line": .int(line), "character": .int(character)])
  }

  /// The protocol's `Range` of `range`.
  func json(_ range: SourceRange) -> JSONValue {
    .fields(["start": json(position: range.start), "end": json(position: range.end)])
  }

  /// The byte length and UTF-16 width of the UTF-8 sequence at `offset` (1 and 1 for an
  /// invalid byte).
  static func scalar(at offset: Int, in bytes: [UInt8]) -> (length: Int, width: Int) {
    let lead = bytes[offset]
    let length: Int
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return (1, 1)
    }
    guard offset + length <= bytes.count, bytes[offset + 1..<offset + length].allSatisfy({ $0 & 0xC0 == 0x80 })
    else { return (1, 1) }
    return (length, length == 4 ? 2 : 1)
  }
}
