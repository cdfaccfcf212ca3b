/// A seeded, deterministic pseudo-random generator (xoshiro256** seeded by SplitMix64).
///
/// The same seed gives the same sequence on every platform and run.
public struct RandomSource: RandomNumberGenerator, Sendable {

  /// The four words of xoshiro256** state.
  private var state: (UInt64, UInt64, UInt64, UInt64)

  /// Creates a generator whose state is derived from `seed` with SplitMix64.
  public init(seed: UInt64) {
    var mixer = seed
    /// Returns the next SplitMix64 output.
    func splitMix(_ x: inout UInt64) -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(&mixer), splitMix(&mixer), splitMix(&mixer), splitMix(&mixer))
  }

  /// Returns the next 64 random bits.
  public mutating func next() -> UInt64 {
    /// Rotates `x` left by `k` bits.
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotl(state.3, 45)
    return result
  }

  /// Returns a uniform `Float` in `[0, 1)` built from the top 24 bits.
  public mutating func uniform() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// Returns a uniform `Float` in `[lower, upper)`.
  public mutating func uniform(from lower: Float, to upper: Float) -> Float {
    lower + (upper - lower) * uniform()
  }

  /// Returns a normally distributed `Float` (Box–Muller transform).
  public mutating func normal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
    let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_993.0)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    let radius = (-2 * _log(u1)).squareRoot()
    return mean + standardDeviation * Float(radius * _cos(2 * Double.pi * u2))
  }

  /// Returns a `float32` tensor of uniform values in `[lower, upper)`.
  public mutating func uniformTensor(
    shape: [Int], from lower: Float = 0, to upper: Float = 1
  ) throws(TensorError) -> Tensor {
    let count = try ShapeMath.elementCount(shape)
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count { values[i] = uniform(from: lower, to: upper) }
    return Tensor(uncheckedShape: shape, storage: .float32(values))
  }

  /// Returns a `float32` tensor of normally distributed values.
  public mutating func normalTensor(
    shape: [Int], mean: Float = 0, standardDeviation: Float = 1
  ) throws(TensorError) -> Tensor {
    let count = try ShapeMath.elementCount(shape)
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count { values[i] = normal(mean: mean, standardDeviation: standardDeviation) }
    return Tensor(uncheckedShape: shape, storage: .float32(values))
  }

}
