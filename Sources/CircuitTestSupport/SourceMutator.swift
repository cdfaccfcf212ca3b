/// SplitMix64: small, fast and the same on every platform.
public struct SeededRandom {

  /// The generator's state.
  public var state: UInt64

  /// A generator starting from `state`.
  public init(state: UInt64) { self.state = state }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in `0..<n` (`n > 0`).
  public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// Random edits of source text for fuzzing (deletions, duplications, swaps, truncation, junk
/// bytes, tricky fragments, huge numbers, changed letters): the robustness fuzzer's and the
/// formatter's inputs.
public enum SourceMutator {

  /// Text fragments that tend to reach unusual paths.
  static let fragments: [String] = [
    "(((((", ")))))", "[[[[", "]]]]", "{", "}", "99999999999999999999", "2^80", "0", "-1",
    "/0", "->", "|>", "...", "..<", ":", "=", ",", ";", "\"", "\n", "#", "return ", "for i in 0...",
    "circuit ", "size ", "param W: [", "sum[", "window[", "<", ">", "_", "'", "\u{00D7}", "\t",
  ]

  /// One random mutation of `bytes`.
  public static func mutate(_ bytes: [UInt8], _ r: inout SeededRandom) -> [UInt8] {
    var b = bytes
    let n = b.count
    func span() -> Range<Int> {
      let start = r.below(n + 1)
      let length = 1 + r.below(24)
      return start..<min(n, start + length)
    }
    switch r.below(8) {
    case 0:  // delete a span
      b.removeSubrange(span())
    case 1:  // duplicate a span
      let s = span()
      b.insert(contentsOf: Array(b[s]), at: r.below(n + 1))
    case 2:  // swap two spans
      let s1 = span()
      let s2 = span()
      if s1.upperBound <= s2.lowerBound {
        let (x, y) = (Array(b[s1]), Array(b[s2]))
        b.replaceSubrange(s2, with: x)
        b.replaceSubrange(s1, with: y)
      }
    case 3:  // truncate
      b = Array(b.prefix(r.below(n + 1)))
    case 4:  // random bytes, including invalid UTF-8
      let count = 1 + r.below(6)
      let junk = (0..<count).map { _ in UInt8(truncatingIfNeeded: r.next()) }
      b.insert(contentsOf: junk, at: r.below(n + 1))
    case 5:  // a fragment
      let f = fragments[r.below(fragments.count)]
      b.insert(contentsOf: Array(f.utf8), at: r.below(n + 1))
    case 6:  // replace a run of digits with a huge or degenerate number
      let digits = b.indices.filter { b[$0] >= 48 && b[$0] <= 57 }
      guard !digits.isEmpty else { break }
      var i = digits[r.below(digits.count)]
      var j = i
      while i > 0 && b[i - 1] >= 48 && b[i - 1] <= 57 { i -= 1 }
      while j < b.count && b[j] >= 48 && b[j] <= 57 { j += 1 }
      let replacement = ["99999999999999999999", "2^80", "0", "1", "4096", "9223372036854775807"][r.below(6)]
      b.replaceSubrange(i..<j, with: Array(replacement.utf8))
    default:  // replace an identifier-ish byte with another letter
      if n > 0 {
        let i = r.below(n)
        b[i] = Array("abkxyzHW_0'".utf8)[r.below(11)]
      }
    }
    return b
  }
}
