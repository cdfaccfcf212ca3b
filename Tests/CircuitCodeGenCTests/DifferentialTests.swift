import CircuitCodeGenC
import CircuitDriver
import CircuitInterpreter
import CircuitNative
import CircuitPipeline
import CircuitTestSupport
import TensorRuntime
import Testing

/// A program file run on both backends at one set of sizes.
struct DifferentialCase: CustomTestStringConvertible, Sendable {

  /// The package-relative path.
  let path: String

  /// `--size` overrides (empty: the file's own sizes).
  let sizes: [String]

  /// `examples/mlp.circuit b=5 f=37`.
  var testDescription: String { ([path] + sizes).joined(separator: " ") }

  /// Sizes that are not multiples of the vector width (8), per file.
  static let oddSizes: [String: [String]] = [
    "examples/attention.circuit": ["b=3", "y=13", "x=11", "k=13"],
    "examples/bert.circuit": ["b=3", "t=13", "m=36", "f=37"],
    "examples/convolutions.circuit": ["b=3", "c=20", "d=12", "e=5"],
    "examples/mlp.circuit": ["b=5", "f=37", "g=29"],
    "examples/multihead_attention.circuit": ["y=13", "x=11", "m=36", "k=9", "h=3"],
    "examples/resnet.circuit": ["b=3", "n1=12", "n2=20", "n3=28", "n4=36"],
    "examples/small_cnn.circuit": ["b=3", "c1=13", "c2=21"],
    "examples/transformer.circuit": ["b=3", "x=7", "y=11", "m=36", "k=9", "f=37"],
    "examples/transformer_encoder_layer.circuit": ["b=3", "t=13", "m=36", "k=9", "f=37"],
    "examples/unet.circuit": ["r=3", "w0=5"],
    "examples/visual_attention.circuit": ["c=13", "k=5", "kk=3", "s=3", "h=4"],
    "stdlib/attention.circuit": ["y=7", "x=9", "k=5", "m=13"],
    "stdlib/nn.circuit": ["h=9", "w=9", "b=3"],
    "stdlib/transformer.circuit": ["x=7", "y=9", "m=20", "k=5", "f=37"],
  ]

  /// Every file of `examples/` and `stdlib/` at its default sizes and at odd sizes, and the
  /// backend's own test programs (`Tests/CircuitCodeGenCTests/Programs`, odd sizes already).
  static var all: [DifferentialCase] {
    let files = PackagePaths.files(under: "examples", extension: "circuit")
      + PackagePaths.files(under: "stdlib", extension: "circuit")
    let programs = PackagePaths.files(under: "Tests/CircuitCodeGenCTests/Programs", extension: "circuit")
    return files.flatMap { [DifferentialCase(path: $0, sizes: []), DifferentialCase(path: $0, sizes: oddSizes[$0] ?? [])] }
      + programs.map { DifferentialCase(path: $0, sizes: []) }
  }
}

/// The C backend computes what the interpreter computes on every example and stdlib file,
/// compared as values through the library API (`LoweredProgram`, `Interpreter`, `NativeModel`,
/// `OutputComparison`): within `Tensor.relativeTolerance` (1e-5) of each output's largest
/// magnitude, the tolerance `run --check` itself enforces.
@Suite struct DifferentialTests {

  @Test(arguments: DifferentialCase.all)
  func nativeMatchesInterpreter(_ c: DifferentialCase) throws {
    #expect(c.sizes.isEmpty || DifferentialCase.oddSizes[c.path] != nil, "no odd sizes listed")
    let sizes = try c.sizes.map { pair -> (String, Int) in
      let parts = pair.split(separator: "=")
      return (String(parts[0]), try #require(Int(parts[1])))
    }
    let r = try ReferenceRun.of(c.path, sizes: sizes)
    let f = r.function
    let model = try NativeModel(
      CEmitter.emit(f), outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
    let native = try model.run(inputs: r.inputs, parameters: r.orderedParameters)
    let differences = OutputComparison.compare(reference: r.outputs, native: native)
    #expect(differences.count == f.outputs.count)
    for d in differences { #expect(d.isWithinTolerance, "\(d)") }
  }
}
