import CircuitAutodiff
import CircuitIR
import CircuitInterpreter
import Testing

/// Every op's vector-Jacobian product: the interpreter's gradients against central finite
/// differences in float32, then the C backend's against the interpreter's.
@Suite struct VJPTests {

  @Test(arguments: VJPCase.all)
  func matchesFiniteDifferences(_ c: VJPCase) throws {
    var t = TinyFunction()
    let y = c.build(&t)
    let f = t.function(probing: y)
    #expect(f.verify().isEmpty, "\(f.verify())")
    let program = try Gradient.program(of: f)
    let results = try Interpreter.run(program.function, inputs: t.inputValues, parameters: t.parameterValues)
    let check = try GradientCheck.finiteDifferences(
      f, inputs: t.inputValues, parameters: t.parameterValues, gradients: Array(results.dropFirst()))
    #expect(check.worst <= 1, "\(check.at)\n\(program.function.text)")

    let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues)
    let (difference, output) = GradientCheck.relativeDifference(
      native, results, names: program.outputs.map(\.description))
    #expect(difference <= 1e-5, "C differs from the interpreter by \(difference) in \(output)")
  }
}
