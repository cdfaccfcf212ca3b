import CircuitCodeGenC
import CircuitDiagnostics
import CircuitIR
import CircuitInterpreter
import CircuitPipeline
import TensorRuntime

extension Session {

  /// Runs the `run` subcommand's pipeline; returns the exit code.
  func runPipeline(_ options: RunCommand.Options, stdout: inout String) -> Int32 {
    do throws(Failure) {
      let budget = MemoryBudget.make(limit: options.memoryLimit, available: Platform.availableMemory)
      let data = try prepare(
        options.inputs, params: options.params, paramMap: options.paramMap, seed: options.seed, budget: budget,
        copies: options.backend == .c || options.check ? 2 : 1)
      let (c, entry, function) = (data.compilation, data.entry, data.function)
      let (inputs, parameters, map) = (data.inputs, data.parameters, data.map)
      if let path = options.saveParams { try saveParameters(parameters, of: function, to: path) }
      if let path = options.saveCheckpoint {
        try saveParameters(parameters, of: function, to: path, map: map, storedShapes: data.storedShapes)
      }
      if let dir = options.out { try requireOutputDirectory(dir, for: function) }
      let (outputs, reference) = try runOnBackends(
        function, inputs: inputs, parameters: parameters, backend: options.backend, check: options.check,
        plan: options.plan, memory: (entry, budget),
        sized: RuntimeSizesRequest(
          compilation: c, entry: entry, inputShapes: data.inputShapes, mode: options.runtimeSizes,
          verbose: options.verbose))
      for (i, (t, v)) in zip(outputs, function.outputs).enumerated() {
        let name = function.outputName(i).map { " '\($0)'" } ?? ""
        stdout += "output \(i)\(name): \(function.type(of: v))\n  \(OutputSummary.describe(t))\n"
      }
      if let dir = options.out { try writeOutputs(outputs, of: function, to: dir) }
      if let dir = options.dump {
        let n = try dumpNamedValues(
          c, entry, inputs: inputs, parameters: parameters, inputShapes: data.inputShapes, to: dir)
        stdout += "dumped \(n) named values to \(dir)\n"
      }
      return reference.map { compare(native: outputs, reference: $0, names: function.outputNames, stdout: &stdout) }
        ?? CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }

  /// A lowered entry with its data, ready to run.
  struct Prepared {

    /// The checked program.
    let compilation: Compilation

    /// The entry circuit.
    let entry: Entry

    /// The entry lowered (with passes) for the inputs' shapes, after `prepare`'s transform.
    let function: IR.Function

    /// The shapes of the inputs read from files, by position.
    let inputShapes: [Int: [Int]]

    /// Every input: read or generated.
    let inputs: [Tensor]

    /// The `--param-map` (empty without one).
    let map: CheckpointMap

    /// Every parameter: loaded or initialised.
    let parameters: [String: Tensor]

    /// The shape of each tensor of the checkpoint as the file stores it, by its name there.
    let storedShapes: [String: [Int]]
  }

  /// Compiles, reads the `given` inputs (their shapes fix sizes), lowers the entry (then
  /// applies `transform`, e.g. differentiation, keeping inputs and parameters), refuses
  /// runs that do not fit `budget` (`copies` of the values), then completes the inputs
  /// (generated with `seed`) and loads (`params` through `paramMap`) or initialises the
  /// parameters.
  func prepare(
    _ given: [(name: String?, path: String)], params: String?, paramMap: String?, seed: UInt64,
    budget: MemoryBudget, copies: Int,
    transform: (IR.Function) throws(Failure) -> IR.Function = { $0 }
  ) throws(Failure) -> Prepared {
    let c = try compile()
    let entry = try entry(of: c)
    let read = try readInputs(given, entry: entry, compilation: c, limit: budget.bytes)
    let lowered = try lower(c, entry, inputShapes: read.mapValues(\.tensor.shape))
    try requireInputsMatch(read, lowered)
    let function = try transform(lowered)
    try requireMemory(function, entry: entry, budget: budget, copies: copies)
    let inputs = try completeInputs(function, given: read.mapValues(\.tensor), seed: seed)
    let map = try readParamMap(paramMap, for: function)
    let (parameters, storedShapes) = try loadCheckpoint(
      function, params: params, map: map, seed: seed, limit: budget.bytes)
    return Prepared(
      compilation: c, entry: entry, function: function, inputShapes: read.mapValues(\.tensor.shape), inputs: inputs,
      map: map, parameters: parameters, storedShapes: storedShapes)
  }

  /// The inputs of `f`: the `given` ones (checked against their declared types) and the others
  /// generated with `seed`.
  func completeInputs(_ f: IR.Function, given: [Int: Tensor], seed: UInt64) throws(Failure) -> [Tensor] {
    var inputs: [Tensor] = []
    for (i, input) in f.inputs.enumerated() {
      if let t = given[i] {
        try requireMatch(t, input.type, what: "input '\(input.name)'")
        inputs.append(t)
      } else {
        inputs.append(try generate { () throws(TensorError) in try InputGenerator.generate(f, input: i, seed: seed) })
      }
    }
    return inputs
  }

  /// Runs `f` on `backend` (the C backend with `plan`; with `check`, on both backends):
  /// the outputs, and with `check` the interpreter's outputs to compare them with. With
  /// `memory`, the native run first checks the budget (see `runNative`).
  func runOnBackends(
    _ f: IR.Function, inputs: [Tensor], parameters: [String: Tensor], backend: Backend, check: Bool,
    plan: LoweringPlan.Preset = .default, memory: (entry: Entry, budget: MemoryBudget)? = nil,
    sized: RuntimeSizesRequest? = nil
  ) throws(Failure) -> (outputs: [Tensor], reference: [Tensor]?) {
    guard backend == .c || check else { return (try interpret(f, inputs: inputs, parameters: parameters), nil) }
    let native = try runNative(f, inputs: inputs, parameters: parameters, plan: plan, memory: memory, sized: sized)
    return (native, check ? try interpret(f, inputs: inputs, parameters: parameters) : nil)
  }

  /// Prints the differences of `native` to the interpreter's `reference` outputs (named by
  /// `names` where they have a name); returns
  /// exit code 1 when one exceeds the tolerance, else 0.
  func compare(native: [Tensor], reference: [Tensor], names: [String?], stdout: inout String) -> Int32 {
    let differences = OutputComparison.compare(reference: reference, native: native, names: names)
    stdout += differences.map { "\($0)\n" }.joined()
    return differences.allSatisfy(\.isWithinTolerance) ? CommandLineTool.ExitCode.ok : CommandLineTool.ExitCode.sourceErrors
  }

  /// Runs `f` on the interpreter; a runtime error is rendered (located when it has a site)
  /// and fails with exit code 1.
  func interpret(_ f: IR.Function, inputs: [Tensor], parameters: [String: Tensor]) throws(Failure) -> [Tensor] {
    do throws(RuntimeError) {
      return try Interpreter.run(f, inputs: inputs, parameters: parameters)
    } catch {
      guard let d = error.diagnostic else { throw fail(error.message, CommandLineTool.ExitCode.sourceErrors) }
      var log = DiagnosticLog()
      log.report(d)
      stderr += renderer.render(log)
      throw Failure(code: CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// Fails unless `t` has the element type and shape of `type`.
  func requireMatch(_ t: Tensor, _ type: IR.TensorType, what: String) throws(Failure) {
    guard type.matches(t) else {
      throw fail(
        "\(what) has \(t.elementType) shape \(t.shape) but the circuit expects \(type) (shape \(type.shape))",
        CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// The named tensors of a safetensors file or `.npz` archive of at most `limit` bytes,
  /// recorded as read.
  func readNamedTensors(_ path: String, limit: Int) throws(Failure) -> SafeTensorsFile {
    inputFiles.append(path)
    do throws(TensorFileError) {
      return try TensorFiles.readNamedTensors(at: path, limit: limit)
    } catch {
      throw fail("\(error)", error.isIO ? CommandLineTool.ExitCode.ioError : CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// The result of `make`, or an `Error:` line (exit 1) when it cannot allocate.
  func generate<T>(_ make: () throws(TensorError) -> T) throws(Failure) -> T {
    do throws(TensorError) {
      return try make()
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// Generated inputs and initialised parameters (by full name) for `f`.
  func generatedData(_ f: IR.Function, seed: UInt64) throws(Failure) -> (inputs: [Tensor], parameters: [String: Tensor]) {
    try generate { () throws(TensorError) in
      var inputs: [Tensor] = []
      for i in f.inputs.indices { inputs.append(try InputGenerator.generate(f, input: i, seed: seed)) }
      return (inputs, try ParameterInitializer.initialize(f, seed: seed))
    }
  }

  /// The path of output `i` of `f` in the `--out` directory `dir`: `<name>.npy` for a named
  /// output (`-> (hidden: [b t m], …)`), else `output_<i>.npy`.
  static func outputPath(_ i: Int, of f: IR.Function, in dir: String) -> String {
    Path.join(dir, f.outputFileStem(i) + ".npy")
  }

  /// Creates `dir` if needed and checks that the outputs of `function` may be written there,
  /// before any work is done.
  func requireOutputDirectory(_ dir: String, for function: IR.Function) throws(Failure) {
    if !Platform.isDirectory(dir) && !Platform.makeDirectory(dir) {
      throw fail("\(dir): cannot create the output directory", CommandLineTool.ExitCode.ioError)
    }
    for i in function.outputs.indices {
      try requireOutputPath(Session.outputPath(i, of: function, in: dir))
    }
  }

  /// Writes each output as `<name>.npy` or `output_<i>.npy` into `dir` (see
  /// `requireOutputDirectory`), each atomically.
  func writeOutputs(_ outputs: [Tensor], of function: IR.Function, to dir: String) throws(Failure) {
    for (i, t) in outputs.enumerated() {
      try writeOutput(NPY.write(t), to: Session.outputPath(i, of: function, in: dir))
    }
  }
}

extension TensorFileError {

  /// Whether the file could not be read or written at all (as opposed to bad contents).
  var isIO: Bool {
    if case .io = self { return true }
    return false
  }
}
