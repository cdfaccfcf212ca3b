import CircuitTraining

/// The optimiser options of `train` and `export --jax`, described once: `--optimizer`, `--lr`,
/// `--momentum`, `--nesterov`, `--weight-decay`, `--clip`, and the schedule's `--schedule`,
/// `--warmup`, `--min-lr`.
struct OptimizerOptions {

  /// `sgd`, `adam` or `adamw`.
  var optimizer = "sgd"

  /// `--lr` (default 0.01 for sgd, 0.001 for adam(w)).
  var learningRate: Float? = nil

  /// `--momentum` (SGD).
  var momentum: Float = 0

  /// `--nesterov` (SGD).
  var nesterov = false

  /// `--weight-decay` (default 0, adamw 0.01).
  var weightDecay: Float? = nil

  /// `--clip`: the maximum global gradient norm.
  var clip: Float? = nil

  /// `--schedule`: `constant` or `cosine`.
  var schedule = "constant"

  /// `--warmup`: linear warm-up updates.
  var warmup = 0

  /// `--min-lr`: the cosine schedule's final rate.
  var minimumRate: Float = 0

  /// The schedule for a run of `totalSteps` updates.
  func schedule(totalSteps: Int) -> LearningRateSchedule {
    let decay: LearningRateSchedule.Decay =
      schedule == "cosine" ? .cosine(totalSteps: totalSteps, minimum: minimumRate) : .constant
    return LearningRateSchedule(base: baseRate, decay: decay, warmupSteps: warmup)
  }

  /// The optimiser the options describe.
  var value: Optimizer {
    let method: Optimizer.Method
    switch optimizer {
    case "adam": method = .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    case "adamw": method = .adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    default: method = .sgd(momentum: momentum, nesterov: nesterov)
    }
    return Optimizer(method, weightDecay: weightDecay ?? (optimizer == "adamw" ? 0.01 : 0))
  }

  /// The base learning rate.
  var baseRate: Float { learningRate ?? (optimizer == "sgd" ? 0.01 : 0.001) }

  /// The usage problem of the combination, if any.
  var problem: String? {
    nesterov && (optimizer != "sgd" || momentum == 0) ? "--nesterov needs --optimizer sgd and a --momentum above 0" : nil
  }
}

extension Option {

  /// `name <x>`: a number accepted by `valid`, recorded by `set`.
  static func number<T: LosslessStringConvertible>(
    _ name: String, _ valueName: String, help: String, valid: @escaping (T) -> Bool,
    _ set: @escaping (inout Values, T) -> Void
  ) -> Option {
    .value(name, valueName: valueName, help: help) { values, v throws(UsageError) in
      guard let x = T(v), valid(x) else { throw .invalid(v, for: "\(name) \(valueName)") }
      set(&values, x)
    }
  }

  /// The optimiser options, recorded in `field`.
  static func optimization(_ field: WritableKeyPath<Values, OptimizerOptions>) -> [Option] {
    [
      .value("--optimizer", valueName: "<sgd|adam|adamw>", help: "The optimiser (default sgd).") {
        values, v throws(UsageError) in
        guard ["sgd", "adam", "adamw"].contains(v) else { throw .invalid(v, for: "--optimizer <sgd|adam|adamw>") }
        values[keyPath: field].optimizer = v
      },
      number("--lr", "<rate>", help: "Learning rate (default 0.01 for sgd, 0.001 for adam(w)).", valid: { (x: Float) in x > 0 }) {
        $0[keyPath: field].learningRate = $1
      },
      number("--momentum", "<m>", help: "SGD momentum (default 0).", valid: { (x: Float) in x >= 0 && x < 1 }) {
        $0[keyPath: field].momentum = $1
      },
      .flag("--nesterov", help: "SGD with Nesterov momentum.") { $0[keyPath: field].nesterov = true },
      number(
        "--weight-decay", "<l>", help: "Weight decay (L2 for sgd/adam, decoupled for adamw;\ndefault 0, adamw 0.01).",
        valid: { (x: Float) in x >= 0 }
      ) { $0[keyPath: field].weightDecay = $1 },
      number("--clip", "<norm>", help: "Clip gradients to this global norm.", valid: { (x: Float) in x > 0 }) {
        $0[keyPath: field].clip = $1
      },
    ]
  }

  /// The schedule options (`--schedule`, `--warmup`, `--min-lr`), recorded in `field`.
  static func schedule(_ field: WritableKeyPath<Values, OptimizerOptions>) -> [Option] {
    [
      .value(
        "--schedule", valueName: "<constant|cosine>",
        help: "Learning-rate schedule (default constant; cosine decays\nto --min-lr over the whole run)."
      ) { values, v throws(UsageError) in
        guard ["constant", "cosine"].contains(v) else { throw .invalid(v, for: "--schedule <constant|cosine>") }
        values[keyPath: field].schedule = v
      },
      number("--warmup", "<steps>", help: "Linear warm-up over the first steps (default 0).", valid: { (n: Int) in n >= 0 }) {
        $0[keyPath: field].warmup = $1
      },
      number("--min-lr", "<rate>", help: "The cosine schedule's final rate (default 0).", valid: { (x: Float) in x >= 0 }) {
        $0[keyPath: field].minimumRate = $1
      },
    ]
  }
}
