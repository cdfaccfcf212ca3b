/// C source split into tokens for comparing programs emitted at different sizes: comments
/// and whitespace dropped (each token remembers whether a space or a line break preceded it,
/// so the text can be written back), a number one pp-number token, a string or character
/// literal one token, every other character its own token.
struct CTokens: Equatable {

  /// One token.
  struct Token: Equatable {
    /// The token's characters.
    var text: String
    /// What preceded it: "" (nothing), " " or "\n".
    var leading: String
    /// Its line in the source (1-based; 0 for tokens not from a source).
    var line = 0
  }

  /// The tokens in order.
  var tokens: [Token] = []

  /// Tokenises `source`.
  init(_ source: String) {
    let s = Array(source.utf8)
    var i = 0
    var leading = ""
    var line = 1
    func isIdentifier(_ c: UInt8) -> Bool {
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95
    }
    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    while i < s.count {
      let c = s[i]
      if c == 10 || c == 32 || c == 9 || c == 13 {
        if c == 10 { (leading, line) = ("\n", line + 1) } else if leading.isEmpty { leading = " " }
        i += 1
        continue
      }
      if c == 47, i + 1 < s.count, s[i + 1] == 42 {  // /* ... */
        var j = i + 2
        while j + 1 < s.count, !(s[j] == 42 && s[j + 1] == 47) { j += 1 }
        let breaks = s[i..<min(j, s.count)].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        if breaks > 0 { (leading, line) = ("\n", line + breaks) } else if leading.isEmpty { leading = " " }
        i = min(j + 2, s.count)
        continue
      }
      if c == 47, i + 1 < s.count, s[i + 1] == 47 {  // // ... (the line break stays)
        while i < s.count, s[i] != 10 { i += 1 }
        continue
      }
      var j = i + 1
      if c == 34 || c == 39 {  // "..." or '...'
        while j < s.count, s[j] != c { j += s[j] == 92 ? 2 : 1 }
        j = min(j + 1, s.count)
      } else if isDigit(c) || (c == 46 && i + 1 < s.count && isDigit(s[i + 1])) {
        while j < s.count {
          let d = s[j]
          let exponentSign = (d == 43 || d == 45) && [101, 69, 112, 80].contains(s[j - 1])
          guard isIdentifier(d) || d == 46 || exponentSign else { break }
          j += 1
        }
      } else if isIdentifier(c) {
        while j < s.count, isIdentifier(s[j]) { j += 1 }
      }
      let text = String(decoding: s[i..<j], as: UTF8.self)
      tokens.append(Token(text: text, leading: leading, line: line))
      line += text.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
      leading = ""
      i = j
    }
  }

  /// The tokens written back as text.
  var text: String {
    var out = ""
    for t in tokens { out += t.leading + t.text }
    return out + "\n"
  }
}
