import CircuitAutodiff
import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import Foundation
import Testing
import TensorRuntime

/// Softmax's and log-softmax's backward as one row op (`softmax_adjoint`,
/// `logsoftmax_adjoint`): the C backend's row kernel (`cc_row_softmax_adjoint_`, or the
/// unbuffered passes for rows too long for the stack) against the interpreter at 1 and 3
/// threads, with a scaled input as attention has it. (Finite differences check the
/// interpreter's rule in `VJPTests`; the JAX fixtures of `GradientReferenceTests` check
/// attention's and BERT's.)
@Suite struct SoftmaxAdjointTests {

  /// `(log)softmax[axes](X · s)` over `X[j=4 i=3 k]` (s over `k`, so the adjoint's consumer is
  /// a fused product), probed by a random weight, and its gradient program.
  static func normalised(k: Int, axes: [String], log: Bool) throws -> (TinyFunction, GradientProgram) {
    var t = TinyFunction()
    let (j, i, kk) = (IR.Axis("j", 4), IR.Axis("i", 3), IR.Axis("k", k))
    let x = t.parameter("X", [j, i, kk])
    let scaled = t.emit(.binary(.multiply), [x, t.parameter("s", [kk], .positive)])
    let y = t.emit(.softmax(axes: axes, log: log), [scaled])
    let f = t.function(probing: y)
    return (t, try Gradient.program(of: f))
  }

  /// Row widths 37 (an odd tail after the 8-lane body) and 4099 (past the stack buffer: the
  /// unbuffered passes), rows over `k` and over `i k` (a strided row), softmax and log-softmax:
  /// the gradients of X and s from the C backend match the interpreter's at 1 and 3 threads.
  @Test(arguments: [(37, ["k"], false), (37, ["i", "k"], false), (4099, ["k"], false),
                    (37, ["k"], true), (37, ["i", "k"], true), (4099, ["k"], true)])
  func matchesInterpreter(_ k: Int, _ axes: [String], _ log: Bool) throws {
    let (t, program) = try SoftmaxAdjointTests.normalised(k: k, axes: axes, log: log)
    let f = program.function
    #expect(f.instructions.contains { if case .softmaxAdjoint(_, log) = $0.op { true } else { false } })
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    var three = LoweringPlan.heuristic(for: f, threads: 3)
    for s in three.steps.indices { three.steps[s].threads = 3 }
    for (label, plan) in [("1 thread", LoweringPlan.heuristic(for: f, threads: 1)), ("3 threads", three)] {
      let source = CEmitter.emit(f, plan: plan).source
      let buffered = k * (axes.count == 2 ? 3 : 1) <= 4096
      #expect(source.contains("cc_row_softmax_adjoint_(row_, grad_") == buffered, "\(label)")
      let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues, plan: plan)
      let (difference, output) = GradientCheck.relativeDifference(native, reference, names: program.outputs.map(\.description))
      #expect(difference <= 1e-5, "\(label): C differs from the interpreter by \(difference) in \(output)")
    }
  }

  /// The interpreter's adjoints of one row by hand: y = (0.2, 0.3, 0.5), dy = (1, 2, 0):
  /// Σ y·dy = 0.8, so dx = y · (dy − 0.8); for log-softmax with y = log(0.2, 0.3, 0.5),
  /// Σ dy = 3, so dx = dy − exp(y) · 3.
  @Test func oneRowByHand() throws {
    let probabilities = [0.2, 0.3, 0.5]
    let dy = try Tensor(shape: [1, 3], floats: [1, 2, 0])
    let y = try Tensor(shape: [1, 3], floats: probabilities.map { Float($0) })
    let dx = try #require(try Kernels.softmaxAdjoint(y, adjoint: dy, axes: [1], log: false).floats)
    let expected = zip(probabilities, [1.0, 2, 0]).map { $0 * ($1 - 0.8) }
    for (a, b) in zip(dx, expected) { #expect(abs(Double(a) - b) < 1e-6, "\(dx) vs \(expected)") }
    let logY = try Tensor(shape: [1, 3], floats: probabilities.map { Float(Foundation.log($0)) })
    let logDx = try #require(try Kernels.softmaxAdjoint(logY, adjoint: dy, axes: [1], log: true).floats)
    let logExpected = zip(probabilities, [1.0, 2, 0]).map { $1 - $0 * 3 }
    for (a, b) in zip(logDx, logExpected) { #expect(abs(Double(a) - b) < 1e-6, "\(logDx) vs \(logExpected)") }
  }

  /// Mismatched operand shapes are a typed error of the kernel, not a trap.
  @Test func mismatchedShapesAreRefused() throws {
    let y = try Tensor(shape: [2, 3], floats: [Float](repeating: 0.1, count: 6))
    let dy = try Tensor(shape: [3, 2], floats: [Float](repeating: 1, count: 6))
    #expect(throws: TensorError.self) { try Kernels.softmaxAdjoint(y, adjoint: dy, axes: [1], log: false) }
  }

  /// Attention's `softmax(X · 32^−½)`: the constant scale's product moves into the adjoint's
  /// read of `dy` (one softmax adjoint, no product after it), and the gradient still matches
  /// finite differences and, on the C backend, the interpreter.
  @Test func constantScaleFusesIntoTheAdjoint() throws {
    var t = TinyFunction()
    let x = t.parameter("X", [IR.Axis("i", 3), IR.Axis("k", 7)])
    let scale = t.emit(.binary(.power), [t.constant(32), t.emit(.unary(.negate), [t.constant(0.5)])])
    let y = t.emit(.softmax(axes: ["k"], log: false), [t.emit(.binary(.multiply), [x, scale])])
    let f = t.function(probing: y)
    let program = try Gradient.program(of: f)
    let g = program.function
    let adjoints = g.instructions.indices.filter { if case .softmaxAdjoint = g.instructions[$0].op { true } else { false } }
    #expect(adjoints.count == 1, "\(g.text)")
    let scaledAfter = g.instructions.contains { ins in
      if case .binary(.multiply) = ins.op { return ins.operands.contains { adjoints.contains($0.index) } }
      return false
    }
    #expect(!scaledAfter, "\(g.text)")
    let results = try Interpreter.run(g, inputs: t.inputValues, parameters: t.parameterValues)
    let check = try GradientCheck.finiteDifferences(
      f, inputs: t.inputValues, parameters: t.parameterValues, gradients: Array(results.dropFirst()))
    #expect(check.worst <= 1, "\(check.at)")
    let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues)
    let (difference, output) = GradientCheck.relativeDifference(native, results, names: program.outputs.map(\.description))
    #expect(difference <= 1e-5, "C differs from the interpreter by \(difference) in \(output)")
  }

  /// A gradient program holding the adjoint is not differentiated again: a typed error, no trap.
  @Test func secondOrderIsRefused() throws {
    let (_, program) = try SoftmaxAdjointTests.normalised(k: 5, axes: ["k"], log: false)
    var f = program.function
    f.outputs = [f.outputs[0]]
    #expect(throws: GradientError.self) { try Gradient.program(of: f) }
  }
}
