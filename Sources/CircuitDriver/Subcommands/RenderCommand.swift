import CircuitCodeGenC
import CircuitCost
import CircuitDiagram
import CircuitIR
import CircuitNative
import CircuitPipeline

/// `circuit render`: draws the entry circuit (or a library file's every circuit, stacked) as
/// an SVG neural circuit diagram.
public enum RenderCommand {

  /// The options of `render`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    var output: String? = nil
    var diagram = DiagramOptions()
    var cost = false
    var profile = false
    /// Write the interactive HTML viewer instead of the SVG.
    var html = false
  }

  /// The description of `render`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "render", abstract: "Draw a circuit as an SVG neural circuit diagram.",
      overview: "Draw a circuit as a standalone SVG neural circuit diagram.",
      discussion: """
        Every axis is a wire labelled with its name; the wires of one tensor are stacked and
        data flows left to right. Calls deeper than --depth are drawn as blocks showing their
        interface wires. Every element carries data-src="file:line:col" and a hover title with
        the tensor type. A file of several circuits without 'main' is drawn as a sheet of all
        of them unless --entry names one; sizes nothing fixes are drawn as 2 (see the legend).
        --html writes one self-contained page instead: the diagram at every depth beside its
        source, with hover details, source-line highlighting, expanding blocks, zoom and pan.
        """,
      usage: "circuit render [options] <file.circuit>",
      options: [
        .entry,
        .output(\.output, help: "Write the SVG to a file (atomically); '-' or none: stdout."),
        .flag("--html", help: "Write the interactive HTML viewer (one circuit) instead.") { $0.html = true },
        .value(
          "--depth", valueName: "<n>",
          help: "Expand calls down to this level (default: the deepest level\nwhose drawing stays within 1200 wide)."
        ) { values, v throws(UsageError) in
          guard let d = Int(v), d >= 0 else { throw .invalid(v, for: "--depth <n>") }
          values.diagram.depth = d
        },
        .value(
          "--page-width", valueName: "<px>",
          help: "Wrap wider diagrams into stacked rows (default 1200; 0: one row)."
        ) { values, v throws(UsageError) in
          guard let w = Double(v), w >= 0, w.isFinite else { throw .invalid(v, for: "--page-width <px>") }
          values.diagram.pageWidth = w == 0 ? nil : w
        },
        .value("--sizes", valueName: "<mode>", help: "symbolic (axis names, default) or concrete (name=size).") {
          values, v throws(UsageError) in
          guard let m = DiagramOptions.SizeMode(rawValue: v) else {
            throw .invalid(v, for: "--sizes <symbolic|concrete>")
          }
          values.diagram.sizes = m
        },
        .value("--theme", valueName: "<theme>", help: "light (default) or dark.") { values, v throws(UsageError) in
          guard let t = Theme.Kind(rawValue: v) else { throw .invalid(v, for: "--theme <light|dark>") }
          values.diagram.theme = t
        },
        .flag(
          "--cost",
          help: "Annotate each fence, block and node with its FLOPs and bytes, coloured\nby its share of the total (see 'circuit cost')."
        ) { values in values.cost = true },
        .flag(
          "--profile",
          help: "With --cost (implied): run the C backend with step timers on\ngenerated inputs and colour by the share of measured time."
        ) { values in (values.cost, values.profile) = (true, true) },
        .size(), .constant, .stdlib(), .color(),
      ])
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    let parsed = command.parse(arguments, stdout: &stdout, stderr: &stderr)
    guard case .values(var options) = parsed else { return parsed.exitCode }
    options.diagram.pathPrefix = Path.normalize(Platform.currentDirectory) + "/"
    let session = Session(common: options.common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let svg = options.html
        ? try viewer(session, options: options.diagram)
        : try document(session, options: options.diagram, cost: options.cost, profile: options.profile)
      if let path = options.output, path != "-" {
        try session.writeOutput(Array(svg.utf8), to: path)
      } else {
        stdout += svg
      }
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }

  /// The SVG `render` writes: the entry circuit; or, for a file of several circuits without
  /// `main` and no `--entry`, the sheet of all of them in order (`sheetCircuits`).
  static func document(
    _ session: Session, options: DiagramOptions, cost: Bool = false, profile: Bool = false
  ) throws(Session.Failure) -> String {
    let c = try session.compile()
    let names = sheetCircuits(c, entry: session.common.entry)
    /// The drawing of `entry`, with the cost annotations of its optimised lowering (what
    /// `circuit cost` counts; the same regions and sites as the raw IR drawn) when asked for.
    func annotated(_ entry: Entry) throws(Session.Failure) -> (function: IR.Function, options: DiagramOptions) {
      var (f, o) = try drawing(session, c, entry, options: options)
      if profile {
        let (g, seconds) = try RenderCommand.profile(session)
        o.annotations = CostAnnotations.of(g, seconds: seconds)
      } else if cost {
        o.annotations = CostAnnotations.of(try session.lower(c, entry, extraSizes: c.displaySizes(for: entry, given: session.common.sizes)))
      }
      return (f, o)
    }
    guard names.count > 1 else {
      let (f, o) = try annotated(try session.entry(of: c))
      return DiagramRenderer.render(f, options: o)
    }
    if profile {
      throw session.fail(
        "render --profile times one circuit; this file draws a sheet of \(names.count): name one with --entry",
        CommandLineTool.ExitCode.usage)
    }
    var panels: [(function: IR.Function, options: DiagramOptions)] = []
    for name in names {
      guard let entry = c.entry(named: name) else { continue }
      panels.append(try annotated(entry))
    }
    return DiagramRenderer.renderSheet(panels)
  }

  /// The entry run on the C backend with step timers (generated inputs and parameters, one
  /// warm-up and five timed calls): the optimised function and seconds per instruction.
  static func profile(_ session: Session) throws(Session.Failure) -> (IR.Function, [Int: Double]) {
    let data = try session.prepare(
      [], params: nil, paramMap: nil, seed: 0, budget: MemoryBudget.make(limit: nil, available: Platform.availableMemory),
      copies: 2)
    let f = data.function
    let plan = LoweringPlan.heuristic(for: f)
    let (model, program) = try session.loadNative(f, plan: plan, profiled: true)
    let calls = 5
    do throws(NativeError) {
      let binding = try model.bind(inputs: data.inputs, parameters: f.parameters.compactMap { data.parameters[$0.name] })
      try model.call(binding)
      let warm = model.stepTimes() ?? []
      for _ in 0..<calls { try model.call(binding) }
      let steps = model.stepTimes() ?? []
      let perCall = steps.enumerated().map { k, s in (s.seconds - (k < warm.count ? warm[k].seconds : 0)) / Double(calls) }
      return (f, CostAnnotations.seconds(PlanCost(f, program: program), f: f, stepSeconds: perCall))
    } catch {
      throw session.fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// The page `render --html` writes: the viewer of the entry circuit (a library's circuit
  /// must be named with `--entry`).
  static func viewer(_ session: Session, options: DiagramOptions) throws(Session.Failure) -> String {
    let c = try session.compile()
    let names = sheetCircuits(c, entry: session.common.entry)
    guard names.count <= 1 else {
      throw session.fail(
        "--html draws one circuit; name it with --entry (one of: \(names.joined(separator: ", ")))",
        CommandLineTool.ExitCode.usage)
    }
    let (f, o) = try drawing(session, c, try session.entry(of: c), options: options)
    return DiagramViewer.page(f, options: o)
  }

  /// The circuits of a sheet: every circuit of the root file when no entry is named and
  /// there is no `main` (a library such as `stdlib/nn.circuit`); else none (draw the entry).
  static func sheetCircuits(_ c: Compilation, entry: String?) -> [String] {
    let names = c.rootCircuitNames
    guard entry == nil, !names.contains("main") else { return [] }
    return names
  }

  /// The raw IR of the session's entry circuit and `options` completed with what the IR does
  /// not keep (the legend of derived sizes and the axis bundles).
  static func drawing(_ session: Session, options: DiagramOptions) throws(Session.Failure)
    -> (function: IR.Function, options: DiagramOptions)
  {
    let c = try session.compile()
    return try drawing(session, c, try session.entry(of: c), options: options)
  }

  /// `entry` of `c` lowered raw, sizes that nothing fixes drawn as `displaySize` (listed in
  /// the legend), and `options` completed for it.
  static func drawing(_ session: Session, _ c: Compilation, _ entry: Entry, options: DiagramOptions)
    throws(Session.Failure) -> (function: IR.Function, options: DiagramOptions)
  {
    let shown = c.displaySizes(for: entry, given: session.common.sizes)
    let f = try session.lower(c, entry, raw: true, extraSizes: shown)
    var o = options
    c.annotate(&o, for: entry, function: f, given: session.common.sizes, shown: shown)
    return (f, o)
  }


  /// The raw IR of a file's entry circuit, as `render` draws it (for tests and tools);
  /// nil with the diagnostics in `stderr` when it does not compile.
  public static func function(path: String, entry: String? = nil, stderr: inout String) -> IR.Function? {
    diagram(path: path, entry: entry, stderr: &stderr)?.function
  }

  /// The raw IR of a file's entry circuit and `options` completed as `render` draws it; nil
  /// with the diagnostics in `stderr` when it does not compile.
  public static func diagram(
    path: String, entry: String? = nil, options: DiagramOptions = .init(), stderr: inout String
  ) -> (function: IR.Function, options: DiagramOptions)? {
    var common = CommonOptions()
    common.files = [path]
    common.entry = entry
    let session = Session(common: common, colored: false)
    defer { stderr += session.stderr }
    return try? drawing(session, options: options)
  }
}
