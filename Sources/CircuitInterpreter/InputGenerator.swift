import CircuitIR
import TensorRuntime

/// Seeded inputs for running a circuit without data.
///
/// - f32 inputs: standard normal values.
/// - i32 inputs: uniform integers in `0..<V`, where `V` is the size of the table axis of the
///   first `gather` that looks them up (`0..<2` when none does).
/// - bool inputs: true or false with equal probability.
///
/// Input `i` draws from `RandomSource(seed: seed &+ 1000 &+ i)`, so giving one input from a
/// file does not change the values generated for the others.
public enum InputGenerator {

  /// A tensor for input number `index` of `function`.
  ///
  /// - Throws: `TensorError.invalidShape` or `.outOfMemory` (naming the input) when the
  ///   tensor cannot be allocated; never traps.
  public static func generate(
    _ function: IR.Function, input index: Int, seed: UInt64
  ) throws(TensorError) -> Tensor {
    var random = RandomSource(seed: seed &+ 1000 &+ UInt64(index))
    let (name, type) = function.inputs[index]
    let shape = type.shape
    let count = try ShapeMath.elementCount(shape)
    let element = type.element
    try Allocation.reserve(count: count, of: element, for: "input '\(name)' \(type)")
    switch type.element {
    case .float32:
      return try Tensor(shape: shape, floats: (0..<count).map { _ in random.normal() })
    case .int32:
      let bound = lookupBound(function, input: index) ?? 2
      return try Tensor(
        shape: shape, int32s: (0..<count).map { _ in Int32(random.next() % UInt64(bound)) })
    case .bool:
      return try Tensor(shape: shape, bools: (0..<count).map { _ in random.next() & 1 == 1 })
    }
  }

  /// The table size of the first gather whose indices are input `index`.
  static func lookupBound(_ f: IR.Function, input index: Int) -> Int? {
    guard let v = f.instructions.firstIndex(where: { if case .input(index, _) = $0.op { true } else { false } })
    else { return nil }
    for ins in f.instructions {
      if case .gather(let axis) = ins.op, ins.operands.count == 2, ins.operands[1].index == v {
        return f.type(of: ins.operands[0]).axis(axis)?.size
      }
    }
    return nil
  }
}
