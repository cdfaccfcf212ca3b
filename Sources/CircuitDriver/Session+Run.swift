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
        try saveParameters(parameters, of: function, to: path, map: map)
      }
      if let dir = options.out { try requireOutputDirectory(dir, count: function.outputs.count) }
      let native = options.backend == .c || options.check
        ? try runNative(
          function, inputs: inputs, parameters: parameters, plan: options.plan,
          memory: (entry, budget)) : nil
      var reference: [Tensor]? = nil
      let outputs: [Tensor]
      do throws(RuntimeError) {
        if let native {
          outputs = native
          if options.check { reference = try Interpreter.run(function, inputs: inputs, parameters: parameters) }
        } else {
          outputs = try Interpreter.run(function, inputs: inputs, parameters: parameters)
        }
      } catch {
        if let d = error.diagnostic {
          var log = DiagnosticLog()
          log.report(d)
          stderr += renderer.render(log)
          return CommandLineTool.ExitCode.sourceErrors
        }
        throw fail(error.message, CommandLineTool.ExitCode.sourceErrors)
      }
      for (i, (t, v)) in zip(outputs, function.outputs).enumerated() {
        stdout += "output \(i): \(function.type(of: v))\n  \(OutputSummary.describe(t))\n"
      }
      if let dir = options.out { try writeOutputs(outputs, to: dir) }
      if let dir = options.dump {
        let n = try dumpNamedValues(
          c, entry, inputs: inputs, parameters: parameters, inputShapes: data.inputShapes, to: dir)
        stdout += "dumped \(n) named values to \(dir)\n"
      }
      if let reference, let native {
        let differences = OutputComparison.compare(reference: reference, native: native)
        stdout += differences.map { "\($0)\n" }.joined()
        if !differences.allSatisfy(\.isWithinTolerance) { return CommandLineTool.ExitCode.sourceErrors }
      }
      return CommandLineTool.ExitCode.ok
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

    /// The entry lowered (with passes) for the inputs' shapes.
    let function: IR.Function

    /// The shapes of the inputs read from files, by position.
    let inputShapes: [Int: [Int]]

    /// Every input: read or generated.
    let inputs: [Tensor]

    /// The `--param-map` (empty without one).
    let map: CheckpointMap

    /// Every parameter: loaded or initialised.
    let parameters: [String: Tensor]
  }

  /// Compiles, reads the `given` inputs (their shapes fix sizes), lowers the entry, refuses
  /// runs that do not fit `budget` (`copies` of the values), then completes the inputs
  /// (generated with `seed`) and loads (`params` through `paramMap`) or initialises the
  /// parameters.
  func prepare(
    _ given: [(name: String?, path: String)], params: String?, paramMap: String?, seed: UInt64,
    budget: MemoryBudget, copies: Int
  ) throws(Failure) -> Prepared {
    let c = try compile()
    let entry = try entry(of: c)
    let read = try readInputs(given, entry: entry, compilation: c, limit: budget.bytes)
    let function = try lower(c, entry, inputShapes: read.mapValues(\.tensor.shape))
    try requireInputsMatch(read, function)
    try requireMemory(function, entry: entry, budget: budget, copies: copies)
    let inputs = try completeInputs(function, given: read.mapValues(\.tensor), seed: seed)
    let map = try readParamMap(paramMap, for: function)
    let parameters = try loadParameters(function, params: params, map: map, seed: seed, limit: budget.bytes)
    return Prepared(
      compilation: c, entry: entry, function: function, inputShapes: read.mapValues(\.tensor.shape), inputs: inputs,
      map: map, parameters: parameters)
  }

  /// The inputs of `f`: those `given` (by position), the others generated with `seed`.
  func completeInputs(_ f: IR.Function, given: [Int: Tensor], seed: UInt64) throws(Failure) -> [Tensor] {
    var inputs: [Tensor] = []
    for i in f.inputs.indices {
      if let t = given[i] {
        inputs.append(t)
      } else {
        inputs.append(try generate { () throws(TensorError) in try InputGenerator.generate(f, input: i, seed: seed) })
      }
    }
    return inputs
  }

  /// The result of `make`, or an `Error:` line (exit 1) when it cannot allocate.
  func generate<T>(_ make: () throws(TensorError) -> T) throws(Failure) -> T {
    do throws(TensorError) {
      return try make()
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// The path of output `i` in the `--out` directory `dir`.
  static func outputPath(_ i: Int, in dir: String) -> String { Path.join(dir, "output_\(i).npy") }

  /// Creates `dir` if needed and checks that `count` outputs may be written there, before
  /// any work is done.
  func requireOutputDirectory(_ dir: String, count: Int) throws(Failure) {
    if !Platform.isDirectory(dir) && !Platform.makeDirectory(dir) {
      throw fail("\(dir): cannot create the output directory", CommandLineTool.ExitCode.ioError)
    }
    for i in 0..<count { try requireOutputPath(Session.outputPath(i, in: dir)) }
  }

  /// Writes `output_i.npy` files into `dir` (see `requireOutputDirectory`), each atomically.
  func writeOutputs(_ outputs: [Tensor], to dir: String) throws(Failure) {
    for (i, t) in outputs.enumerated() { try writeOutput(NPY.write(t), to: Session.outputPath(i, in: dir)) }
  }
}

extension TensorFileError {

  /// Whether the file could not be read or written at all (as opposed to bad contents).
  var isIO: Bool {
    if case .io = self { return true }
    return false
  }
}
