#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Natural logarithm of a `Double` (libm).
@inline(__always) func _log(_ x: Double) -> Double { log(x) }

/// Cosine of a `Double` (libm).
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }

/// Scalar `Float` math used by the kernels, wrapping libm so kernels stay platform-free.
enum FloatMath {

  /// e^x.
  @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }

  /// Natural logarithm.
  @inline(__always) static func log(_ x: Float) -> Float { logf(x) }

  /// Hyperbolic tangent.
  @inline(__always) static func tanh(_ x: Float) -> Float { tanhf(x) }

  /// Sine.
  @inline(__always) static func sin(_ x: Float) -> Float { sinf(x) }

  /// Cosine.
  @inline(__always) static func cos(_ x: Float) -> Float { cosf(x) }

  /// Error function.
  @inline(__always) static func erf(_ x: Float) -> Float { erff(x) }

  /// x raised to y.
  @inline(__always) static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }

  /// The number of online processors (at least 1).
  static var processorCount: Int { Processors.online }

}

/// The machine's processors, as the runtime's parallel kernels count them.
public enum Processors {

  /// The number of online processors (at least 1).
  public static var online: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
