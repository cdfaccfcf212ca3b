import CircuitSema

/// The numbers a cost is counted in: `Int` for one concrete size assignment, `Polynomial` for
/// the same count as a polynomial in the size names. Counting is written once, generically.
public protocol CostScalar: Sendable, Equatable {
  /// Zero.
  static var zero: Self { get }
  /// The whole number `n`.
  init(_ n: Int)
  /// The sum.
  static func + (a: Self, b: Self) -> Self
  /// The difference.
  static func - (a: Self, b: Self) -> Self
  /// The product.
  static func * (a: Self, b: Self) -> Self
}

extension Int: CostScalar {}

/// A count as a polynomial in the entry's size names (Sema's `Size` normal form: rational
/// coefficients, collected monomials), or unknown when some axis size is not a monomial in
/// the sizes (e.g. a strided convolution's output grid) or arithmetic overflowed.
public struct Polynomial: CostScalar, CustomStringConvertible {

  /// The polynomial; nil when unknown.
  public let size: Size?

  /// Wraps a size (nil: unknown).
  public init(size: Size?) { self.size = size }

  /// The constant `n`.
  public init(_ n: Int) { size = Size(n) }

  /// Unknown.
  public static let unknown = Polynomial(size: nil)

  /// Zero.
  public static var zero: Polynomial { Polynomial(0) }

  /// The sum.
  public static func + (a: Polynomial, b: Polynomial) -> Polynomial {
    combine(a, b) { x, y throws(SizeError) in try Size.add(x, y) }
  }

  /// The difference.
  public static func - (a: Polynomial, b: Polynomial) -> Polynomial {
    combine(a, b) { x, y throws(SizeError) in try Size.subtract(x, y) }
  }

  /// The product.
  public static func * (a: Polynomial, b: Polynomial) -> Polynomial {
    combine(a, b) { x, y throws(SizeError) in try Size.multiply(x, y) }
  }

  /// `f(a, b)`, unknown when either is unknown or `f` fails.
  static func combine(_ a: Polynomial, _ b: Polynomial, _ f: (Size, Size) throws(SizeError) -> Size)
    -> Polynomial
  {
    guard let x = a.size, let y = b.size else { return .unknown }
    return Polynomial(size: try? f(x, y))
  }

  /// The value with every size name replaced by its value; nil when unknown or not whole.
  public func evaluated(at sizes: [String: Int]) -> Int? {
    guard let s = size else { return nil }
    return (try? s.substituting(sizes.mapValues { Size($0) }))?.constant
  }

  /// The polynomial as mathematics: `4·b·t·m² + 2·b·t²·m`; `?` when unknown.
  public var description: String {
    guard let s = size else { return "?" }
    return Polynomial.pretty(s.description)
  }

  /// `4*b*t*m^2` in the source's syntax, rewritten with `·` and superscript exponents.
  static func pretty(_ source: String) -> String {
    let superscripts: [Character: Character] = [
      "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
    ]
    var out = ""
    var inExponent = false
    for c in source {
      if c == "^" {
        inExponent = true
        continue
      }
      if inExponent, let s = superscripts[c] {
        out.append(s)
        continue
      }
      inExponent = false
      out.append(c == "*" ? "·" : c)
    }
    return out
  }
}
