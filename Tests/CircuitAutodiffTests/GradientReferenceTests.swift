import CircuitAutodiff
import CircuitDiagnostics
import CircuitIR
import CircuitInterpreter
import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// One example or stdlib entry with reference gradients from
/// `scripts/make_gradient_fixtures.py` (JAX in float64 on an IR interpreter of its own).
struct GradientReferenceCase: CustomTestStringConvertible, Sendable {

  /// The fixture's name (`Fixtures/gradients/<name>.npz` and `.ir`).
  let name: String

  /// `digits_cnn_train`.
  var testDescription: String { name }

  /// The fixture directory, package-relative.
  static let directory = "Tests/CircuitAutodiffTests/Fixtures/gradients"

  /// Every fixture.
  static var all: [GradientReferenceCase] {
    PackagePaths.files(under: directory, extension: "npz").map {
      GradientReferenceCase(name: String($0.split(separator: "/").last!.dropLast(4)))
    }
  }
}

/// Gradients of every example and stdlib entry (parameters and f32 inputs) of the loss
/// `Σₖ sum(outputₖ · Rₖ)` for fixed random weights `Rₖ`, built here in IR around the lowered
/// entry, against JAX's float64 gradients, on both backends: within 1e-5 of each tensor's
/// largest reference magnitude (of the case's largest for a gradient that is zero up to
/// rounding), or, where JAX's own float32 computation of a gradient is worse than that (an
/// ill-conditioned gradient), within 3 times JAX's float32 error.
@Suite struct GradientReferenceTests {

  /// `f` with the loss `Σₖ contract[all axes](outputₖ, Rₖ)` over its f32 outputs as its only
  /// output, the weights `Rₖ` as new inputs after its own.
  static func probed(_ f: IR.Function) throws -> IR.Function {
    var g = f
    var total: IR.Value?
    for (k, output) in f.outputs.enumerated() where f.type(of: output).element == .float32 {
      let type = f.type(of: output)
      let site = f.instructions[output.index].site
      func append(_ op: IR.Op, _ operands: [IR.Value], _ type: IR.TensorType) -> IR.Value {
        g.instructions.append(IR.Instruction(op: op, operands: operands, type: type, site: site, region: nil))
        return IR.Value(g.instructions.count - 1)
      }
      g.inputs.append((name: "R\(k)", type: type))
      let r = append(.input(index: g.inputs.count - 1, name: "R\(k)"), [], type)
      let scalar = IR.TensorType(.float32, [])
      let term = append(.contract(axes: type.names), [output, r], scalar)
      total = total.map { append(.binary(.add), [$0, term], scalar) } ?? term
    }
    g.outputs = [try #require(total)]
    return g
  }

  /// The IR text without source locations and regions.
  static func stripped(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      String(line.components(separatedBy: "  //")[0]).replacingOccurrences(
        of: "\\s+$", with: "", options: .regularExpression)
    }.joined(separator: "\n")
  }

  /// `max |x − r| / max |r|`; for a reference that is zero up to rounding (at most 1e-9 of
  /// `largest`, the largest reference magnitude of the case: e.g. the bias of attention keys or
  /// of a convolution before a normalisation, which the loss does not depend on),
  /// `max |x| / largest`.
  static func relativeError(_ x: Tensor, _ r: Tensor, largest: Double) -> Double {
    let (xs, rs) = (x.floats!, r.floats!)
    let scale = rs.map { abs(Double($0)) }.max() ?? 0
    if scale <= 1e-9 * largest { return (xs.map { abs(Double($0)) }.max() ?? 0) / largest }
    return zip(xs, rs).map { abs(Double($0) - Double($1)) }.max()! / scale
  }

  @Test(arguments: GradientReferenceCase.all)
  func gradientsMatchJAXFloat64(_ c: GradientReferenceCase) throws {
    let base = PackagePaths.path(GradientReferenceCase.directory + "/" + c.name)
    let ir = try String(contentsOfFile: base + ".ir", encoding: .utf8)
    let header = ir.prefix { $0 != "\n" }.dropFirst(2).split(separator: " ").map(String.init)
    let sizes = try header.dropFirst().map { pair -> (String, Int) in
      let parts = pair.split(separator: "=")
      return (String(parts[0]), try #require(Int(parts[1])))
    }
    let f = try LoweredProgram.lower(header[0], sizes: sizes)
    let expectedText = String(ir.drop { $0 != "\n" }.dropFirst())
    try #require(
      Self.stripped(f.text) == expectedText,
      "the IR of \(header.joined(separator: " ")) changed: rerun scripts/make_gradient_fixtures.py")

    let arrays = Dictionary(
      uniqueKeysWithValues: try TensorFiles.readNamedTensors(at: base + ".npz").tensors.map { ($0.name, $0.tensor) })
    let g = try Self.probed(f)
    let program = try Gradient.program(of: g, withRespectTo: .parametersAndInputs)
    var inputs = try f.inputs.map { try #require(arrays["input/" + $0.name], "no input \($0.name)") }
    for (k, output) in f.outputs.enumerated() where f.type(of: output).element == .float32 {
      inputs.append(try #require(arrays["weight/\(k)"]))
    }
    var parameters: [String: Tensor] = [:]
    for p in f.parameters {
      let values = try #require(arrays["param/" + p.name], "no parameter \(p.name)")
      parameters[p.name] = values
    }

    var expected: [(Int, Tensor, Double)] = []
    /// The reference `key` and its tolerance: 1e-5, or 3 × JAX's own float32 error where larger.
    func reference(_ key: String) throws -> (Tensor, Double) {
      let f32 = arrays["f32error/" + key]?.floats?.first.map(Double.init) ?? 0
      return (try #require(arrays[key], "no \(key)"), max(1e-5, 3 * f32))
    }
    for (k, output) in program.outputs.enumerated() {
      switch output {
      case .loss: expected.append((k, try #require(arrays["loss"]), 1e-5))
      case .parameter(let name):
        let (r, tolerance) = try reference("grad/" + name)
        expected.append((k, r, tolerance))
      case .input(let index, let name) where index < f.inputs.count:
        let (r, tolerance) = try reference("dinput/" + name)
        expected.append((k, r, tolerance))
      case .input: break
      }
    }
    let interpreted = try Interpreter.run(program.function, inputs: inputs, parameters: parameters)
    let native = try GradientCheck.runNative(program, inputs: inputs, parameters: parameters)
    let largest = expected.flatMap { $0.1.floats!.map { abs(Double($0)) } }.max() ?? 1
    for (backend, results) in [("interpreter", interpreted), ("C", native)] {
      var worst = (0.0, 1.0, "")
      for (k, r, tolerance) in expected {
        let error = Self.relativeError(results[k], r, largest: largest)
        #expect(
          error <= tolerance, "\(c.name) \(backend) \(program.outputs[k]): relative error \(error) > \(tolerance)")
        if error / tolerance >= worst.0 / worst.1 { worst = (error, tolerance, program.outputs[k].description) }
      }
      Attachment.record(
        "\(backend): worst \(worst.0) (tolerance \(worst.1)) at \(worst.2)", named: "\(c.name)-\(backend).txt")
    }
  }
}
