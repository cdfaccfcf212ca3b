extension CPrelude {

  /// Every name a section is included for (`Section.uses`): each starts with `cc_`, then
  /// identifier characters, ending in at most one other character (`(` for a function).
  static let allUses: Set<String> = Set(sections.flatMap(\.uses))

  /// The uses each section's own text contains, in the order of `sections`.
  static let sectionUses: [Set<String>] = sections.map { uses(in: $0.text) }

  /// The members of `allUses` that `text` contains: the same answer as `text.contains(use)`
  /// for each, found in one pass over the bytes (the prelude is chosen for every emitted
  /// program, whose body can be megabytes). A use occurs where `cc_` does, so every `cc_` is
  /// read with the identifier characters after it and the one character that ends them; a
  /// use occurs there when that token starts with it.
  static func uses(in text: String) -> Set<String> {
    var tokens = Set<String>()
    var bytes = text
    bytes.withUTF8 { b in
      let n = b.count
      var i = 0
      while i + 2 < n {
        if b[i] == UInt8(ascii: "c") && b[i + 1] == UInt8(ascii: "c") && b[i + 2] == UInt8(ascii: "_") {
          var j = i + 3
          while j < n && isIdentifierByte(b[j]) { j += 1 }
          tokens.insert(String(decoding: UnsafeBufferPointer(rebasing: b[i..<min(j + 1, n)]), as: UTF8.self))
        }
        i += 1
      }
    }
    return allUses.filter { use in tokens.contains { $0.hasPrefix(use) } }
  }

  /// Whether `byte` is an ASCII letter, digit or underscore.
  static func isIdentifierByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
  }
}
