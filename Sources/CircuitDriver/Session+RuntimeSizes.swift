import CircuitCodeGenC
import CircuitDiagnostics
import CircuitIR
import CircuitNative
import CircuitPipeline

/// `--runtime-sizes`: which sizes the compiled C library takes at run time.
enum RuntimeSizesMode: Equatable {
  /// The sizes that only input shapes fix (changing them leaves every parameter's shape).
  case auto
  /// Fully specialised code, compiled per shape.
  case off
  /// These sizes.
  case names([String])

  /// The default: `CIRCUIT_RUNTIME_SIZES` when set (as `--runtime-sizes`), else `auto`.
  static var standard: RuntimeSizesMode {
    Platform.environment("CIRCUIT_RUNTIME_SIZES").flatMap { $0.isEmpty ? nil : RuntimeSizesMode(parsing: $0) } ?? .auto
  }

  /// Parses `auto`, `off` or a comma-separated list of size names.
  init(parsing v: String) {
    switch v {
    case "auto": self = .auto
    case "off": self = .off
    default: self = .names(v.split(separator: ",").map(String.init))
    }
  }
}

/// What `runNative` needs to try the runtime-sized library: the entry and the input shapes
/// the function was lowered with, the mode, and whether to say which library ran.
struct RuntimeSizesRequest {
  /// The compilation.
  let compilation: Compilation
  /// The entry circuit.
  let entry: Entry
  /// The given inputs' shapes, by input index.
  let inputShapes: [Int: [Int]]
  /// `--runtime-sizes`.
  let mode: RuntimeSizesMode
  /// `--verbose`: one line on standard error naming the library used.
  let verbose: Bool
}

extension Session {

  /// The most runtime sizes `--runtime-sizes auto` chooses (9 samples and 2 held out).
  static let automaticLimit = 2

  /// A loaded library and how it was chosen.
  struct NativeLoad {
    /// The loaded model.
    let model: NativeModel
    /// The program specialised at the run's sizes (for its arena, flops and steps).
    let program: CProgram
    /// One line: runtime-sized template or specialised code (and why), cached or compiled.
    let note: String
  }

  /// Loads `f` (the entry of `c` lowered at the session's sizes and `inputShapes`) under
  /// `preset` with `threads`: with `mode` not `off`, from the runtime-sized library of the
  /// model when a template (`CTemplate`) is found and, instantiated at these sizes, equals the
  /// program specialised here token for token; otherwise specialised code, as `loadNative`.
  /// With `auto`, a template is built from the second shape a program runs at (the first
  /// compiles specialised code only); named sizes build it at once.
  func loadNative(
    _ f: IR.Function, compilation c: Compilation, entry: Entry, inputShapes: [Int: [Int]],
    preset: LoweringPlan.Preset, threads: Int, mode: RuntimeSizesMode, profiled: Bool = false
  ) throws(Failure) -> NativeLoad {
    let plan = LoweringPlan.preset(preset, for: f, threads: threads)
    func specialised(_ why: String) throws(Failure) -> NativeLoad {
      let (model, program) = try loadNative(f, plan: plan, profiled: profiled)
      return NativeLoad(model: model, program: program, note: "specialised code (\(why)), library \(model.artifact.cached ? "cached" : "compiled")")
    }
    guard mode != .off else { return try specialised("--runtime-sizes off") }
    guard !profiled else { return try specialised("step timers") }
    var quiet = DiagnosticLog()
    let chosen = c.sizes(for: entry, given: common.sizes, inputShapes: inputShapes, log: &quiet)
    let base = chosen.values.compactMapValues { $0.constant }
    let lower = sampleLowering(compilation: c, entry: entry, inputShapes: inputShapes)
    let names: [String]
    switch mode {
    case .names(let list): names = list
    case .auto, .off: names = runtimeSizeNames(f, compilation: c, entry: entry, base: base, lower: lower)
    }
    guard !names.isEmpty, names.allSatisfy({ base[$0] != nil }) else {
      return try specialised(names.isEmpty ? "no runtime sizes" : "unknown size in --runtime-sizes")
    }
    let program = CEmitter.emit(f, plan: plan, arena: .symbolic)
    let store = TemplateStore(directory: CompilerEnvironment.configuration.cacheDirectory)
    let skeleton = CTemplate.skeleton(program.source)
    var template = store.load(skeleton: skeleton, names: names).flatMap(CTemplate.init(serialized:)).flatMap {
      $0.sizeNames == names && $0.mismatch(with: program.source, at: base) == nil ? $0 : nil
    }
    let stored = template != nil
    let shape = names.map { "\($0)=\(base[$0]!)" }.joined(separator: ", ")
    if !stored, mode == .auto, !store.recordShape(shape, skeleton: skeleton, names: names) {
      return try specialised("the first shape of this program; another shape builds its runtime-sized template")
    }
    if !stored, let before = store.failure(skeleton: skeleton, names: names) {
      return try specialised("its template failed at an earlier shape: \(before)")
    }
    var reason = ""
    if template == nil {
      let built = Session.buildTemplate(names: names, base: base, function: f, plan: plan, program: program, lower: lower)
      (template, reason) = (built.template, built.reason)
      if let t = built.template { store.store(t.serialized, skeleton: skeleton, names: names) }
    }
    guard let template else {
      store.recordFailure(reason, skeleton: skeleton, names: names)
      return try specialised(reason)
    }
    do throws(NativeError) {
      let model = try NativeModel(
        source: template.source(entrySymbol: program.entrySymbol), program: program, outputs: f.outputSpecs,
        compiler: CCompiler(CompilerEnvironment.configuration), runtimeSizes: names.map { base[$0]! })
      return NativeLoad(
        model: model, program: program,
        note: "runtime-sized library (\(shape)), template \(stored ? "cached" : "built"), library \(model.artifact.cached ? "cached" : "compiled")")
    } catch {
      return try specialised("the template did not compile: \(error)")
    }
  }

  /// The entry lowered at the session's sizes with some replaced (nil: it does not lower).
  func sampleLowering(compilation c: Compilation, entry: Entry, inputShapes: [Int: [Int]]) -> ([String: Int]) -> IR.Function? {
    { v in
      var log = DiagnosticLog()
      let given = self.common.sizes + v.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
      let sizes = c.sizes(for: entry, given: given, inputShapes: inputShapes, log: &log)
      return (try? c.lower(entry, sizes: sizes, log: &log)) ?? nil
    }
  }

  /// The template of `program` (`f` emitted under `plan` at `base`) with `names` at run time,
  /// sampled above the sizes first and, when those fall in another plan regime (the template
  /// fails or does not hold at `base`), below them; which side it was sampled on, or why no
  /// template was found. `observe` sees each sample's sizes and lowered function.
  static func buildTemplate(
    names: [String], base: [String: Int], function f: IR.Function, plan: LoweringPlan, program: CProgram,
    lower: ([String: Int]) -> IR.Function?, observe: ([String: Int], IR.Function) -> Void = { _, _ in }
  ) -> (template: CTemplate?, below: Bool, reason: String) {
    var reason = ""
    for below in [false, true] where !below || names.allSatisfy({ CTemplate.canSampleBelow(base[$0]!) }) {
      do throws(CTemplate.Failure) {
        let t = try CTemplate.build(names: names, base: base, below: below, reference: program.source) { v in
          // The run's plan at every sample: its size thresholds (threads, kinds) then cannot
          // change between samples, and the template equals the program of this very plan.
          lower(v).flatMap { g in
            observe(v, g)
            return g.instructions.count == f.instructions.count ? CEmitter.emit(g, plan: plan, arena: .symbolic).source : nil
          }
        }
        if let why = t.mismatch(with: program.source, at: base) {
          reason = "the template does not hold here: \(why)"
        } else {
          return (t, below, "")
        }
      } catch {
        reason = "no template: \(error)"
      }
    }
    return (nil, false, reason)
  }

  /// The sizes named by the entry's input axes whose change (by one) leaves every parameter's
  /// shape unchanged and still lowers: the sizes a caller's data fixes, at most
  /// `automaticLimit` of them in input order (each more multiplies the samples by 3).
  func runtimeSizeNames(
    _ f: IR.Function, compilation c: Compilation, entry: Entry, base: [String: Int],
    lower: ([String: Int]) -> IR.Function?
  ) -> [String] {
    guard let signature = c.checker.signatures[entry.name] else { return [] }
    var names: [String] = []
    for input in signature.inputs {
      for axis in input.type.axes {
        guard let s = axis.size.symbolName, !names.contains(s), let v = base[s] else { continue }
        guard let g = lower([s: v + 1]), g.parameters.map(\.type) == f.parameters.map(\.type) else { continue }
        names.append(s)
      }
    }
    return Array(names.prefix(Session.automaticLimit))
  }
}
