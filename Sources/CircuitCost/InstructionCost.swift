import CircuitIR

/// A value's axes with their sizes counted in `T`.
struct SizedAxes<T: CostScalar> {

  /// The axis names in layout order.
  let names: [String]

  /// The sizes, in the same order.
  let sizes: [T]

  /// Bytes per element.
  let width: Int

  /// The number of elements.
  var count: T { sizes.reduce(T(1), *) }

  /// The bytes of a dense buffer.
  var bytes: T { count * T(width) }

  /// The product of the sizes of the axes in `axes` (those this value has).
  func product(of axes: [String]) -> T {
    zip(names, sizes).filter { axes.contains($0.0) }.reduce(T(1)) { $0 * $1.1 }
  }

  /// The product of the sizes of the axes not in `axes`.
  func product(excluding axes: [String]) -> T {
    zip(names, sizes).filter { !axes.contains($0.0) }.reduce(T(1)) { $0 * $1.1 }
  }
}

/// The counting conventions, per instruction (n: elements of the result; see the README's
/// `cost` section):
/// - contraction: 2 · the product of every axis of the operands (kept and contracted);
/// - unary: neg, abs 1 flop; relu, sign 1 comparison; exp, log, tanh, sqrt, rsqrt, sin,
///   cos, erf 1 transcendental; sigmoid 1 transcendental + 2 flops; silu 1 + 3; gelu (erf)
///   1 + 4; gelu_tanh 1 + 8; all per element;
/// - binary: add, sub, mul, div 1 flop; pow 1 transcendental; max, min 1 comparison;
/// - reductions over r = n_in/n_out positions: sum n_in − n_out flops, mean that plus n_out
///   divisions, max/min n_in − n_out comparisons; first-maximum masks n_in comparisons;
/// - softmax over rows of the softmax axes (n elements, ρ rows): max n − ρ comparisons,
///   subtract n, exp n transcendentals, sum n − ρ, divide n: 3n − ρ flops; log-softmax
///   3n − ρ flops, n + ρ transcendentals (exp, then one log per row);
/// - layer norm: mean n, centre n, square n, sum n − ρ, divide ρ, add ε ρ, scale n:
///   5n + ρ flops, ρ transcendentals (rsqrt);
/// - unwindow and scatter-add: one addition per input element;
/// - comparisons and `and`/`or`/`not`: one comparison per element; argmax/argmin over an axis:
///   n_in − n_out comparisons; element conversions: no arithmetic;
/// - data movement (select, transpose, concat, slice, index, gather, window, broadcast,
///   place, arange, causal): no arithmetic, only the bytes produced.
/// Activation bytes are the bytes of every result except inputs, parameters, constants and
/// the pure relabellings rename, merge and split.
enum InstructionCost {

  /// The cost of `ins`, whose result and operands have the given sized axes.
  static func of<T: CostScalar>(_ ins: IR.Instruction, result r: SizedAxes<T>, operands: [SizedAxes<T>]) -> Cost<T> {
    let n = r.count
    var c = Cost<T>(activationBytes: r.bytes)
    switch ins.op {
    case .input, .constant:
      c.activationBytes = .zero
    case .parameter:
      c = Cost(parameters: n, parameterBytes: r.bytes)
    case .rename, .merge, .split:
      c.activationBytes = .zero
    case .arange, .causal, .select, .transpose, .concat, .slice, .index, .gather, .window, .broadcast, .place:
      break
    case .unary(let fn):
      let (flops, transcendentals, comparisons) = unary(fn)
      c.flops = T(flops) * n
      c.transcendentals = T(transcendentals) * n
      c.comparisons = T(comparisons) * n
    case .binary(let fn):
      switch fn {
      case .add, .subtract, .multiply, .divide: c.flops = n
      case .power: c.transcendentals = n
      case .maximum, .minimum: c.comparisons = n
      }
    case .reduce(let kind, _):
      let folds = operands[0].count - n
      switch kind {
      case .sum: c.flops = folds
      case .mean: c.flops = folds + n
      case .max, .min: c.comparisons = folds
      }
    case .firstMaximumMask:
      c.comparisons = n
    case .compare, .logic:
      c.comparisons = n
    case .convert:
      break
    case .argExtremum:
      c.comparisons = operands[0].count - n
    case .contract(let axes):
      let contracted = axes.map { a in operands.first { $0.names.contains(a) }?.product(of: [a]) ?? T(1) }
      c.flops = T(2) * contracted.reduce(n, *)
    case .softmax(let axes, let log):
      let rows = r.product(excluding: axes)
      c.comparisons = n - rows
      c.flops = T(3) * n - rows
      c.transcendentals = log ? n + rows : n
    case .layerNorm(let axes, _):
      let rows = r.product(excluding: axes)
      c.flops = T(5) * n + rows
      c.transcendentals = rows
    case .layerNormAdjoint(let axes, _):
      // The forward's statistics again, n, the two sums and the write.
      let rows = r.product(excluding: axes)
      c.flops = T(12) * n + rows
      c.transcendentals = rows
    case .softmaxAdjoint(_, let log):
      // The row sum, then the subtraction and the product (the exponential for log-softmax).
      c.flops = T(4) * n
      c.transcendentals = log ? n : T(0)
    case .unwindow, .scatterAdd:
      c.flops = operands[0].count
    }
    return c
  }

  /// (flops, transcendental calls, comparisons) per element of a unary function.
  static func unary(_ fn: IR.UnaryFunction) -> (Int, Int, Int) {
    switch fn {
    case .negate, .abs: (1, 0, 0)
    case .relu, .sign: (0, 0, 1)
    case .exp, .log, .tanh, .sqrt, .rsqrt, .sin, .cos, .erf: (0, 1, 0)
    case .sigmoid: (2, 1, 0)
    case .silu: (3, 1, 0)
    case .gelu: (4, 1, 0)
    case .geluTanh: (8, 1, 0)
    }
  }
}
