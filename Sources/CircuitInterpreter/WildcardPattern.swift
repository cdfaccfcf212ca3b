/// A name pattern of a `CheckpointMap` rule: literal characters, `*` (one or more characters
/// other than `.`) and `**` (one or more characters, dots included).
struct WildcardPattern: Sendable {

  /// One element of a pattern.
  enum Piece: Equatable, Sendable {

    /// A character matched literally.
    case literal(Character)

    /// `*`: within one name segment.
    case segment

    /// `**`: across segments.
    case segments
  }

  /// The pieces in order.
  let pieces: [Piece]

  /// Parses `text`; nil when it has three or more stars in a row.
  init?(_ text: String) {
    var pieces: [Piece] = []
    var stars = 0
    /// Appends the wildcard of the pending stars.
    func flush() -> Bool {
      switch stars {
      case 0: break
      case 1: pieces.append(.segment)
      case 2: pieces.append(.segments)
      default: return false
      }
      stars = 0
      return true
    }
    for ch in text {
      if ch == "*" {
        stars += 1
      } else {
        guard flush() else { return nil }
        pieces.append(.literal(ch))
      }
    }
    guard flush() else { return nil }
    self.pieces = pieces
  }

  /// The number of `*` and `**`.
  var wildcardCount: Int { pieces.filter { !$0.isLiteral }.count }

  /// The strings matched by the wildcards in `name`, or nil when it does not match.
  ///
  /// Of several matches, the one with the shortest first capture (then second, …) wins. A
  /// depth-first search remembers the (piece, position) states already found to fail, so it
  /// visits each at most once: at most `|pattern|·|name|` states of `|name|` steps each,
  /// whatever the number and kind of wildcards.
  func match(_ name: String) -> [String]? {
    let s = Array(name)
    var failed = Set<Int>()
    var captures: [String] = []
    func go(_ i: Int, _ j: Int) -> Bool {
      if i == pieces.count { return j == s.count }
      let state = i * (s.count + 1) + j
      if failed.contains(state) { return false }
      switch pieces[i] {
      case .literal(let c):
        if j < s.count, s[j] == c, go(i + 1, j + 1) { return true }
      case .segment, .segments:
        let crossesDots = pieces[i] == .segments
        var k = j
        while k < s.count && (crossesDots || s[k] != ".") {
          k += 1
          captures.append(String(s[j..<k]))
          if go(i + 1, k) { return true }
          captures.removeLast()
        }
      }
      failed.insert(state)
      return false
    }
    return go(0, 0) ? captures : nil
  }

  /// The pattern with its wildcards replaced by `captures` in order.
  func filled(with captures: [String]) -> String {
    var out = ""
    var next = captures.makeIterator()
    for p in pieces {
      if case .literal(let c) = p { out.append(c) } else { out += next.next() ?? "" }
    }
    return out
  }
}

extension WildcardPattern.Piece {

  /// Whether the piece is a literal character.
  var isLiteral: Bool {
    if case .literal = self { return true }
    return false
  }
}
