/// A unary elementwise function on `float32` tensors.
public enum UnaryFunction: String, Sendable, Hashable, CaseIterable {

  /// max(x, 0).
  case relu

  /// x · Φ(x) with the exact error function: 0.5 · x · (1 + erf(x / √2)).
  case geluErf

  /// The tanh approximation: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))).
  case geluTanh

  /// e^x.
  case exp

  /// Natural logarithm (NaN below zero, -inf at zero).
  case log

  /// Hyperbolic tangent.
  case tanh

  /// 1 / (1 + e^-x), computed without overflow for large |x|.
  case sigmoid

  /// Square root.
  case sqrt

  /// 1 / √x.
  case rsqrt

  /// Absolute value.
  case abs

  /// Negation.
  case neg

  /// Sine.
  case sin

  /// Cosine.
  case cos

  /// The error function.
  case erf

  /// `x · sigmoid(x)` (swish).
  case silu

  /// −1, 0 or 1; 0 for 0 and NaN.
  case sign

  /// Applies the function to one value.
  @inline(__always)
  public func apply(_ x: Float) -> Float {
    switch self {
    case .relu: return x > 0 ? x : 0
    case .geluErf: return 0.5 * x * (1 + FloatMath.erf(x * 0.707_106_781_186_547_5))
    case .geluTanh:
      let inner: Float = 0.797_884_560_802_865_4 * (x + 0.044715 * x * x * x)
      return 0.5 * x * (1 + FloatMath.tanh(inner))
    case .exp: return FloatMath.exp(x)
    case .log: return FloatMath.log(x)
    case .tanh: return FloatMath.tanh(x)
    case .sigmoid:
      if x >= 0 { return 1 / (1 + FloatMath.exp(-x)) }
      let e = FloatMath.exp(x)
      return e / (1 + e)
    case .sqrt: return x.squareRoot()
    case .rsqrt: return 1 / x.squareRoot()
    case .abs: return Swift.abs(x)
    case .neg: return -x
    case .sin: return FloatMath.sin(x)
    case .cos: return FloatMath.cos(x)
    case .erf: return FloatMath.erf(x)
    case .silu: return x * UnaryFunction.sigmoid.apply(x)
    case .sign: return x > 0 ? 1 : (x < 0 ? -1 : 0)
    }
  }

}

/// A binary elementwise function on `float32` tensors.
public enum BinaryFunction: String, Sendable, Hashable, CaseIterable {

  /// x + y.
  case add

  /// x − y.
  case sub

  /// x · y.
  case mul

  /// x / y (IEEE: division by zero gives ±inf or NaN).
  case div

  /// The larger of x and y; NaN if either is NaN.
  case max

  /// The smaller of x and y; NaN if either is NaN.
  case min

  /// x raised to y (libm `powf`).
  case pow

  /// Applies the function to one pair of values.
  @inline(__always)
  public func apply(_ x: Float, _ y: Float) -> Float {
    switch self {
    case .add: return x + y
    case .sub: return x - y
    case .mul: return x * y
    case .div: return x / y
    case .max: return x.isNaN || y.isNaN ? .nan : (x > y ? x : y)
    case .min: return x.isNaN || y.isNaN ? .nan : (x < y ? x : y)
    case .pow: return FloatMath.pow(x, y)
    }
  }

}

/// A comparison producing a `bool` tensor.
public enum Comparison: String, Sendable, Hashable, CaseIterable {

  /// x == y.
  case equal

  /// x != y.
  case notEqual

  /// x < y.
  case less

  /// x <= y.
  case lessEqual

  /// x > y.
  case greater

  /// x >= y.
  case greaterEqual

  /// Compares one pair of comparable values.
  @inline(__always)
  public func apply<T: Comparable>(_ x: T, _ y: T) -> Bool {
    switch self {
    case .equal: return x == y
    case .notEqual: return x != y
    case .less: return x < y
    case .lessEqual: return x <= y
    case .greater: return x > y
    case .greaterEqual: return x >= y
    }
  }

}
