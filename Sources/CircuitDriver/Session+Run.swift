import CircuitDiagnostics
import CircuitIR
import CircuitInterpreter
import CircuitPipeline
import TensorRuntime

extension Session {

  /// Runs the `run` subcommand's pipeline; returns the exit code.
  func runPipeline(_ options: RunCommand.Options, stdout: inout String) -> Int32 {
    do throws(Failure) {
      let c = try compile()
      let entry = try entry(of: c)
      let budget = MemoryBudget.make(limit: options.memoryLimit, available: Platform.availableMemory)
      let given = try readInputs(options.inputs, entry: entry, compilation: c, limit: budget.bytes)
      let function = try lower(c, entry, inputShapes: given.mapValues(\.shape))
      for (i, input) in function.inputs.enumerated() {
        if let t = given[i] { try requireMatch(t, input.type, what: "input '\(input.name)'") }
      }
      let copies = options.backend == .c || options.check ? 2 : 1
      try requireMemory(function, entry: entry, budget: budget, copies: copies)
      var inputs: [Tensor] = []
      for i in function.inputs.indices {
        if let t = given[i] {
          inputs.append(t)
        } else {
          inputs.append(
            try generate { () throws(TensorError) in try InputGenerator.generate(function, input: i, seed: options.seed) })
        }
      }
      let map = try readParamMap(options.paramMap, for: function)
      let parameters = try loadParameters(
        function, params: options.params, map: map, seed: options.seed, limit: budget.bytes)
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
          c, entry, inputs: inputs, parameters: parameters, inputShapes: given.mapValues(\.shape), to: dir)
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

  /// Reads the `--input` files, by entry input position: `name=path` takes a `.npy` file or
  /// the array `name` (or the only array) of a `.npz` archive; a bare `path` takes every array
  /// of a `.npz` archive as the input of the same name. Each file takes at most `limit` bytes.
  func readInputs(
    _ given: [(name: String?, path: String)], entry: Entry, compilation c: Compilation, limit: Int
  ) throws(Failure) -> [Int: Tensor]
  {
    var out: [Int: Tensor] = [:]
    let names = entry.inputNames
    func position(_ name: String, from path: String) throws(Failure) -> Int {
      guard let i = names.firstIndex(of: name) else {
        throw fail(
          "'\(entry.name)' has no input '\(name)' (from \(path)); its inputs: \(names.joined(separator: ", "))",
          CommandLineTool.ExitCode.usage)
      }
      return i
    }
    for (name, path) in given {
      let (arrays, isArchive) = try readArrays(path, limit: limit)
      var chosen: [NPZEntry] = arrays
      if let name {
        guard let array = arrays.count == 1 ? arrays.first : arrays.first(where: { $0.name == name }) else {
          throw fail(
            "\(path) has no array '\(name)'; its arrays: \(arrays.map(\.name).joined(separator: ", "))",
            CommandLineTool.ExitCode.sourceErrors)
        }
        chosen = [NPZEntry(name: name, tensor: array.tensor, warnings: array.warnings)]
      } else if !isArchive {
        throw fail(
          "\(path) is a .npy file: name the input it is for, as '--input NAME=\(path)'", CommandLineTool.ExitCode.usage)
      }
      for array in chosen {
        let i = try position(array.name, from: path)
        for w in array.warnings { stderr += "warning: \(w)\n" }
        if let problem = array.tensor.nonFiniteProblem(allowingInfinity: true) {
          throw fail("\(path): input '\(array.name)' \(problem)", CommandLineTool.ExitCode.sourceErrors)
        }
        out[i] = array.tensor
      }
    }
    return out
  }

  /// The arrays of a `.npy` or `.npz` file of at most `limit` bytes (`TensorFiles.readArrays`),
  /// recorded as read.
  func readArrays(_ path: String, limit: Int) throws(Failure) -> (arrays: [NPZEntry], isArchive: Bool) {
    inputFiles.append(path)
    do throws(TensorFileError) {
      return try TensorFiles.readArrays(at: path, limit: limit)
    } catch {
      throw fail("\(error)", error.isIO ? CommandLineTool.ExitCode.ioError : CommandLineTool.ExitCode.sourceErrors)
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
