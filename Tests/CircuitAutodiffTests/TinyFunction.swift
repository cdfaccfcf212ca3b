import CircuitDiagnostics
import CircuitIR
import TensorRuntime

/// A deterministic source of test values (a 64-bit LCG; the same numbers on every run).
struct TestRandom {

  /// The state.
  var state: UInt64

  /// A uniform value in `[0, 1)`.
  mutating func next() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53)
  }

  /// A uniform value in `range`.
  mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * next()
  }

  /// A random permutation of `0..<n`.
  mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int(next() * Double(i + 1))) }
    return p
  }
}

/// How a parameter's values are drawn, so that finite differences never cross a kink or a tie.
enum Draw {
  /// Uniform in [−1, 1].
  case normal
  /// Uniform in [0.5, 1.5] (log, sqrt, rsqrt, pow bases).
  case positive
  /// ±[0.2, 1]: at least 0.2 away from relu's and abs's kink at 0.
  case awayFromZero
  /// Distinct values 0.2 apart, shuffled, shifted by `offset` (max, min: no ties; with offsets
  /// 0 and 0.1, two such tensors never tie either).
  case distinct(offset: Double)
}

/// A tiny `IR.Function` built by hand: parameters (the variables), inputs (fixed tensors) and
/// instructions typed by the IR's own rules.
struct TinyFunction {

  /// The source location of every instruction.
  static let site = SourceRange.point(SourceFile(name: "vjp.circuit", text: "vjp"), 0)

  /// The inputs and their values.
  var inputs: [(name: String, type: IR.TensorType)] = []
  var inputValues: [Tensor] = []

  /// The parameters and their values.
  var parameters: [IR.Parameter] = []
  var parameterValues: [String: Tensor] = [:]

  /// The instructions so far.
  var instructions: [IR.Instruction] = []

  /// The value source.
  var random = TestRandom(state: 20_240_613)

  /// A learned f32 parameter with `axes`, its values drawn as `draw` says.
  mutating func parameter(_ name: String, _ axes: [IR.Axis], _ draw: Draw = .normal) -> IR.Value {
    let type = IR.TensorType(.float32, axes)
    let n = type.count
    var values: [Float]
    switch draw {
    case .normal: values = (0..<n).map { _ in Float(random.uniform(-1...1)) }
    case .positive: values = (0..<n).map { _ in Float(random.uniform(0.5...1.5)) }
    case .awayFromZero:
      values = (0..<n).map { _ in Float(random.uniform(0.2...1) * (random.next() < 0.5 ? -1 : 1)) }
    case .distinct(let offset):
      values = random.permutation(n).map { Float(0.2 * Double($0 - n / 2) + offset) }
    }
    parameters.append(IR.Parameter(name: name, type: type, initializer: nil, site: Self.site))
    parameterValues[name] = try! Tensor(shape: type.shape, floats: values)
    return leaf(.parameter(name: name, initializer: nil), type)
  }

  /// An input of `type` with the value `tensor`.
  mutating func input(_ name: String, _ type: IR.TensorType, _ tensor: Tensor) -> IR.Value {
    inputs.append((name, type))
    inputValues.append(tensor)
    return leaf(.input(index: inputs.count - 1, name: name), type)
  }

  /// A fixed f32 input with uniform values in [−1, 1].
  mutating func randomInput(_ name: String, _ axes: [IR.Axis]) -> IR.Value {
    let type = IR.TensorType(.float32, axes)
    let values = (0..<type.count).map { _ in Float(random.uniform(-1...1)) }
    return input(name, type, try! Tensor(shape: type.shape, floats: values))
  }

  /// A scalar constant.
  mutating func constant(_ c: Double) -> IR.Value { leaf(.constant(c), IR.TensorType(.float32, [])) }

  /// A leaf instruction of the given type.
  mutating func leaf(_ op: IR.Op, _ type: IR.TensorType) -> IR.Value {
    instructions.append(IR.Instruction(op: op, operands: [], type: type, site: Self.site, region: nil))
    return IR.Value(instructions.count - 1)
  }

  /// `op` applied to `operands`, typed by the IR's rule.
  mutating func emit(_ op: IR.Op, _ operands: [IR.Value]) -> IR.Value {
    let type = try! IR.resultType(of: op, operands: operands.map { instructions[$0.index].type })
    instructions.append(IR.Instruction(op: op, operands: operands, type: type, site: Self.site, region: nil))
    return IR.Value(instructions.count - 1)
  }

  /// The function whose loss is `sum over every axis of (y · R)` for a fixed random R with y's
  /// axes: every element of y reaches the loss with its own weight.
  mutating func function(probing y: IR.Value) -> IR.Function {
    let t = instructions[y.index].type
    let weights = randomInput("R", t.axes)
    let loss = emit(.contract(axes: t.names), [y, weights])
    return function(loss: loss)
  }

  /// The function with output `loss`.
  func function(loss: IR.Value) -> IR.Function {
    IR.Function(
      name: "vjp", inputs: inputs, parameters: parameters, instructions: instructions, outputs: [loss],
      regions: [])
  }
}
