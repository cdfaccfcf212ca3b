/// What computing something costs, counted in `T` (see `InstructionCost` for the conventions).
public struct Cost<T: CostScalar>: Sendable, Equatable {

  /// Floating-point additions, subtractions, multiplications and divisions (a multiply-add is 2).
  public var flops: T

  /// Calls of transcendental functions (exp, log, erf, tanh, sqrt, pow, …), counted apart.
  public var transcendentals: T

  /// Comparisons (max, min, relu, the maxima of softmax).
  public var comparisons: T

  /// Learned parameter values.
  public var parameters: T

  /// Bytes of the learned parameters.
  public var parameterBytes: T

  /// Bytes of the activations computed (values that move data; relabellings are free).
  public var activationBytes: T

  /// Creates a cost; every field defaults to zero.
  public init(
    flops: T = .zero, transcendentals: T = .zero, comparisons: T = .zero, parameters: T = .zero,
    parameterBytes: T = .zero, activationBytes: T = .zero
  ) {
    (self.flops, self.transcendentals, self.comparisons) = (flops, transcendentals, comparisons)
    (self.parameters, self.parameterBytes, self.activationBytes) = (parameters, parameterBytes, activationBytes)
  }

  /// Zero.
  public static var zero: Cost { Cost() }

  /// The fields in report order with their names and their JSON keys.
  public var fields: [(name: String, key: String, value: T)] {
    [
      ("flops", "flops", flops), ("transcendentals", "transcendentals", transcendentals),
      ("comparisons", "comparisons", comparisons), ("parameters", "parameters", parameters),
      ("parameter bytes", "parameterBytes", parameterBytes), ("activation bytes", "activationBytes", activationBytes),
    ]
  }

  /// The field-by-field sum.
  public static func + (a: Cost, b: Cost) -> Cost {
    Cost(
      flops: a.flops + b.flops, transcendentals: a.transcendentals + b.transcendentals,
      comparisons: a.comparisons + b.comparisons, parameters: a.parameters + b.parameters,
      parameterBytes: a.parameterBytes + b.parameterBytes, activationBytes: a.activationBytes + b.activationBytes)
  }

  /// Applies `f` to every field.
  public func map<U: CostScalar>(_ f: (T) -> U) -> Cost<U> {
    Cost<U>(
      flops: f(flops), transcendentals: f(transcendentals), comparisons: f(comparisons),
      parameters: f(parameters), parameterBytes: f(parameterBytes), activationBytes: f(activationBytes))
  }

  /// Combines two costs field by field.
  public func zip<U: CostScalar, V: CostScalar>(_ other: Cost<U>, _ f: (T, U) -> V) -> Cost<V> {
    Cost<V>(
      flops: f(flops, other.flops), transcendentals: f(transcendentals, other.transcendentals),
      comparisons: f(comparisons, other.comparisons), parameters: f(parameters, other.parameters),
      parameterBytes: f(parameterBytes, other.parameterBytes),
      activationBytes: f(activationBytes, other.activationBytes))
  }
}
