#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The learning rate of each update: a constant or cosine decay, optionally scaled by a linear
/// warm-up over the first updates.
public struct LearningRateSchedule: Sendable, Equatable {

  /// How the rate decays.
  public enum Decay: Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// `lr_min + ½(lr − lr_min)(1 + cos(π t / T))` after `t` of `T` updates
    /// (`torch.optim.lr_scheduler.CosineAnnealingLR` stepped once per update).
    case cosine(totalSteps: Int, minimum: Float)
  }

  /// The base rate `lr`.
  public var base: Float

  /// The decay.
  public var decay: Decay

  /// The number of warm-up updates `W`: update number `t` (1-based) with `t ≤ W` has its rate
  /// scaled by `t / W`. Zero: no warm-up.
  public var warmupSteps: Int

  /// Creates a schedule.
  public init(base: Float, decay: Decay = .constant, warmupSteps: Int = 0) {
    self.base = base
    self.decay = decay
    self.warmupSteps = warmupSteps
  }

  /// The rate of the update that follows `done` updates (`done` = 0 for the first).
  public func rate(afterSteps done: Int) -> Float {
    var rate = Double(base)
    if case .cosine(let total, let minimum) = decay, total > 0 {
      let t = Double(min(done, total))
      rate = Double(minimum) + 0.5 * (Double(base) - Double(minimum)) * (1 + cos(Double.pi * t / Double(total)))
    }
    if warmupSteps > 0 && done < warmupSteps {
      rate *= Double(done + 1) / Double(warmupSteps)
    }
    return Float(rate)
  }
}
