/// Einsum subscripts for axis names: one letter per distinct name of one contraction, the
/// name's own first letter where it is free, else the next free letter.
struct EinsumSubscripts {

  /// The letter of each name seen so far.
  private var letters: [String: Character] = [:]

  /// The letters in use.
  private var used: Set<Character> = []

  /// The 52 letters einsum accepts, in the order they are handed out.
  private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

  /// Creates an empty assignment.
  init() {}

  /// The letters for `names`, assigning new ones as needed; nil when more than 52 distinct
  /// names are needed.
  mutating func letters(for names: [String]) -> String? {
    var out = ""
    for name in names {
      if let l = letters[name] {
        out.append(l)
        continue
      }
      let own = name.first.flatMap { c in EinsumSubscripts.alphabet.contains(c) && !used.contains(c) ? c : nil }
      guard let l = own ?? EinsumSubscripts.alphabet.first(where: { !used.contains($0) }) else { return nil }
      letters[name] = l
      used.insert(l)
      out.append(l)
    }
    return out
  }

  /// `"ab,bc->ac"` for two operands and a result, or nil past 52 names.
  static func equation(_ a: [String], _ b: [String], _ result: [String]) -> String? {
    var s = EinsumSubscripts()
    guard let x = s.letters(for: a), let y = s.letters(for: b), let z = s.letters(for: result) else { return nil }
    return "\(x),\(y)->\(z)"
  }
}
