import CircuitAutodiff
import CircuitDiagnostics
import CircuitIR
import CircuitInterpreter
import CircuitLowering
import CircuitSema
import CircuitTestSupport
import Testing
import TensorRuntime

/// A whole model against an independent float64 reference: `Fixtures/mlp_mse.circuit` (an MLP
/// with a mean-squared-error loss written in the language) and the gradients of
/// `scripts/mlp_mse_gradients.py` (hand-written numpy backprop), on both backends.
@Suite struct MLPReferenceTests {

  /// The fixture directory.
  static let fixtures = "Tests/CircuitAutodiffTests/Fixtures/mlp_mse/"

  /// The entry circuit of `relative` lowered at its default sizes, after the standard passes.
  static func lowered(_ relative: String) throws -> IR.Function {
    let file = SourceFile(name: relative, text: try #require(PackagePaths.read(relative)))
    var log = DiagnosticLog()
    let program = Program.load(root: file, reportingTo: &log) { _, _ in .failed("no imports here", notes: []) }
    let checker = Checker(program)
    _ = checker.checkAll()
    let entry = try #require(program.entry(named: nil))
    let sizes = checker.resolveSizes(program.defaultSizes, overrides: [:])
    let elaborated = try #require(checker.elaborate(entry, sizes: sizes).program)
    log.formUnion(checker.diagnostics)
    var function = try #require(Lowering.lower(elaborated, reportingTo: &log))
    #expect(!log.hasErrors)
    PassPipeline.run(PassPipeline.standard, on: &function)
    return function
  }

  /// A fixture array.
  static func array(_ name: String) throws -> Tensor {
    try TensorFiles.readNPY(at: PackagePaths.path(fixtures + name + ".npy")).tensor
  }

  /// `max |x − r| / max |r|`.
  static func relativeError(_ x: Tensor, _ r: Tensor) -> Double {
    let (xs, rs) = (x.floats!, r.floats!)
    let scale = rs.map { abs(Double($0)) }.max()!
    return zip(xs, rs).map { abs(Double($0) - Double($1)) }.max()! / scale
  }

  @Test func gradientsMatchNumpyReference() throws {
    let f = try Self.lowered("Tests/CircuitAutodiffTests/Fixtures/mlp_mse.circuit")
    let program = try Gradient.program(of: f)
    #expect(program.outputs.map(\.description) == ["loss", "d W1", "d b1", "d W2", "d b2"])
    #expect(program.unreachedParameters.isEmpty)
    let inputs = try ["X", "T"].map(Self.array)
    var parameters: [String: Tensor] = [:]
    for p in f.parameters { parameters[p.name] = try Self.array(p.name) }
    let expected = try ["loss", "dW1", "db1", "dW2", "db2"].map(Self.array)

    let interpreted = try Interpreter.run(program.function, inputs: inputs, parameters: parameters)
    let native = try GradientCheck.runNative(program, inputs: inputs, parameters: parameters)
    for (name, results) in [("interpreter", interpreted), ("C", native)] {
      for (k, (x, r)) in zip(results, expected).enumerated() {
        let error = Self.relativeError(x, r)
        #expect(error <= 1e-5, "\(name) \(program.outputs[k]): relative error \(error)")
      }
    }
  }
}
