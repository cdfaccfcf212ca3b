import CircuitExport
import CircuitIR
import CircuitPipeline
import TensorRuntime

extension Session {

  /// Runs `export`: lowers the entry and writes it in the chosen format; returns the exit code.
  func export(_ options: ExportCommand.Options, stdout: inout String) throws(Failure) -> Int32 {
    guard let format = options.format else {
      throw fail("choose a format: --jax or --onnx", CommandLineTool.ExitCode.usage)
    }
    let source = common.files[0]
    switch format {
    case .jax:
      if options.dynamic != nil {
        throw fail("--dynamic is for --onnx: a JAX module takes any size when it is traced", CommandLineTool.ExitCode.usage)
      }
      let f = try lowerEntry()
      if let problem = options.optimization.problem { throw fail(problem, CommandLineTool.ExitCode.usage) }
      if options.mesh.isEmpty != options.shards.isEmpty {
        throw fail("--mesh and --shard go together: a mesh and the axes laid over it", CommandLineTool.ExitCode.usage)
      }
      let o = options.optimization
      if o.schedule == "cosine" && options.totalSteps == nil {
        throw fail("--schedule cosine needs --total-steps: the updates of the whole run", CommandLineTool.ExitCode.usage)
      }
      let settings = JAXExporter.Options(
        source: source, training: TrainingSpec(optimizer: o.value, schedule: o.schedule(totalSteps: options.totalSteps ?? 0), clip: o.clip),
        sharding: options.mesh.isEmpty ? nil : ShardingPlan(mesh: options.mesh, shards: options.shards))
      let text = try exported { () throws(ExportError) in try JAXExporter.export(f, options: settings) }
      guard let path = options.output, path != "-" else {
        stdout += text
        return CommandLineTool.ExitCode.ok
      }
      try writeOutput(Array(text.utf8), to: path)
      stderr += "wrote \(path): \(f.name) with \(f.parameters.count) parameters, \(f.inputs.count) inputs\n"
    case .onnx:
      if !options.mesh.isEmpty || !options.shards.isEmpty {
        throw fail("--mesh and --shard are for --jax", CommandLineTool.ExitCode.usage)
      }
      guard let path = options.output, path != "-" else {
        throw fail("--onnx writes a binary model: give its path with -o", CommandLineTool.ExitCode.usage)
      }
      let f = try lowerEntry()
      let limit = MemoryBudget.make(limit: nil, available: Platform.availableMemory).bytes
      let parameters = try loadParameters(
        f, params: options.params, map: try readParamMap(options.paramMap, for: f), seed: options.seed, limit: limit)
      let (bytes, symbolic) = try onnxModel(f, parameters: parameters, dynamic: options.dynamic, source: source)
      try writeOutput(bytes, to: path)
      let sizes = symbolic.isEmpty ? "all sizes fixed" : "symbolic " + symbolic.sorted().joined(separator: ", ")
      stderr += "wrote \(path): \(f.name), opset \(ONNX.opset), \(f.parameters.count) initializers, \(sizes)\n"
    }
    return CommandLineTool.ExitCode.ok
  }

  /// The ONNX model of `f` and its symbolic axes: those of `dynamic` (nil: `b` when an input
  /// has it, falling back to fixed sizes with a note when an op needs its size; given: those
  /// or an error).
  func onnxModel(_ f: IR.Function, parameters: [String: Tensor], dynamic: [String]?, source: String)
    throws(Failure) -> ([UInt8], Set<String>)
  {
    let inputAxes = ONNXExporter.inputAxisNames(of: f)
    guard let dynamic else {
      guard inputAxes.contains("b") else { return (try onnxModel(f, parameters, [], source), []) }
      do throws(ExportError) {
        return (try ONNXExporter.export(f, parameters: parameters, dynamicAxes: ["b"], source: source), ["b"])
      } catch {
        stderr += "note: the batch axis 'b' stays fixed: \(error.message)\n"
        return (try onnxModel(f, parameters, [], source), [])
      }
    }
    let chosen = Set(dynamic.filter { $0 != "none" })
    for axis in chosen.sorted() where !inputAxes.contains(axis) {
      throw fail("--dynamic \(axis): no input of '\(f.name)' has an axis '\(axis)'", CommandLineTool.ExitCode.usage)
    }
    return (try onnxModel(f, parameters, chosen, source), chosen)
  }

  /// The ONNX model of `f` with `dynamic` symbolic axes, or an `Error:` naming the op.
  func onnxModel(_ f: IR.Function, _ parameters: [String: Tensor], _ dynamic: Set<String>, _ source: String)
    throws(Failure) -> [UInt8]
  {
    try exported { () throws(ExportError) in
      try ONNXExporter.export(f, parameters: parameters, dynamicAxes: dynamic, source: source)
    }
  }

  /// The result of `make`, or an `Error:` line (exit 1) naming the op and its source location.
  func exported<T>(_ make: () throws(ExportError) -> T) throws(Failure) -> T {
    do throws(ExportError) {
      return try make()
    } catch {
      guard let site = error.site else { throw fail(error.message, CommandLineTool.ExitCode.sourceErrors) }
      let (line, column) = site.lineAndColumn
      throw fail("\(site.file.name):\(line):\(column): \(error.message)", CommandLineTool.ExitCode.sourceErrors)
    }
  }
}
