import CircuitCodeGenC
import CircuitCost
import CircuitPipeline

extension BenchCommand {

  /// What `bench` measured: the program's size, then one run summary per backend; printed as
  /// text or as JSON (`circuit-bench/1`).
  struct Report {

    /// One backend's timed runs.
    struct Run {
      /// The backend.
      let backend: Backend
      /// Seconds per run: median, fastest, slowest; and how many runs.
      let median: Double, min: Double, max: Double, runs: Int
      /// FLOPs per run divided by the median time, in GFLOP/s; nil when the FLOPs are not known
      /// (the interpreter's training step, timed without a compiled gradient program).
      let gflops: Double?
      /// `--profile`: the steps by share (text).
      var profile = ""
      /// `--profile`: the roofline table and its JSON.
      var roofline: (text: String, json: JSONDocument)? = nil

      /// The summary of `times` (seconds) of a program of `flops` FLOPs.
      init(_ backend: Backend, _ times: [Double], flops: Double) {
        let sorted = times.sorted()
        let n = sorted.count
        self.backend = backend
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        (min, max, runs) = (sorted.first ?? 0, sorted.last ?? 0, n)
        gflops = median > 0 && flops > 0 ? flops / median / 1e9 : nil
      }

      /// `  c       12.345 ms/run (min 12.1, max 13.0, 20 runs)  87.1 GFLOP/s`, then the
      /// profile and roofline when measured.
      var text: String {
        /// Milliseconds with 3 decimals.
        func ms(_ s: Double) -> String { "\((s * 1e6).rounded() / 1e3)" }
        let name = backend.rawValue + String(repeating: " ", count: Swift.max(0, 7 - backend.rawValue.count))
        return "  \(name) \(ms(median)) ms/run (min \(ms(min)), max \(ms(max)), \(runs) runs)"
          + (gflops.map { "  \(($0 * 10).rounded() / 10) GFLOP/s" } ?? "") + "\n" + profile + (roofline?.text ?? "")
      }

      /// The run's member of `backends`.
      var json: JSONDocument {
        var members: [JSONDocument.Member] = [
          .init("backend", .string(backend.rawValue)), .init("medianSeconds", .number(median)),
          .init("minSeconds", .number(min)), .init("maxSeconds", .number(max)), .init("runs", .int(runs)),
          .init("gflops", gflops.map { .number($0) } ?? .null),
        ]
        if let r = roofline { members.append(.init("plan", r.json)) }
        return .object(members)
      }
    }

    /// The circuit file, the entry, and whether training steps were timed.
    let file: String, entry: String, training: Bool
    /// FLOPs per run and the arena (with and without reuse), once known.
    var flops = 0.0, arenaBytes = 0, arenaBytesWithoutReuse = 0
    /// The header line of the text.
    var header = ""
    /// The timed backends, in order.
    var runs: [Run] = []
    /// The `--input` files as given, how many inputs were generated, and the `--params` file
    /// (nil: initialised parameters): what the runs computed on.
    var inputFiles: [String] = [], generatedInputs = 0, parameterFile: String? = nil

    /// The line naming what the runs computed on.
    var dataText: String {
      var parts: [String] = []
      if !inputFiles.isEmpty { parts.append("inputs " + inputFiles.joined(separator: ", ")) }
      if generatedInputs > 0 { parts.append("\(generatedInputs) generated input\(generatedInputs == 1 ? "" : "s") (seed 0)") }
      parts.append(parameterFile.map { "parameters \($0)" } ?? "initialised parameters (seed 0)")
      return "  timed on " + parts.joined(separator: "; ") + "\n"
    }

    /// Creates an empty report.
    init(file: String, entry: String, training: Bool) { (self.file, self.entry, self.training) = (file, entry, training) }

    /// Records the compiled program (`unit`: "per run"; `library`: whether it was cached).
    mutating func describe(_ program: CProgram, unit: String, library: String? = nil) {
      (flops, arenaBytes, arenaBytesWithoutReuse) = (program.flops, program.peakBytes, program.unsharedBytes)
      let what = training ? "training step: \(ScientificNotation.format(program.flops / 1e9)) GFLOP in the gradient program"
        : "\(ScientificNotation.format(program.flops / 1e9)) GFLOP \(unit)"
      header = "\(file): \(what), arena \(program.peakBytes) bytes (\(program.unsharedBytes) without reuse)"
        + (library.map { ", library \($0)" } ?? "") + "\n"
    }

    /// The text `bench` prints.
    var text: String { header + dataText + runs.map(\.text).joined() }

    /// The `circuit-bench/1` document.
    var json: JSONDocument {
      .object([
        .init("schema", .string("circuit-bench/1")), .init("file", .string(file)), .init("entry", .string(entry)),
        .init("training", .bool(training)), .init("gflop", .number(flops / 1e9)),
        .init("arenaBytes", .int(arenaBytes)), .init("arenaBytesWithoutReuse", .int(arenaBytesWithoutReuse)),
        .init("inputFiles", .array(inputFiles.map { .string($0) })), .init("generatedInputs", .int(generatedInputs)),
        .init("parameterFile", parameterFile.map { .string($0) } ?? .null),
        .init("backends", .array(runs.map(\.json))),
      ])
    }
  }
}
