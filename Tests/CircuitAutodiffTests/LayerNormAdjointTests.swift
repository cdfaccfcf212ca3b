import CircuitAutodiff
import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import Testing
import TensorRuntime

/// Layer norm's backward as one row op (`layernorm_adjoint`): the C backend's row kernel
/// (`cc_row_norm_adjoint_`, or the unbuffered passes for rows too long for the stack) against
/// the interpreter at 1 and 3 threads, with a gain and a bias around the normalisation as the
/// stdlib's `LayerNorm` has them. (Finite differences check the interpreter's rule in
/// `VJPTests`; the JAX fixtures of `GradientReferenceTests` check BERT's and the encoder's.)
@Suite struct LayerNormAdjointTests {

  /// `layernorm[axes](X) · γ + β` over `X[j=4 i=3 k]` (γ, β over `k`), probed by a random
  /// weight, and its gradient program.
  static func normalised(k: Int, axes: [String]) throws -> (TinyFunction, GradientProgram) {
    var t = TinyFunction()
    let (j, i, kk) = (IR.Axis("j", 4), IR.Axis("i", 3), IR.Axis("k", k))
    let x = t.parameter("X", [j, i, kk])
    let n = t.emit(.layerNorm(axes: axes, epsilon: 1e-5), [x])
    let scaled = t.emit(.binary(.multiply), [n, t.parameter("gamma", [kk], .positive)])
    let y = t.emit(.binary(.add), [scaled, t.parameter("beta", [kk])])
    let f = t.function(probing: y)
    return (t, try Gradient.program(of: f))
  }

  /// Row widths 37 (an odd tail after the 8-lane body) and 4099 (past the stack buffer:
  /// the unbuffered passes), rows over `k` and over `i k` (a strided row): the gradients of
  /// X, γ and β from the C backend match the interpreter's at 1 and 3 threads.
  @Test(arguments: [(37, ["k"]), (37, ["i", "k"]), (4099, ["k"])])
  func matchesInterpreter(_ k: Int, _ axes: [String]) throws {
    let (t, program) = try LayerNormAdjointTests.normalised(k: k, axes: axes)
    let f = program.function
    #expect(f.instructions.contains { if case .layerNormAdjoint = $0.op { true } else { false } })
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    var three = LoweringPlan.heuristic(for: f, threads: 3)
    for s in three.steps.indices { three.steps[s].threads = 3 }
    for (label, plan) in [("1 thread", LoweringPlan.heuristic(for: f, threads: 1)), ("3 threads", three)] {
      let source = CEmitter.emit(f, plan: plan).source
      #expect(source.contains("cc_row_norm_adjoint_(row_, grad_") == (k * (axes.count == 2 ? 3 : 1) <= 4096), "\(label)")
      let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues, plan: plan)
      let (difference, output) = GradientCheck.relativeDifference(native, reference, names: program.outputs.map(\.description))
      #expect(difference <= 1e-5, "\(label): C differs from the interpreter by \(difference) in \(output)")
    }
  }

  /// The interpreter's adjoint of one row by hand: x = (1, 2, 4), dn = (1, 0, 0), eps 0:
  /// mean 7/3, σ² = 14/9, n = (x − 7/3)/σ, dx = (dn − 1/3 − n · n₀/3)/σ.
  @Test func oneRowByHand() throws {
    let x = try Tensor(shape: [1, 3], floats: [1, 2, 4])
    let dn = try Tensor(shape: [1, 3], floats: [1, 0, 0])
    let dx = try #require(try Kernels.layerNormAdjoint(x, adjoint: dn, axes: [1], epsilon: 0).floats)
    let sigma = (14.0 / 9).squareRoot()
    let n = [1.0, 2, 4].map { ($0 - 7.0 / 3) / sigma }
    let expected = (0..<3).map { (($0 == 0 ? 1 : 0) - 1.0 / 3 - n[$0] * n[0] / 3) / sigma }
    for (a, b) in zip(dx, expected) { #expect(abs(Double(a) - b) < 1e-6, "\(dx) vs \(expected)") }
  }

  /// A gradient program holding the adjoint is not differentiated again: a typed error, no trap.
  @Test func secondOrderIsRefused() throws {
    let (_, program) = try LayerNormAdjointTests.normalised(k: 5, axes: ["k"])
    var f = program.function
    f.outputs = [f.outputs[0]]
    #expect(throws: GradientError.self) { try Gradient.program(of: f) }
  }
}
