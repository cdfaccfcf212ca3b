import CircuitAutodiff
import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import CircuitNative
import CircuitTestSupport
import TensorRuntime

/// Checks of gradient programs: against central finite differences through the interpreter,
/// and the C backend against the interpreter.
enum GradientCheck {

  /// The largest violation of `|analytic − numeric| ≤ 1e-2 · max(|analytic|, |numeric|) + 2e-3`
  /// over every element of every parameter, as (ratio to the bound, where); ≤ 1 passes.
  static func finiteDifferences(
    _ f: IR.Function, inputs: [Tensor], parameters: [String: Tensor], gradients: [Tensor],
    step: Float = 1e-3
  ) throws -> (worst: Double, at: String) {
    var worst = (0.0, "")
    for (k, p) in f.parameters.enumerated() {
      let base = parameters[p.name]!.floats!
      let analytic = gradients[k].floats!
      for e in base.indices {
        var shifted = parameters
        var values = base
        values[e] = base[e] + step
        shifted[p.name] = try Tensor(shape: p.type.shape, floats: values)
        let up = try Interpreter.run(f, inputs: inputs, parameters: shifted)[0].floats![0]
        values[e] = base[e] - step
        shifted[p.name] = try Tensor(shape: p.type.shape, floats: values)
        let down = try Interpreter.run(f, inputs: inputs, parameters: shifted)[0].floats![0]
        let numeric = Double(up - down) / Double(2 * step)
        let a = Double(analytic[e])
        let ratio = abs(a - numeric) / (1e-2 * max(abs(a), abs(numeric)) + 2e-3)
        if ratio > worst.0 { worst = (ratio, "\(p.name)[\(e)]: analytic \(a), numeric \(numeric)") }
      }
    }
    return worst
  }

  /// The largest `|c − i| / max|i|` over the outputs (per output, relative to its largest
  /// magnitude), with the output's description.
  static func relativeDifference(_ native: [Tensor], _ reference: [Tensor], names: [String]) -> (Double, String) {
    var worst = (0.0, "")
    for (k, (c, r)) in zip(native, reference).enumerated() {
      let (cs, rs) = (c.floats!, r.floats!)
      let scale = max(rs.map { abs(Double($0)) }.max() ?? 0, 1e-30)
      for (x, y) in zip(cs, rs) {
        let d = abs(Double(x) - Double(y)) / scale
        if d > worst.0 || d.isNaN { worst = (d, names[k]) }
      }
    }
    return worst
  }

  /// Runs `program` on the C backend under `plan` (default: the heuristic's), compiled with
  /// `-O1` into a cache under `.build`.
  static func runNative(
    _ program: GradientProgram, inputs: [Tensor], parameters: [String: Tensor], plan: LoweringPlan? = nil
  ) throws -> [Tensor] {
    let f = program.function
    return try runNative(f, inputs: inputs, parameters: f.parameters.map { parameters[$0.name]! }, plan: plan)
  }

  /// Runs `f` on the C backend under `plan` (default: the heuristic's), its parameters in
  /// order, compiled with `-O1` into a cache under `.build`.
  static func runNative(
    _ f: IR.Function, inputs: [Tensor] = [], parameters: [Tensor], plan: LoweringPlan? = nil
  ) throws -> [Tensor] {
    let c = CEmitter.emit(f, plan: plan)
    let compiler = CCompiler(
      CompilerConfiguration(flags: ["-O1"], cacheDirectory: PackagePaths.path(".build/autodiff-test-cache")))
    let outputs = f.outputs.map { (element: TensorRuntime.ElementType.float32, shape: f.type(of: $0).shape) }
    let model = try NativeModel(c, outputs: outputs, compiler: compiler)
    return try model.run(inputs: inputs, parameters: parameters)
  }
}
