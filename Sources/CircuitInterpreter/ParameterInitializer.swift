import CircuitIR
import TensorRuntime

/// Deterministic parameter initialisation, seeded.
///
/// - An explicit initialiser in the source wins: `= c` (every element `c`), `= uniform(b)`
///   (uniform in ±b), `= normal(s)` (normal with standard deviation `s`).
/// - Otherwise a parameter that is contracted with data gets PyTorch's default for linear and
///   convolution weights: uniform in ±1/√fan_in, where fan_in is the product of the sizes of
///   its axes that the contraction sums over (`m` for `sum[m](X * W)`, `c·kh·kw` for a
///   convolution).
/// - A parameter used only elementwise (a bias) starts at zeros.
///
/// Parameters draw from one `RandomSource(seed:)` in declaration order, so the same seed and
/// program give the same values on every run and machine.
public enum ParameterInitializer {

  /// The initial value of every parameter of `function`, by full name.
  ///
  /// - Throws: `TensorError.invalidShape` or `.outOfMemory` (naming the parameter) when a
  ///   parameter cannot be allocated; never traps.
  public static func initialize(_ function: IR.Function, seed: UInt64) throws(TensorError) -> [String: Tensor] {
    var random = RandomSource(seed: seed)
    let fanIn = fanIns(function)
    var out: [String: Tensor] = [:]
    for p in function.parameters {
      let what = "parameter '\(p.name)' \(p.type)"
      let value: (Int) -> Float
      switch p.initializer {
      case .constant(let c)?: value = { _ in Float(c) }
      case .uniform(let b)?: value = { _ in random.uniform(from: Float(-b), to: Float(b)) }
      case .normal(let s)?: value = { _ in random.normal(mean: 0, standardDeviation: Float(s)) }
      case nil:
        if let n = fanIn[p.name], n > 0 {
          let bound = 1 / Float(n).squareRoot()
          value = { _ in random.uniform(from: -bound, to: bound) }
        } else {
          value = { _ in 0 }
        }
      }
      out[p.name] = try Tensor.generating(shape: p.type.shape, what: what, value)
    }
    return out
  }

  /// For each parameter, the fan-in of the first contraction it (or a rename of it) enters.
  static func fanIns(_ f: IR.Function) -> [String: Int] {
    var origin: [Int: (name: String, renames: [String: String])] = [:]
    var result: [String: Int] = [:]
    for (i, ins) in f.instructions.enumerated() {
      switch ins.op {
      case .parameter(let name, _):
        origin[i] = (name, Dictionary(uniqueKeysWithValues: ins.type.names.map { ($0, $0) }))
      case .rename(let from, let to):
        if let o = origin[ins.operands[0].index] {
          var map: [String: String] = [:]
          let renaming = Dictionary(uniqueKeysWithValues: zip(from, to))
          for (current, declared) in o.renames { map[renaming[current] ?? current] = declared }
          origin[i] = (o.name, map)
        }
      case .transpose:
        if let o = origin[ins.operands[0].index] { origin[i] = o }
      case .contract(let axes):
        for operand in ins.operands {
          guard let o = origin[operand.index], result[o.name] == nil else { continue }
          let t = f.type(of: operand)
          result[o.name] = axes.filter { o.renames[$0] != nil }.reduce(1) { $0 * t.axis($1)!.size }
        }
      default:
        break
      }
    }
    return result
  }
}
