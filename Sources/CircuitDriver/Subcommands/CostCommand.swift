import CircuitAutodiff
import CircuitCost
import CircuitIR
import CircuitPipeline

/// `circuit cost`: FLOPs, transcendental calls, comparisons, parameters and activation bytes
/// per instance of the entry circuit, concretely and as polynomials in the size names.
enum CostCommand {

  /// The options of `cost`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    var report = CostReport.Options()
    var symbolic = true
    var json = false
    var steps = false
    var grad = false
    var machine = false
    var remeasure = false
    var io = false
    var cache: Int? = nil
  }

  /// The description of `cost`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "cost", abstract: "Count a circuit's FLOPs, parameters and bytes.",
      overview: "Count the entry circuit's cost per instance: FLOPs, transcendental calls, comparisons, parameters and activation bytes, concretely and symbolically.",
      discussion: """
        The tree follows the diagram's fences: the entry, then every circuit instance, group and
        loop iteration. Counts are exact for the file's sizes (or --size), and are also printed
        as polynomials in the size names, derived by re-lowering with each size varied; loop
        counts are fitted. A multiply-add is 2 FLOPs; a contraction costs 2 x the product of
        all its axes; exp, log, erf, tanh, sqrt, pow ... are counted as transcendental calls,
        max/min/relu as comparisons (conventions: README, 'circuit cost'). --steps adds the C
        plan's view: per step FLOPs, bytes read and written, intensity and the arena's peak,
        concretely and as polynomials in the size names (verified against the plan at doubled
        sizes; '?' where the plan changes). --machine adds each step's roofline bound
        max(FLOPs/peak, exps/exp rate + erfs/erf rate, bytes/bandwidth) from the measured
        micro-kernel, the branch-free exp and erf of softmax and GELU, and the bandwidth;
        'circuit bench --profile' puts measured step times beside the bounds. --io adds the
        Napkin IO model: per contraction, attention group, fused plan step and chain of
        contractions, the words moved through a fast memory of M bytes with one axis streamed
        in tiles, the best tiles and the lower bound, with the formulas in the size names.
        """,
      usage: "circuit cost [options] <file.circuit>",
      options: [
        .entry,
        .value("--depth", valueName: "<n>", help: "Show instances down to this level (default: all).") {
          values, v throws(UsageError) in
          guard let d = Int(v), d >= 0 else { throw .invalid(v, for: "--depth <n>") }
          values.report.depth = d
        },
        .flag("--detail", help: "List the cost of every instruction under its instance.") { values in
          values.report.detail = true
        },
        .flag("--concrete", help: "Print the concrete counts only (no polynomials).") { values in
          values.symbolic = false
        },
        .flag("--json", help: "Print the report as JSON (schema: Sources/CircuitCost/README.md).") { values in
          values.json = true
        },
        .flag("--steps", help: "Add the C plan's view: per step, FLOPs, bytes read and\nwritten, intensity; the arena (with polynomials unless\n--concrete).") {
          values in values.steps = true
        },
        .flag(
          "--grad",
          help: "Count the gradient program (forward, then the backward\npass) instead; --steps adds the memory held for it."
        ) { values in values.grad = true },
        .flag(
          "--machine",
          help: "Add the machine model (peak FLOP/s of the C micro-kernel,\nexp and erf throughput, streaming bandwidth; measured once,\ncached beside the compile cache) and each step's lower bound\n(implies --steps)."
        ) { values in values.machine = true },
        .flag("--remeasure", help: "Measure the machine again (implies --machine).") { values in
          (values.machine, values.remeasure) = (true, true)
        },
        .flag("--io", help: "Add the Napkin IO model: transfers of each contraction,\nattention, fused plan step and chain of contractions through\na fast memory (--cache).") {
          values in values.io = true
        },
        .value("--cache", valueName: "<bytes>", help: "The fast memory of the IO model, e.g. 1MiB, 512KiB (default: the\nlast-level cache per core; implies --io).") {
          values, v throws(UsageError) in
          guard let n = CostCommand.bytes(v), n >= 16 else { throw .invalid(v, for: "--cache <bytes>") }
          (values.io, values.cache) = (true, n)
        },
        .size(), .constant, .stdlib(), .color(),
      ])
  }

  /// `1MiB`, `512KiB`, `2MB`, `65536`: a byte count (binary and decimal units).
  static func bytes(_ text: String) -> Int? {
    let units: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("kB", 1000), ("KB", 1000), ("B", 1)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
      return Int(text.dropLast(suffix.count)).flatMap { $0.multipliedReportingOverflow(by: scale).overflow ? nil : $0 * scale }
    }
    return Int(text)
  }

  /// The gradient program of `f` (what `grad` and `train` run), or why there is none.
  @Sendable static func gradient(_ f: IR.Function) -> Result<IR.Function, CostAnalysis.TransformError> {
    do throws(GradientError) { return .success(try Gradient.program(of: f).function) } catch {
      return .failure(.init("\(error)"))
    }
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    command.run(arguments, stdout: &stdout, stderr: &stderr, colored: colored) { options, session, stdout throws(Session.Failure) in
      let c = try session.compile()
      let entry = try session.entry(of: c)
      var log = c.log
      let analysis: CostAnalysis?
      let transform: CostAnalysis.Transform? = options.grad ? gradient : nil
      do throws(CostAnalysis.Failure) {
        analysis = try CostAnalysis.analyse(
          c, entry, given: options.common.sizes, symbolic: options.symbolic, transform: transform, log: &log)
      } catch {
        switch error {
        case .internalError(let e):
          throw session.fail("internal compiler error: \(e)", CommandLineTool.ExitCode.internalFailure)
        case .transform(let e): throw session.fail(e.message, CommandLineTool.ExitCode.sourceErrors)
        }
      }
      try session.flush(log)
      guard let analysis else { return CommandLineTool.ExitCode.sourceErrors }
      let plan = options.steps || options.machine ? PlanCost.heuristic(analysis.function) : nil
      let planned = plan ?? (options.io ? PlanCost.heuristic(analysis.function) : nil)
      var timing = PlanReport.Timing()
      let machine = options.machine ? try session.machineModel(remeasure: options.remeasure) : nil
      if let machine, let plan { timing.bounds = machine.bounds(plan) }
      let symbolicPlan = plan.flatMap { p in
        analysis.symbolic.map { s in
          SymbolicPlan(
            p, function: analysis.function, symbolic: s, values: Dictionary(analysis.sizes.map { ($0.name, $0.value) }) { a, _ in a },
            plan: { PlanCost.heuristic($0) }, lower: CostAnalysis.lowering(c, entry, transform: transform))
        }
      }
      if options.grad && options.steps { timing.forwardPeakBytes = PlanCost.heuristic(analysis.forward).peakBytes }
      let fast = options.io ? options.cache.map { ($0, "--cache") } ?? Platform.lastLevelCachePerCore : nil
      let io = fast.map { NapkinIO(analysis.function, fastMemoryBytes: $0.0) }
      let groups = fast.flatMap { m in
        planned.map { NapkinGroups($0, function: analysis.function, fastMemoryBytes: m.0, symbolic: analysis.symbolic) }
      }
      if options.json {
        var document = CostReport.json(analysis, options: options.report)
        if case .object(let members) = document {
          var extra: [JSONDocument.Member] = []
          if let plan { extra.append(.init("plan", PlanReport.json(plan, timing: timing, symbolic: symbolicPlan))) }
          if let io { extra.append(.init("io", NapkinReport.json(io, groups: groups))) }
          if let machine { extra.append(.init("machine", machine.json)) }
          document = .object(members + extra)
        }
        stdout += document.text
      } else {
        stdout += CostReport.render(analysis, options: options.report)
        if let plan { stdout += "\n" + PlanReport.render(plan, function: analysis.function, timing: timing, symbolic: symbolicPlan) }
        if let io, let fast { stdout += "\n" + NapkinReport.render(io, function: analysis.function, cacheOrigin: fast.1, symbolic: analysis.symbolic) }
        if let groups, let planned { stdout += "\n" + NapkinGroupReport.render(groups, plan: planned, function: analysis.function) }
        if let machine { stdout += "\nmachine model (\(Session.machineModelPath)):\n" + machine.report }
      }
      return CommandLineTool.ExitCode.ok
    }
  }
}
