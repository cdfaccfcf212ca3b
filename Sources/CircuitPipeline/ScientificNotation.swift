/// Numbers in the short scientific form of the tool's reports.
public enum ScientificNotation {

  /// `x` in 3 significant digits, scientific (`1.19e-7`); `0` for zero.
  public static func format(_ x: Double) -> String {
    if x == 0 { return "0" }
    if !x.isFinite { return "\(x)" }
    var e = 0
    var m = x
    while abs(m) >= 10 { m /= 10; e += 1 }
    while abs(m) < 1 { m *= 10; e -= 1 }
    let r = (m * 100).rounded() / 100
    return "\(r)e\(e)"
  }
}
