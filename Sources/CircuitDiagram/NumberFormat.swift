/// The one number formatter of the renderer (and of labels the driver writes): at most two decimals, trailing zeros trimmed,
/// `-0` written as `0`, so that output is stable across platforms.
public enum NumberFormat {

  /// `12.5`, `3`, `-0.25`.
  static func svg(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let scaled = (x * 100).rounded()
    if scaled == 0 { return "0" }
    let negative = scaled < 0
    let n = Int(abs(scaled))
    let whole = n / 100
    let frac = n % 100
    var s = negative ? "-" : ""
    s += String(whole)
    if frac != 0 {
      s += frac % 10 == 0 ? "." + String(frac / 10) : (frac < 10 ? ".0" : ".") + String(frac)
    }
    return s
  }

  /// A constant as written in a label: integers without a fraction, else up to 4 digits.
  static func compact(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e9 { return String(Int(x)) }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    let scaled = (x * 10_000).rounded() / 10_000
    var s = String(scaled)
    if s.contains("e") { s = String(x) }
    return s
  }

  /// `n` in superscript digits (`2` → `²`), as the paper writes a bundle's `28²`.
  public static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    return (n < 0 ? "⁻" : "") + String(String(n.magnitude).compactMap { $0.wholeNumberValue.map { digits[$0] } })
  }

  /// The sizes of a bundle's members as the paper writes them on a double line: equal sizes
  /// as a power (`8²`, `1²`), else a product (`3×5`); a single size alone.
  static func perAxis(_ sizes: [Int]) -> String {
    guard let first = sizes.first else { return "" }
    if sizes.count > 1, Set(sizes).count == 1 { return String(first) + superscript(sizes.count) }
    return sizes.map(String.init).joined(separator: "×")
  }
}
