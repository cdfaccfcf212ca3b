import CircuitAutodiff
import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import Testing

/// What the default plan stores of a gradient program, and in which order: a bias add read by
/// elementwise steps alone is recomputed by each, and attention's heads split off a projection
/// keep the projection's layout. C against the interpreter at 1 and 3 threads, at odd sizes.
@Suite struct GradientPlanTests {

  /// The second layer's bias add `z + b2`, read by GELU and by GELU's derivative in the
  /// backward, gets no buffer: each reader recomputes it from `z` and `b2` (the first layer's,
  /// read by ReLU alone, is finished in place as before), and C matches the interpreter at 1
  /// and 3 threads.
  @Test func biasAddReadByElementwiseStepsIsRecomputed() throws {
    let (t, program) = try GEMMEpilogueTests.twoLayers()
    let f = program.function
    let b2 = try #require(f.instructions.firstIndex { if case .parameter("b2", _) = $0.op { true } else { false } })
    let add = try #require(f.instructions.firstIndex { $0.op == .binary(.add) && $0.operands.contains { $0.index == b2 } })
    #expect(f.instructions.filter { $0.operands.contains { $0.index == add } }.count >= 2)
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    for (label, plan) in GEMMEpilogueTests.threadPlans(f) {
      #expect(!plan.steps[add].materialized, "\(label)")
      let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues, plan: plan)
      let (difference, output) = GradientCheck.relativeDifference(native, reference, names: program.outputs.map(\.description))
      #expect(difference <= 1e-5, "\(label): C differs from the interpreter by \(difference) in \(output)")
    }
  }

  /// Heads split off a projection, `split[o -> h k](transpose[o](X · W + c))`, read by the
  /// forward contraction with `V` and by the backward's `dV`, are stored in the projection's
  /// order `[b t h k]` (the bias added in a unit-stride pass), not in the split's IR order
  /// `[h k b t]`, and C matches the interpreter at 1 and 3 threads.
  @Test func splitHeadsKeepTheProjectionLayout() throws {
    var t = TinyFunction()
    let (b, tt, i, o) = (IR.Axis("b", 3), IR.Axis("t", 7), IR.Axis("i", 11), IR.Axis("o", 10))
    let (h, k, s) = (IR.Axis("h", 2), IR.Axis("k", 5), IR.Axis("s", 9))
    let p = t.emit(.contract(axes: ["i"]), [t.randomInput("X", [b, tt, i]), t.parameter("W", [o, i])])  // [b t o]
    let biased = t.emit(.binary(.add), [p, t.parameter("c", [o])])
    let heads = t.emit(.split(axis: "o", into: [h, k]), [t.emit(.transpose(order: ["o"]), [biased])])  // [h k b t]
    let y = t.emit(.contract(axes: ["k"]), [heads, t.parameter("V", [h, k, s])])  // [h b t s]
    let program = try Gradient.program(of: t.function(probing: y))
    let f = program.function
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    for (label, plan) in GEMMEpilogueTests.threadPlans(f) {
      let step = plan.steps[heads.index]
      #expect(step.materialized && step.loopOrder == ["b", "t", "h", "k"], "\(label): \(step)")
      let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues, plan: plan)
      let (difference, output) = GradientCheck.relativeDifference(native, reference, names: program.outputs.map(\.description))
      #expect(difference <= 1e-5, "\(label): C differs from the interpreter by \(difference) in \(output)")
    }
  }
}
