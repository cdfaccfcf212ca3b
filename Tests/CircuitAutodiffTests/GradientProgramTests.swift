import CircuitAutodiff
import CircuitIR
import CircuitInterpreter
import Testing
import TensorRuntime

/// The API's contract: errors, output order, unreached parameters, input gradients, and the
/// documented choices at kinks and ties (on both backends).
@Suite struct GradientProgramTests {

  /// The interpreter's and the C backend's results of the gradient program of `f`.
  static func run(_ f: IR.Function, _ t: TinyFunction, _ variables: Gradient.Variables = .parameters)
    throws -> (GradientProgram, [[Float]], [[Float]])
  {
    let program = try Gradient.program(of: f, withRespectTo: variables)
    let i = try Interpreter.run(program.function, inputs: t.inputValues, parameters: t.parameterValues)
    let c = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues)
    return (program, i.map { $0.floats! }, c.map { $0.floats! })
  }

  @Test func aLossThatIsNotAScalarIsRefused() throws {
    var t = TinyFunction()
    let x = t.parameter("x", [IR.Axis("i", 3)])
    #expect(throws: GradientError.self) { try Gradient.program(of: t.function(loss: x)) }
    do {
      _ = try Gradient.program(of: t.function(loss: x))
    } catch {
      #expect(error.description.contains("must be an f32 scalar []"))
    }
  }

  @Test func unreachedParametersGetZeroAndAreListed() throws {
    var t = TinyFunction()
    let x = t.parameter("x", [IR.Axis("i", 3)])
    _ = t.parameter("unused", [IR.Axis("j", 2), IR.Axis("k", 5)])
    let loss = t.emit(.reduce(.sum, axes: ["i"]), [x])
    let f = t.function(loss: loss)
    let (program, i, c) = try Self.run(f, t)
    #expect(program.outputs == [.loss, .parameter(name: "x"), .parameter(name: "unused")])
    #expect(program.unreachedParameters == ["unused"])
    #expect(program.function.type(of: program.function.outputs[2]) == IR.TensorType(.float32, [IR.Axis("j", 2), IR.Axis("k", 5)]))
    #expect(i[2] == [Float](repeating: 0, count: 10) && c[2] == i[2])
    #expect(i[1] == [1, 1, 1])
  }

  @Test func inputGradientsOnRequest() throws {
    var t = TinyFunction()
    let w = t.parameter("w", [IR.Axis("i", 3)])
    let x = t.randomInput("X", [IR.Axis("i", 3)])
    let loss = t.emit(.contract(axes: ["i"]), [x, w])
    let f = t.function(loss: loss)
    let (program, i, c) = try Self.run(f, t, .parametersAndInputs)
    #expect(program.outputs == [.loss, .parameter(name: "w"), .input(index: 0, name: "X")])
    #expect(i[1] == t.inputValues[0].floats! && i[2] == t.parameterValues["w"]!.floats!)
    #expect(c == i)
  }

  @Test func kinksAndTiesFollowTheDocumentedRules() throws {
    var t = TinyFunction()
    let (r, k) = (IR.Axis("r", 2), IR.Axis("k", 4))
    let x = t.parameter("x", [r, k])
    t.parameterValues["x"] = try Tensor(shape: [2, 4], floats: [1, 3, 3, 0, -2, -2, -5, -2])
    // max over k: ties at positions 1, 2 (row 0) and 0, 1, 3 (row 1) → the first maximum.
    let m = t.emit(.reduce(.max, axes: ["k"]), [x])
    // relu and abs at 0 (x[0,3] = 0) → 0; max(x, 3) ties at x = 3 → half each.
    let relu = t.emit(.unary(.relu), [x])
    let abs = t.emit(.unary(.abs), [x])
    let clipped = t.emit(.binary(.maximum), [x, t.constant(3)])
    var total = t.emit(.reduce(.sum, axes: ["r"]), [m])
    for v in [relu, abs, clipped] {
      total = t.emit(.binary(.add), [total, t.emit(.reduce(.sum, axes: ["r", "k"]), [v])])
    }
    let f = t.function(loss: total)
    let (_, i, c) = try Self.run(f, t)
    // d max + d relu + d abs + d max(x, 3), per element.
    let expected: [Float] = [
      0 + 1 + 1 + 0, 1 + 1 + 1 + 0.5, 0 + 1 + 1 + 0.5, 0 + 0 + 0 + 0,
      1 + 0 - 1 + 0, 0 + 0 - 1 + 0, 0 + 0 - 1 + 0, 0 + 0 - 1 + 0,
    ]
    #expect(i[1] == expected)
    #expect(c[1] == expected)
  }

  @Test func sharedValuesAccumulateAndDeadCodeIsRemoved() throws {
    var t = TinyFunction()
    let x = t.parameter("x", [IR.Axis("i", 3)])
    let square = t.emit(.binary(.multiply), [x, x])
    _ = t.emit(.unary(.exp), [x])  // dead in the forward function
    let loss = t.emit(.reduce(.sum, axes: ["i"]), [square])
    let f = t.function(loss: loss)
    let (program, i, _) = try Self.run(f, t)
    #expect(i[1] == t.parameterValues["x"]!.floats!.map { 2 * $0 })
    #expect(!program.function.instructions.contains { $0.op == .unary(.exp) })
  }
}
