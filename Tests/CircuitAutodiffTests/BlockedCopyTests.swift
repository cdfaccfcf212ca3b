import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import Testing
import TensorRuntime

/// The C backend's cache-blocked transposing copies (`CEmitter+BlockedCopy`), as gradient
/// programs make them (a rename of `[b t (h k)]` into `[h k b t]`): blocks of 16 along the
/// store's contiguous axis, a partial last block, 1 and 3 threads, equal to the interpreter.
@Suite struct BlockedCopyTests {

  /// `transpose[k](X + β)` of `X[b=3 t=40 k=32]` (40: two whole blocks and a partial one):
  /// the store runs along `t`, `X` along `k`. Also a copy too short to block (`t=20`).
  @Test(arguments: [(40, true), (20, false)])
  func transposingCopyMatchesInterpreter(_ length: Int, _ blocked: Bool) throws {
    var t = TinyFunction()
    let x = t.randomInput("X", [IR.Axis("b", 3), IR.Axis("t", length), IR.Axis("k", 32)])
    let shifted = t.emit(.binary(.add), [x, t.parameter("beta", [IR.Axis("k", 32)])])
    let y = t.emit(.transpose(order: ["k"]), [shifted])
    let f = t.function(loss: y)
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    var three = LoweringPlan.heuristic(for: f, threads: 3)
    for s in three.steps.indices { three.steps[s].threads = 3 }
    for (label, plan) in [("1 thread", LoweringPlan.heuristic(for: f, threads: 1)), ("3 threads", three)] {
      #expect(CEmitter.emit(f, plan: plan).source.contains("b_ += 16)") == blocked, "\(label)")
      let native = try GradientCheck.runNative(
        f, inputs: t.inputValues, parameters: f.parameters.map { t.parameterValues[$0.name]! }, plan: plan)
      #expect(native.map(\.floats) == reference.map(\.floats), "\(label)")
    }
  }
}
