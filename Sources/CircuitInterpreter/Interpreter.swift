import CircuitDiagnostics
import CircuitIR
import TensorRuntime

/// A failure while running a function: printed like a compile error at the instruction's
/// source location.
public struct RuntimeError: Error, Sendable {

  /// What went wrong.
  public let message: String

  /// The instruction's source location.
  public let site: SourceRange?

  /// The error as a diagnostic.
  public var diagnostic: Diagnostic? {
    site.map { Diagnostic(.runtimeError, message, at: $0) }
  }
}

/// Runs an `IR.Function` on `TensorRuntime`: the reference semantics of every op.
public enum Interpreter {

  /// The outputs of `function` for `inputs` (in order) and `parameters` (by full name).
  /// Tensors are laid out in the axis order of their IR types.
  public static func run(
    _ function: IR.Function, inputs: [Tensor], parameters: [String: Tensor]
  ) throws(RuntimeError) -> [Tensor] {
    let n = function.instructions.count
    var lastUse = [Int](repeating: -1, count: n)
    for (i, ins) in function.instructions.enumerated() { for o in ins.operands { lastUse[o.index] = i } }
    for o in function.outputs { lastUse[o.index] = n }
    var values = [Tensor?](repeating: nil, count: n)
    for (i, ins) in function.instructions.enumerated() {
      let operands = ins.operands.map { values[$0.index]! }
      let operandTypes = ins.operands.map { function.type(of: $0) }
      do throws(TensorError) {
        let result = try evaluate(
          ins, operands, operandTypes, inputs: inputs, parameters: parameters)
        guard result.shape == ins.type.shape else {
          throw TensorError.invalidArgument(
            operation: ins.op.text, message: "produced shape \(result.shape), expected \(ins.type.shape)")
        }
        values[i] = result
      } catch {
        throw RuntimeError(message: "\(ins.op.text): \(error)", site: ins.site)
      }
      for o in ins.operands where lastUse[o.index] == i { values[o.index] = nil }
    }
    return function.outputs.map { values[$0.index]! }
  }

  /// The value of one instruction.
  static func evaluate(
    _ ins: IR.Instruction, _ x: [Tensor], _ t: [IR.TensorType], inputs: [Tensor],
    parameters: [String: Tensor]
  ) throws(TensorError) -> Tensor {
    let out = ins.type
    switch ins.op {
    case .input(let index, let name):
      guard index < inputs.count else {
        throw .invalidArgument(operation: "input", message: "input '\(name)' was not given")
      }
      return inputs[index]
    case .parameter(let name, _):
      guard let p = parameters[name] else {
        throw .invalidArgument(operation: "param", message: "parameter '\(name)' was not given")
      }
      return p
    case .constant(let v): return Kernels.cast(Tensor(scalar: Float(v)), to: out.element)
    case .arange: return try Tensor(shape: out.shape, floats: (0..<out.count).map(Float.init))
    case .causal: return try Kernels.causalMask(queries: out.shape[0], keys: out.shape[1])
    case .unary(.negate) where out.element == .int32: return try Kernels.integerNegate(x[0])
    case .unary(let f): return try Kernels.unary(runtimeFunction(f), x[0])
    case .binary(let f) where out.element == .int32:
      let (a, b) = try broadcastPair(x, t, to: out)
      return try Kernels.integerBinary(runtimeFunction(f), a, b)
    case .binary(let f):
      return try Kernels.binary(
        runtimeFunction(f), x[0], strides: strides(t[0], in: out), x[1], strides: strides(t[1], in: out),
        outputShape: out.shape)
    case .compare(let c):
      let (a, b) = try broadcastPair(x, t, to: out)
      return try Kernels.compare(runtimeComparison(c), a, b)
    case .logic(.not): return try Kernels.not(x[0])
    case .logic(let l):
      let (a, b) = try broadcastPair(x, t, to: out)
      return try Kernels.logical(l == .and, a, b)
    case .convert(let element): return Kernels.cast(x[0], to: element)
    case .argExtremum(let axis, let minimum):
      return try Kernels.argExtremum(x[0], axis: t[0].position(of: axis)!, minimum: minimum)
    case .select:
      let values = try (0..<3).map { i throws(TensorError) in
        try Kernels.broadcast(x[i], to: out.shape, strides: strides(t[i], in: out))
      }
      return try Kernels.where(values[0], values[1], values[2])
    case .reduce(let r, let axes):
      return try Kernels.reduce(runtimeReduction(r), x[0], axes: positions(axes, in: t[0]))
    case .contract:
      var labels: [String: Int] = [:]
      func label(_ name: String) -> Int {
        if let l = labels[name] { return l }
        labels[name] = labels.count
        return labels.count - 1
      }
      let a = t[0].names.map(label)
      let b = t[1].names.map(label)
      return try Kernels.contract(x[0], labels: a, x[1], labels: b, output: out.names.map(label))
    case .softmax(let axes, let log):
      let p = positions(axes, in: t[0])
      return log ? try Kernels.logSoftmax(x[0], axes: p) : try Kernels.softmax(x[0], axes: p)
    case .layerNorm(let axes, let eps):
      return try Kernels.layerNorm(x[0], axes: positions(axes, in: t[0]), epsilon: Float(eps))
    case .merge(let axes, _):
      let first = t[0].position(of: axes[0])!
      var order: [Int] = []
      for (i, a) in t[0].axes.enumerated() {
        if i == first { order += positions(axes, in: t[0]) }
        if !axes.contains(a.name) { order.append(i) }
      }
      return try Kernels.permute(x[0], axes: order).reshaped(to: out.shape)
    case .split, .rename:
      return try x[0].reshaped(to: out.shape)
    case .transpose:
      return try Kernels.permute(x[0], axes: out.names.map { t[0].position(of: $0)! })
    case .concat(let axes, _):
      let reference = t[0]
      let joined = reference.position(of: axes[0])!
      var parts: [Tensor] = []
      for (i, part) in x.enumerated() {
        let order = reference.names.map { $0 == axes[0] ? t[i].position(of: axes[i])! : t[i].position(of: $0)! }
        parts.append(try Kernels.permute(part, axes: order))
      }
      return try Kernels.concat(parts, axis: joined)
    case .slice(let axis, let start, let end, _):
      return try Kernels.slice(x[0], axis: t[0].position(of: axis)!, range: start..<end)
    case .index(let axis, let position):
      return try Kernels.index(x[0], axis: t[0].position(of: axis)!, position: position)
    case .gather(let axis):
      let shared = t[1].names.filter { t[0].position(of: $0) != nil }
      let own = t[1].names.filter { t[0].position(of: $0) == nil }
      let rest = t[0].names.filter { $0 != axis && !shared.contains($0) }
      let table = try Kernels.permute(x[0], axes: positions(shared + [axis] + rest, in: t[0]))
      let indices = try Kernels.permute(x[1], axes: positions(shared + own, in: t[1]))
      let gathered = try Kernels.gather(table, indices: indices, batchAxes: shared.count)
      let names = shared + own + rest
      return try Kernels.permute(gathered, axes: out.names.map { n in names.firstIndex(of: n)! })
    case .window(let ws):
      return try Kernels.window(
        x[0],
        windows: ws.map {
          WindowAxis(
            axis: t[0].position(of: $0.input)!, size: $0.size, stride: $0.stride, padding: $0.pad,
            dilation: $0.dilation)
        })
    case .unwindow(let us):
      let windowNames = us.map(\.window)
      let kept = t[0].names.filter { !windowNames.contains($0) }
      let arranged = try Kernels.permute(x[0], axes: (kept + windowNames).map { t[0].position(of: $0)! })
      let windows = us.map {
        WindowAxis(
          axis: kept.firstIndex(of: $0.grid)!, size: t[0].axis($0.window)!.size, stride: $0.stride,
          padding: $0.pad, dilation: $0.dilation)
      }
      // The output axes are listed in `kept` order; with output padding (< stride) the extra
      // positions still receive the contributions that reach them.
      return try Kernels.unwindow(arranged, windows: windows, inputShape: out.shape)
    case .broadcast:
      return try Kernels.broadcast(x[0], to: out.shape, strides: strides(t[0], in: out))
    case .place(let axis, let size, let start):
      let own = t[0].position(of: axis)
      let operand = own == nil ? try x[0].reshaped(to: x[0].shape + [1]) : x[0]
      return try Kernels.place(operand, axis: own ?? t[0].axes.count, size: size, start: start)
    case .scatterAdd(_, let size):
      let rest = t[0].names.filter { t[1].position(of: $0) == nil }
      let rows = try Kernels.permute(x[0], axes: positions(t[1].names + rest, in: t[0]))
      return try Kernels.scatterAdd(rows, indices: x[1], size: size)
    case .firstMaximumMask(let axes):
      return try Kernels.firstMaximumMask(x[0], axes: positions(axes, in: t[0]))
    case .layerNormAdjoint(let axes, let eps):
      return try Kernels.layerNormAdjoint(x[0], adjoint: x[1], axes: positions(axes, in: t[0]), epsilon: Float(eps))
    case .softmaxAdjoint(let axes, let log):
      return try Kernels.softmaxAdjoint(x[0], adjoint: x[1], axes: positions(axes, in: t[0]), log: log)
    }
  }

  /// For each axis of `out`, the stride of that axis in a contiguous tensor of type `t`
  /// (0 where `t` lacks it): reads `t` broadcast to `out`.
  static func strides(_ t: IR.TensorType, in out: IR.TensorType) -> [Int] {
    let own = ShapeMath.contiguousStrides(t.shape)
    return out.names.map { n in t.position(of: n).map { own[$0] } ?? 0 }
  }

  /// The two operands of a broadcast elementwise op, materialised at the result's shape.
  static func broadcastPair(_ x: [Tensor], _ t: [IR.TensorType], to out: IR.TensorType)
    throws(TensorError) -> (Tensor, Tensor)
  {
    (
      try Kernels.broadcast(x[0], to: out.shape, strides: strides(t[0], in: out)),
      try Kernels.broadcast(x[1], to: out.shape, strides: strides(t[1], in: out))
    )
  }

  /// The runtime's comparison for an IR comparison.
  static func runtimeComparison(_ c: IR.Comparison) -> Comparison {
    switch c {
    case .equal: .equal
    case .notEqual: .notEqual
    case .less: .less
    case .lessEqual: .lessEqual
    case .greater: .greater
    case .greaterEqual: .greaterEqual
    }
  }

  /// The positions of `names` in `t`.
  static func positions(_ names: [String], in t: IR.TensorType) -> [Int] {
    names.map { t.position(of: $0)! }
  }

  /// The runtime's function for an IR unary function.
  static func runtimeFunction(_ f: IR.UnaryFunction) -> UnaryFunction {
    switch f {
    case .negate: .neg
    case .relu: .relu
    case .gelu: .geluErf
    case .geluTanh: .geluTanh
    case .exp: .exp
    case .log: .log
    case .tanh: .tanh
    case .sigmoid: .sigmoid
    case .sqrt: .sqrt
    case .rsqrt: .rsqrt
    case .abs: .abs
    case .sin: .sin
    case .cos: .cos
    case .silu: .silu
    case .erf: .erf
    case .sign: .sign
    }
  }

  /// The runtime's function for an IR binary function.
  static func runtimeFunction(_ f: IR.BinaryFunction) -> BinaryFunction {
    switch f {
    case .add: .add
    case .subtract: .sub
    case .multiply: .mul
    case .divide: .div
    case .power: .pow
    case .maximum: .max
    case .minimum: .min
    }
  }

  /// The runtime's reduction for an IR reduction.
  static func runtimeReduction(_ r: IR.Reduction) -> Reduction {
    switch r {
    case .sum: .sum
    case .mean: .mean
    case .max: .max
    case .min: .min
    }
  }
}
