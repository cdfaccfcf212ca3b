/// A parsed JSON value, keeping object members in file order and numbers as their text.
public indirect enum JSONValue: Equatable, Sendable {

  /// An object; members in the order they appear.
  case object([(key: String, value: JSONValue)])

  /// An array.
  case array([JSONValue])

  /// A string.
  case string(String)

  /// A number, kept as its literal text so integers stay exact.
  case number(String)

  /// `true` or `false`.
  case bool(Bool)

  /// `null`.
  case null

  /// Compares two values structurally.
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    case (.array(let a), .array(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.bool(let a), .bool(let b)): return a == b
    case (.null, .null): return true
    default: return false
    }
  }

  /// The value as an exact non-negative integer, or `nil` (fractions, exponents, overflow).
  var nonNegativeInteger: Int? {
    guard case .number(let text) = self, !text.isEmpty,
      text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
    else { return nil }
    return Int(text)
  }

}

/// A strict JSON parser (RFC 8259) over UTF-8 bytes, with a nesting limit.
public struct JSONParser {

  /// A parse failure with the byte offset where it was detected.
  public struct Problem: Error {

    /// What went wrong, including the offset.
    public let message: String

  }

  /// The input.
  private let bytes: [UInt8]

  /// The read position.
  private var position = 0

  /// The current nesting depth.
  private var depth = 0

  /// Parses one complete JSON document from `bytes` (trailing whitespace allowed).
  public static func parse(_ bytes: [UInt8]) throws(Problem) -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    let value = try parser.value()
    parser.skipSpace()
    guard parser.position == bytes.count else { throw parser.problem("unexpected trailing text") }
    return value
  }

  /// Creates a parser at the start of `bytes`.
  private init(bytes: [UInt8]) { self.bytes = bytes }

  /// Builds a problem at the current offset.
  private func problem(_ message: String) -> Problem {
    Problem(message: "\(message) at byte \(position)")
  }

  /// Skips JSON whitespace.
  private mutating func skipSpace() {
    while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
      position += 1
    }
  }

  /// Consumes the literal `word` or throws.
  private mutating func literal(_ word: String) throws(Problem) {
    for byte in word.utf8 {
      guard position < bytes.count, bytes[position] == byte else { throw problem("invalid literal") }
      position += 1
    }
  }

  /// Parses any value.
  private mutating func value() throws(Problem) -> JSONValue {
    skipSpace()
    guard position < bytes.count else { throw problem("unexpected end of JSON") }
    switch bytes[position] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw problem("unexpected character")
    }
  }

  /// Parses an object, keeping member order (duplicates are kept for the caller to reject).
  private mutating func object() throws(Problem) -> JSONValue {
    depth += 1
    defer { depth -= 1 }
    guard depth <= 64 else { throw problem("nesting deeper than 64 levels") }
    position += 1
    var members: [(key: String, value: JSONValue)] = []
    skipSpace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
        throw problem("expected a string key")
      }
      let key = try string()
      skipSpace()
      guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
        throw problem("expected ':'")
      }
      position += 1
      members.append((key, try value()))
      skipSpace()
      guard position < bytes.count else { throw problem("unterminated object") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "}") {
        position += 1
        return .object(members)
      } else {
        throw problem("expected ',' or '}'")
      }
    }
  }

  /// Parses an array.
  private mutating func array() throws(Problem) -> JSONValue {
    depth += 1
    defer { depth -= 1 }
    guard depth <= 64 else { throw problem("nesting deeper than 64 levels") }
    position += 1
    var items: [JSONValue] = []
    skipSpace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
      position += 1
      return .array(items)
    }
    while true {
      items.append(try value())
      skipSpace()
      guard position < bytes.count else { throw problem("unterminated array") }
      if bytes[position] == UInt8(ascii: ",") {
        position += 1
      } else if bytes[position] == UInt8(ascii: "]") {
        position += 1
        return .array(items)
      } else {
        throw problem("expected ',' or ']'")
      }
    }
  }

  /// Parses a number and returns its text (validated against the JSON grammar).
  private mutating func number() throws(Problem) -> JSONValue {
    let start = position
    /// Consumes a run of digits and returns how many there were.
    func digits(_ p: inout Int, _ bytes: [UInt8]) -> Int {
      let s = p
      while p < bytes.count, bytes[p] >= 0x30, bytes[p] <= 0x39 { p += 1 }
      return p - s
    }
    if bytes[position] == UInt8(ascii: "-") { position += 1 }
    guard digits(&position, bytes) > 0 else { throw problem("invalid number") }
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      position += 1
      guard digits(&position, bytes) > 0 else { throw problem("invalid number") }
    }
    if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
      position += 1
      if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
        position += 1
      }
      guard digits(&position, bytes) > 0 else { throw problem("invalid number") }
    }
    return .number(String(decoding: bytes[start..<position], as: UTF8.self))
  }

  /// Parses a string literal with escapes (including surrogate pairs).
  private mutating func string() throws(Problem) -> String {
    position += 1
    var scalars = String.UnicodeScalarView()
    var run: [UInt8] = []
    while true {
      guard position < bytes.count else { throw problem("unterminated string") }
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        break
      }
      if byte < 0x20 { throw problem("control character in string") }
      if byte != UInt8(ascii: "\\") {
        run.append(byte)
        position += 1
        continue
      }
      scalars.append(contentsOf: try decodeRun(run))
      run.removeAll()
      position += 1
      guard position < bytes.count else { throw problem("unterminated escape") }
      let escape = bytes[position]
      position += 1
      switch escape {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{08}")
      case UInt8(ascii: "f"): scalars.append("\u{0C}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        var code = try hex4()
        if code >= 0xD800 && code < 0xDC00 {
          try literal("\\u")
          let low = try hex4()
          guard low >= 0xDC00 && low < 0xE000 else { throw problem("invalid surrogate pair") }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw problem("invalid \\u escape") }
        scalars.append(scalar)
      default: throw problem("invalid escape")
      }
    }
    scalars.append(contentsOf: try decodeRun(run))
    return String(scalars)
  }

  /// Decodes a run of raw bytes as strict UTF-8.
  private func decodeRun(_ run: [UInt8]) throws(Problem) -> String.UnicodeScalarView {
    guard let text = String(validating: run, as: UTF8.self) else { throw problem("invalid UTF-8") }
    return text.unicodeScalars
  }

  /// Parses four hex digits.
  private mutating func hex4() throws(Problem) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard position < bytes.count, let digit = hexValue(bytes[position]) else {
        throw problem("invalid \\u escape")
      }
      value = value * 16 + digit
      position += 1
    }
    return value
  }

  /// The value of one hex digit, or `nil`.
  private func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case 0x30...0x39: return UInt32(byte - 0x30)
    case 0x41...0x46: return UInt32(byte - 0x41 + 10)
    case 0x61...0x66: return UInt32(byte - 0x61 + 10)
    default: return nil
    }
  }

}

/// Writes JSON text.
public enum JSONWriter {

  /// The compact JSON text of `value` (object members in their order, numbers as kept).
  public static func text(of value: JSONValue) -> String {
    switch value {
    case .object(let members):
      return "{" + members.map { quoted($0.key) + ":" + text(of: $0.value) }.joined(separator: ",") + "}"
    case .array(let items): return "[" + items.map(text(of:)).joined(separator: ",") + "]"
    case .string(let s): return quoted(s)
    case .number(let n): return n
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    }
  }

  /// Returns `text` as a quoted JSON string literal.
  public static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }

}
