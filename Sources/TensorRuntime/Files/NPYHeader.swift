/// The parsed header dictionary of a `.npy` file.
struct NPYHeader {

  /// The dtype descriptor, e.g. `<f4`.
  let descr: String

  /// Whether the data is column-major.
  let fortranOrder: Bool

  /// The array shape.
  let shape: [Int]

  /// A value in the Python dict literal.
  enum Value {

    /// A quoted string.
    case string(String)

    /// `True` or `False`.
    case bool(Bool)

    /// A tuple of integers.
    case tuple([Int])

  }

  /// Parses the dict literal leniently (any key order, whitespace, trailing commas).
  ///
  /// - Throws: A message (without file name) describing the first problem.
  static func parse(_ text: String) throws(HeaderProblem) -> NPYHeader {
    var parser = Parser(bytes: Array(text.utf8))
    let entries = try parser.dictionary()
    /// Looks up a required key.
    func value(_ key: String) throws(HeaderProblem) -> Value {
      guard let value = entries[key] else { throw HeaderProblem("missing key '\(key)'") }
      return value
    }
    guard case .string(let descr) = try value("descr") else {
      throw HeaderProblem("'descr' is not a string")
    }
    guard case .bool(let fortran) = try value("fortran_order") else {
      throw HeaderProblem("'fortran_order' is not True or False")
    }
    guard case .tuple(let shape) = try value("shape") else {
      throw HeaderProblem("'shape' is not a tuple of integers")
    }
    return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
  }

  /// A header parse failure message.
  struct HeaderProblem: Error {

    /// What went wrong.
    let message: String

    /// Creates a problem with a message.
    init(_ message: String) { self.message = message }

  }

  /// A tiny recursive-descent parser for the subset of Python literals npy headers use.
  struct Parser {

    /// The header text as bytes.
    let bytes: [UInt8]

    /// The read position.
    var position = 0

    /// Skips spaces, tabs and newlines.
    mutating func skipSpace() {
      while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
        position += 1
      }
    }

    /// Consumes `byte` (after whitespace) or throws.
    mutating func expect(_ byte: UInt8) throws(HeaderProblem) {
      skipSpace()
      guard position < bytes.count, bytes[position] == byte else {
        throw HeaderProblem("expected '\(Character(Unicode.Scalar(byte)))' at offset \(position)")
      }
      position += 1
    }

    /// Returns whether the next non-space byte is `byte`, consuming it if so.
    mutating func accept(_ byte: UInt8) -> Bool {
      skipSpace()
      if position < bytes.count, bytes[position] == byte {
        position += 1
        return true
      }
      return false
    }

    /// Parses `{ 'key': value, … }`.
    mutating func dictionary() throws(HeaderProblem) -> [String: Value] {
      try expect(UInt8(ascii: "{"))
      var result: [String: Value] = [:]
      while !accept(UInt8(ascii: "}")) {
        guard case .string(let key) = try value() else { throw HeaderProblem("a key is not a string") }
        try expect(UInt8(ascii: ":"))
        result[key] = try value()
        if !accept(UInt8(ascii: ",")) {
          try expect(UInt8(ascii: "}"))
          break
        }
      }
      return result
    }

    /// Parses a string, `True`/`False` or an integer tuple.
    mutating func value() throws(HeaderProblem) -> Value {
      skipSpace()
      guard position < bytes.count else { throw HeaderProblem("unexpected end of header") }
      let byte = bytes[position]
      if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
        position += 1
        let start = position
        while position < bytes.count, bytes[position] != byte { position += 1 }
        guard position < bytes.count else { throw HeaderProblem("unterminated string") }
        defer { position += 1 }
        return .string(String(decoding: bytes[start..<position], as: UTF8.self))
      }
      if accept(UInt8(ascii: "(")) {
        var items: [Int] = []
        while !accept(UInt8(ascii: ")")) {
          items.append(try integer())
          if !accept(UInt8(ascii: ",")) {
            try expect(UInt8(ascii: ")"))
            break
          }
        }
        return .tuple(items)
      }
      for (word, flag) in [("True", true), ("False", false)] where matches(word) {
        position += word.utf8.count
        return .bool(flag)
      }
      throw HeaderProblem("unexpected character at offset \(position)")
    }

    /// Returns whether the text at the position starts with `word`.
    func matches(_ word: String) -> Bool {
      let w = Array(word.utf8)
      return position + w.count <= bytes.count && Array(bytes[position..<(position + w.count)]) == w
    }

    /// Parses a non-negative decimal integer (an `L` suffix is tolerated).
    mutating func integer() throws(HeaderProblem) -> Int {
      skipSpace()
      var value = 0
      let start = position
      while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times.addingReportingOverflow(Int(bytes[position] - 0x30))
        guard !o1, !o2 else { throw HeaderProblem("shape extent is too large") }
        value = sum
        position += 1
      }
      guard position > start else { throw HeaderProblem("shape entry at offset \(start) is not a non-negative integer") }
      if position < bytes.count, bytes[position] == UInt8(ascii: "L") { position += 1 }
      return value
    }

  }

}
