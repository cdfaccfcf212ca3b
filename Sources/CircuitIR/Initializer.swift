extension IR {

  /// How a parameter is filled before training or without a checkpoint.
  public enum Initializer: Hashable, Sendable {
    /// Every element is the constant.
    case constant(Double)
    /// Uniform in ±bound.
    case uniform(Double)
    /// Normal with the standard deviation.
    case normal(Double)
  }
}
