import CircuitCodeGenC
import CircuitCost
import CircuitIR
import CircuitInterpreter
import CircuitNative
import CircuitPipeline
import TensorRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// `circuit bench`: times a circuit on the C backend and the interpreter with the given inputs
/// and parameters (else generated ones); prints what it computed on, the median time per run,
/// the spread, and GFLOP/s.
enum BenchCommand {

  /// Options of `bench`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    var runs = 20
    var warmup = 3
    var backends: [Backend] = [.c, .interp]
    var seconds = 5.0
    var plan: LoweringPlan.Preset = .default
    var threads = 2
    var profile = false
    var train = false
    var inputs: [(name: String?, path: String)] = []
    var params: String? = nil
    var paramMap: String? = nil
    var json = false
    var runtimeSizes = RuntimeSizesMode.standard
  }

  /// `name <n>`: a number in `range`, recorded by `set`.
  static func number(
    _ name: String, _ valueName: String, help: String, in range: ClosedRange<Double>,
    _ set: @escaping (inout Options, Double) -> Void
  ) -> Option<Options> {
    .value(name, valueName: valueName, help: help) { values, v throws(UsageError) in
      guard let x = Double(v), range.contains(x) else { throw .invalid(v, for: name) }
      set(&values, x)
    }
  }

  /// The description of `bench`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "bench", abstract: "Time a circuit on the C backend and the interpreter.",
      overview: "Time a circuit on the C backend and on the interpreter.",
      discussion: """
        Uses the inputs and parameters given (--input, --params, --param-map, as 'run'), else
        generated inputs and initialised parameters (seed 0). After warm-up runs, times
        repeated runs and prints the median time per run, the fastest and slowest run, and
        GFLOP/s (2 per multiply-add of contractions, 1 per other computed element).
        --json prints one object instead: {"schema": "circuit-bench/1", "file", "entry",
        "training" (whether --train), "gflop" (per run or step), "arenaBytes",
        "arenaBytesWithoutReuse", "inputFiles" (--input as given), "generatedInputs",
        "parameterFile" (--params, or null when initialised), "backends": [{"backend", "medianSeconds", "minSeconds",
        "maxSeconds", "runs", "gflops", "plan" (with --profile on c: the plan's steps as in
        'circuit cost --json' with "boundSeconds" and "measuredSeconds")}]}.
        """,
      usage: "circuit bench [options] <file.circuit>",
      options: [
        .value("--backend", valueName: "<c|interp|both>", help: "What to time (default both).") {
          values, v throws(UsageError) in
          switch v {
          case "c": values.backends = [.c]
          case "interp": values.backends = [.interp]
          case "both": values.backends = [.c, .interp]
          default: throw .invalid(v, for: "--backend <c|interp|both>")
          }
        },
        .plan(\.plan, help: "Lowering plan of the C backend: default, unfused, loops,\ndirect, streamed or materialized."),
        .threads(\.threads, help: "Threads of the C backend (default 2)."),
        .runtimeSizes(\.runtimeSizes),
        .flag(
          "--profile",
          help: "Also time each step of the C program (compiled with step\ntimers) and list the steps by their share of a call."
        ) { $0.profile = true },
        .flag(
          "--train",
          help: "Time training steps instead: forward, backward and an SGD\nupdate (lr 0.01) as 'circuit train' makes them; the\nbatch is every example."
        ) { $0.train = true },
        .flag("--json", help: "Print the results as JSON (schema circuit-bench/1, see\n'circuit help bench').") { $0.json = true },
        number("--runs", "<n>", help: "Timed runs per backend (default 20).", in: 1...100_000) { $0.runs = Int($1) },
        number("--warmup", "<n>", help: "Untimed runs first (default 3).", in: 0...10_000) { $0.warmup = Int($1) },
        number(
          "--max-seconds", "<s>", help: "Stop timing a backend after this long (default 5; at least\n3 runs).",
          in: 0.001...86_400) { $0.seconds = $1 },
        .input(\.inputs, help: "Time on an input from a .npy file (repeatable; see 'run')."),
        .params(\.params),
        .paramMap(\.paramMap),
        .entry, .size(), .constant, .stdlib(), .color(),
      ])
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    let parsed = command.parse(arguments, stdout: &stdout, stderr: &stderr)
    guard case .values(let o) = parsed else { return parsed.exitCode }
    let common = o.common
    let session = Session(common: common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let data = try session.prepare(
        o.inputs, params: o.params, paramMap: o.paramMap, seed: 0,
        budget: MemoryBudget.make(limit: nil, available: Platform.availableMemory), copies: 2)
      var report = Report(file: common.files[0], entry: data.function.name, training: o.train)
      report.inputFiles = o.inputs.map { ($0.name.map { "\($0)=" } ?? "") + $0.path }
      report.generatedInputs = data.function.inputs.count - data.inputShapes.count
      report.parameterFile = data.function.parameters.isEmpty ? nil : o.params
      if o.train {
        try runTraining(o, session, data, into: &report)
      } else {
        try runForward(o, session, data, into: &report)
      }
      stdout += o.json ? report.json.text : report.text
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }

  /// Times the entry on each backend of `o` (the forward run).
  static func runForward(_ o: Options, _ session: Session, _ data: Session.Prepared, into report: inout Report)
    throws(Session.Failure)
  {
    let (f, inputs, initialized) = (data.function, data.inputs, data.parameters)
    let parameters = f.parameters.compactMap { initialized[$0.name] }
    let plan = LoweringPlan.preset(o.plan, for: f, threads: o.threads)
    let started = ContinuousClock.now
    let load = try session.loadNative(
      f, compilation: data.compilation, entry: data.entry, inputShapes: data.inputShapes, preset: o.plan,
      threads: o.threads, mode: o.backends.contains(.c) ? o.runtimeSizes : .off,
      profiled: o.profile && o.backends.contains(.c))
    let (model, program) = (load.model, load.program)
    let loading = ContinuousClock.now - started
    let seconds = Double(loading.components.seconds) + Double(loading.components.attoseconds) * 1e-18
    report.describe(program, unit: "per run", library: "\(load.note) in \((seconds * 1000).rounded() / 1000) s")
    for backend in o.backends {
      switch backend {
      case .c:
        let binding: NativeModel.Binding
        do throws(NativeError) { binding = try model.bind(inputs: inputs, parameters: parameters) } catch {
          throw session.fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
        }
        var warm: [(step: String, seconds: Double)] = []
        let times = try measure(o, afterWarmup: { warm = model.stepTimes() ?? [] }) { () throws(Session.Failure) in
          do throws(NativeError) { try model.call(binding) } catch {
            throw session.fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
          }
        }
        var run = Report.Run(backend, times, flops: program.flops)
        if o.profile, let steps = model.stepTimes() {
          // Only the timed runs: the timers' totals minus what the warm-up left.
          let timed = steps.enumerated().map { k, s in (s.step, s.seconds - (k < warm.count ? warm[k].seconds : 0)) }
          run.profile = profile(timed, calls: times.count)
          run.roofline = try roofline(f, plan: plan, program: program, timed: timed.map(\.1), calls: times.count, session)
        }
        report.runs.append(run)
      case .interp:
        let times = try measure(o) { () throws(Session.Failure) in
          do throws(RuntimeError) { _ = try Interpreter.run(f, inputs: inputs, parameters: initialized) } catch {
            throw session.fail(error.message, CommandLineTool.ExitCode.sourceErrors)
          }
        }
        report.runs.append(Report.Run(backend, times, flops: program.flops))
      }
    }
  }

  /// The steps of a profiled C program, slowest first: share of the steps' time, milliseconds
  /// per call (averaged over the timed `calls`) and the step's IR instruction.
  static func profile(_ steps: [(step: String, seconds: Double)], calls: Int) -> String {
    let total = steps.reduce(0) { $0 + $1.seconds }
    guard total > 0, calls > 0 else { return "  profile: no step time recorded\n" }
    /// `x` right-aligned in `width` columns.
    func pad(_ x: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - x.count)) + x }
    /// Milliseconds per call with 3 decimals.
    func ms(_ seconds: Double) -> String { "\((seconds / Double(calls) * 1e6).rounded() / 1e3)" }
    var text = "  profile: \(steps.count) steps, \(ms(total)) ms per call in steps\n"
    let sorted = steps.sorted { $0.seconds > $1.seconds }
    let shown = sorted.prefix(30)
    for s in shown {
      let share = (s.seconds / total * 1000).rounded() / 10
      text += "    \(pad("\(share)%", 6))  \(pad(ms(s.seconds), 8)) ms  \(s.step)\n"
    }
    if sorted.count > shown.count { text += "    … \(sorted.count - shown.count) more steps\n" }
    return text
  }

  /// Each step's measured time per call beside its roofline lower bound (the cached machine
  /// model, measured first if needed) and their ratio: steps far above 1 are worth optimising.
  static func roofline(
    _ f: IR.Function, plan: LoweringPlan, program: CProgram, timed: [Double], calls: Int, _ session: Session
  ) throws(Session.Failure) -> (text: String, json: JSONDocument) {
    let cost = PlanCost(f, program: program)
    let machine = try session.machineModel()
    let measured = cost.steps.map { s in s.timers.map { timed[$0] }.reduce(0, +) / Double(max(1, calls)) }
    let timing = PlanReport.Timing(bounds: machine.bounds(cost), measured: measured)
    let text = PlanReport.render(cost, function: f, timing: timing)
    return (
      "  roofline (machine model \(Session.machineModelPath)):\n"
        + text.split(separator: "\n").map { "    " + $0 + "\n" }.joined(),
      PlanReport.json(cost, timing: timing)
    )
  }

  /// Wall-clock seconds of each timed run of `body` after the warm-up runs (`afterWarmup` runs
  /// between the two); stops early once `o.seconds` have been spent (keeping at least 3 runs).
  static func measure(
    _ o: Options, afterWarmup: () -> Void = {}, _ body: () throws(Session.Failure) -> Void
  ) throws(Session.Failure) -> [Double] {
    let start = now()
    for _ in 0..<o.warmup where now() - start < o.seconds / 4 { try body() }
    afterWarmup()
    var times: [Double] = []
    let begin = now()
    while times.count < o.runs && (times.count < 3 || now() - begin < o.seconds) {
      let t0 = now()
      try body()
      times.append(now() - t0)
    }
    return times
  }

  /// Monotonic seconds.
  static func now() -> Double { Platform.monotonicSeconds() }
}
