import CircuitDiagnostics
import CircuitIR
import CircuitPipeline
import CircuitTestSupport
import TensorRuntime
import Testing

/// The pipeline library used directly, without the driver: sources from memory, values out.
@Suite struct PipelineTests {

  /// A two-file program: a relative import, a `sizes { }` block and a parameter.
  static let files = [
    "/p/main.circuit": """
      import "lib.circuit"
      sizes { b = 2, n = 3 }
      circuit main(X: [b n]) -> [b n] {
          return Scale(X)
      }
      """,
    "/p/lib.circuit": """
      circuit Scale(X: [n]) -> [n] {
          param W: [n]
          return X * W
      }
      """,
  ]

  /// Loads `files` from memory and lowers the entry with `given` sizes.
  static func lowered(given: [(String, Int)] = []) throws -> (Compilation, IR.Function) {
    let c = try Compilation.load(
      path: "/p/main.circuit", stdlibPath: [], reader: .inMemory(files, currentDirectory: "/p"))
    #expect(!c.log.hasErrors, "\(DiagnosticRenderer(colored: false).render(c.log))")
    let entry = try #require(c.entry(named: nil))
    #expect(entry.name == "main" && entry.inputNames == ["X"])
    var log = c.log
    let sizes = c.sizes(for: entry, given: given, log: &log)
    let f = try #require(try c.lower(entry, sizes: sizes, log: &log))
    return (c, f)
  }

  @Test func loadsFromMemoryAndLowers() throws {
    let (c, f) = try PipelineTests.lowered(given: [("n", 5)])
    #expect(c.rootCircuitNames == ["main"])
    #expect(Set(c.files) == ["/p/main.circuit", "/p/lib.circuit"])
    #expect(f.inputs.map(\.type.shape) == [[2, 5]])
    #expect(f.parameters.map(\.type.shape) == [[5]])
  }

  @Test func missingImportIsADiagnostic() throws {
    let c = try Compilation.load(
      path: "/p/main.circuit", stdlibPath: [],
      reader: .inMemory(["/p/main.circuit": PipelineTests.files["/p/main.circuit"]!]))
    #expect(c.log.hasErrors)
    #expect(throws: SourceReader.Failure.self) {
      try Compilation.load(path: "/p/none.circuit", stdlibPath: [], reader: .inMemory([:]))
    }
  }

  /// Every problem of a checkpoint at once, and a good one bound by name.
  @Test func bindsParametersOrListsProblems() throws {
    let (_, f) = try PipelineTests.lowered()
    let name = try #require(f.parameters.first?.name)
    let values = try Tensor(shape: [3], floats: [1, 2, 3])
    let wrong = try SafeTensors.read(SafeTensors.write([("other", values)]))
    #expect(throws: ParameterProblems.self) { try ParameterBinding.bind(f, file: wrong) }
    let good = try SafeTensors.read(SafeTensors.write([(name, values)]))
    #expect(try ParameterBinding.bind(f, file: good)[name]?.floats == [1, 2, 3])
  }

  /// A parameter stored as int64 is reported as what the file holds, not as the int32 it
  /// was narrowed to.
  @Test func parameterOfAnotherTypeNamesTheStoredType() throws {
    let (_, f) = try PipelineTests.lowered()
    let name = try #require(f.parameters.first?.name)
    var header = Array("{\"\(name)\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[0,24]}}".utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
    var bytes = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) } + header
    for v in [1, 2, 3] { bytes += (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let file = try SafeTensors.read(bytes)
    #expect(file.storedElementTypes[name] == "int64")
    do {
      _ = try ParameterBinding.bind(f, file: file)
      Issue.record("an int64 parameter was bound")
    } catch {
      #expect(error.problems == ["parameter '\(name)' is int64 in the file, expected f32"])
    }
  }

  /// The one tolerance: 1e-5 of the reference's largest magnitude; NaN only matches NaN.
  @Test func comparesOutputsWithOneTolerance() throws {
    let reference = try Tensor(shape: [3], floats: [100, 0, .nan])
    let close = try Tensor(shape: [3], floats: [100, 0.0005, .nan])
    let far = try Tensor(shape: [3], floats: [100, 0.002, .nan])
    let d = OutputComparison.compare(reference: [reference, reference], native: [close, far])
    #expect(d.map(\.isWithinTolerance) == [true, false])
    #expect(d[0].description.hasPrefix("check output 0: max abs diff 5.0e-4  max rel diff 5.0e-6  ok"))
    let named = OutputComparison.compare(reference: [reference], native: [close], names: ["hidden"])
    #expect(named[0].description.hasPrefix("check output 0 'hidden': max abs diff"))
    #expect(d[1].description.hasSuffix("MISMATCH (tolerance 1.0e-5)"))
    let nan = try Tensor(shape: [3], floats: [100, 0, 1])
    #expect(!nan.isApproximatelyEqual(to: reference))
  }
}
