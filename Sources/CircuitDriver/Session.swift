import CircuitDiagnostics
import CircuitIR
import CircuitPipeline
import TensorRuntime

/// One command's work on one file: compiles, picks the entry, lowers, and collects what goes
/// to standard error.
final class Session {

  /// The command's common options.
  let common: CommonOptions

  /// Renders diagnostics.
  let renderer: DiagnosticRenderer

  /// Text for standard error.
  var stderr = ""

  /// Every file the command has read (sources, inputs, parameters, maps): outputs may not
  /// replace them.
  var inputFiles: [String] = []

  /// Creates a session.
  init(common: CommonOptions, colored: Bool?) {
    self.common = common
    self.renderer = DiagnosticRenderer(
      colored: common.color ?? colored ?? Platform.prefersColor)
  }

  /// The failure of a step, with its exit code (diagnostics or `Error:` already recorded).
  struct Failure: Error {

    /// The exit code.
    let code: Int32
  }

  /// Records `message` as an `Error:` line (control characters other than line breaks
  /// escaped: messages quote names and text from files) and returns the failure with `code`.
  func fail(_ message: String, _ code: Int32) -> Failure {
    stderr += "Error: \(message.escapingControlCharacters(keeping: ["\n", "\t"]))\n"
    return Failure(code: code)
  }

  /// Renders `log`; fails with code 1 when it has errors.
  func flush(_ log: DiagnosticLog) throws(Failure) {
    stderr += renderer.render(log)
    if log.hasErrors { throw Failure(code: CommandLineTool.ExitCode.sourceErrors) }
  }

  /// The checked program of the session's file.
  func compile() throws(Failure) -> Compilation {
    let c: Compilation
    do throws(SourceReader.Failure) {
      c = try Compilation.load(
        path: common.files[0], stdlibPath: StdlibLocator.searchPath(flag: common.stdlib),
        reader: Platform.sourceReader)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.ioError)
    }
    inputFiles += c.files
    if c.log.hasErrors { try flush(c.log) }
    return c
  }

  /// Fails unless `path` may receive an output: its directory exists, it is absent or a
  /// regular file (never a link followed), and it is none of the files the command reads.
  func requireOutputPath(_ path: String) throws(Failure) {
    do throws(TensorFileError) {
      try AtomicFile.requireReplaceable(path)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.ioError)
    }
    guard let target = Platform.fileIdentity(path) else { return }
    if let input = inputFiles.first(where: { Platform.fileIdentity($0) == target }) {
      throw fail(
        "refusing to write '\(path)': it is '\(input)', which this command reads",
        CommandLineTool.ExitCode.usage)
    }
  }

  /// Writes `bytes` to the output `path` atomically, after `requireOutputPath`.
  func writeOutput(_ bytes: [UInt8], to path: String) throws(Failure) {
    try requireOutputPath(path)
    do throws(TensorFileError) {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.ioError)
    }
  }

  /// Writes named tensors as a safetensors file to the output `path` atomically.
  func writeSafeTensors(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [(key: String, value: String)] = [], to path: String
  ) throws(Failure) {
    let bytes: [UInt8]
    do throws(TensorFileError) {
      bytes = try SafeTensors.write(tensors, metadata: metadata, fileName: path)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
    try writeOutput(bytes, to: path)
  }

  /// The entry circuit.
  func entry(of c: Compilation) throws(Failure) -> Entry {
    guard let e = c.entry(named: common.entry) else {
      let names = c.rootCircuitNames
      throw fail(
        common.entry.map { "no circuit named '\($0)' in \(common.files[0]); circuits: \(names.joined(separator: ", "))" }
          ?? "\(common.files[0]) declares no circuit", CommandLineTool.ExitCode.sourceErrors)
    }
    var log = DiagnosticLog()
    let entry = c.entry(e, settingConstants: common.constants, log: &log)
    try flush(log)
    return entry
  }

  /// The session file's entry circuit, checked and lowered to IR with the options' sizes.
  func lowerEntry(raw: Bool = false) throws(Failure) -> IR.Function {
    let c = try compile()
    return try lower(c, try entry(of: c), raw: raw)
  }

  /// The entry lowered to IR with the sizes of the options (then `extraSizes`) and of
  /// `inputShapes`.
  func lower(
    _ c: Compilation, _ entry: Entry, inputShapes: [Int: [Int]] = [:], raw: Bool = false,
    extraSizes: [(String, Int)] = []
  ) throws(Failure) -> IR.Function {
    var log = c.log
    let sizes = c.sizes(for: entry, given: common.sizes + extraSizes, inputShapes: inputShapes, log: &log)
    let lowered: IR.Function?
    do throws(InternalError) {
      lowered = try c.lower(entry, sizes: sizes, raw: raw, log: &log)
    } catch {
      stderr += renderer.render(log)
      throw fail("internal compiler error: \(error)", CommandLineTool.ExitCode.internalFailure)
    }
    try flush(log)
    guard let lowered else { throw Failure(code: CommandLineTool.ExitCode.sourceErrors) }
    try requireRunnableSizes(lowered)
    return lowered
  }

  /// Fails with a located error when a computed value is too large for the CPU runtime,
  /// before anything is allocated (parameters, inputs and memory: `MemoryBudget`, in `run`).
  func requireRunnableSizes(_ f: IR.Function) throws(Failure) {
    guard let d = MemoryBudget.oversizedValue(in: f) else { return }
    var log = DiagnosticLog()
    log.report(d)
    try flush(log)
  }

  /// Fails with located errors when running `f` does not fit `budget` (see
  /// `MemoryBudget.problems`, with the bytes held `beside` the program).
  func requireMemory(
    _ f: IR.Function, entry: Entry, budget: MemoryBudget, copies: Int = 1,
    beside: (bytes: Int, what: String)? = nil
  ) throws(Failure) {
    var log = DiagnosticLog()
    for d in budget.problems(f, entrySite: entry.site, copies: copies, beside: beside) {
      log.report(d)
    }
    try flush(log)
  }
}
