import CircuitCodeGenC
import CircuitIR
import CircuitNative
import CircuitSema
import TensorRuntime

/// Which engine runs a circuit.
enum Backend: String {
  /// The reference interpreter.
  case interp
  /// Generated C, compiled and loaded in-process.
  case c
}

extension Session {

  /// The C compiler setup from the environment: `CC` (default `cc`), `CIRCUIT_CFLAGS` (default
  /// `-O3 -march=native`), `CIRCUIT_CACHE_DIR` (default `$XDG_CACHE_HOME/circuit`, else
  /// `$HOME/.cache/circuit`, else `/tmp/circuit-cache`).
  static var compilerConfiguration: CompilerConfiguration {
    let cc = Platform.environment("CC").flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
    let flags = Platform.environment("CIRCUIT_CFLAGS").map { $0.split(separator: " ").map(String.init) }
      ?? CompilerConfiguration.defaultFlags
    let cache: String
    if let c = Platform.environment("CIRCUIT_CACHE_DIR"), !c.isEmpty {
      cache = c
    } else if let x = Platform.environment("XDG_CACHE_HOME"), !x.isEmpty {
      cache = x + "/circuit"
    } else if let h = Platform.environment("HOME"), !h.isEmpty {
      cache = h + "/.cache/circuit"
    } else {
      cache = "/tmp/circuit-cache"
    }
    return CompilerConfiguration(compiler: cc, flags: flags, cacheDirectory: cache)
  }

  /// The output element types and shapes of `f`, for the native ABI.
  static func outputSpecs(_ f: IR.Function) -> [(element: ElementType, shape: [Int])] {
    f.outputs.map { v in
      let t = f.type(of: v)
      let e: ElementType =
        switch t.element {
        case .f32: .float32
        case .i32: .int32
        case .bool: .bool
        }
      return (e, t.shape)
    }
  }

  /// Emits, compiles (or finds cached) and loads `f`; with `profiled`, compiled to time its
  /// steps (`NativeModel.stepTimes`).
  func loadNative(_ f: IR.Function, plan: LoweringPlan? = nil, profiled: Bool = false) throws(Failure) -> (NativeModel, CProgram) {
    let program = CEmitter.emit(f, plan: plan)
    var configuration = Session.compilerConfiguration
    if profiled { configuration.flags.append("-D" + CProgram.profilingDefine) }
    do throws(NativeError) {
      let model = try NativeModel(
        program, outputs: Session.outputSpecs(f), compiler: CCompiler(configuration))
      return (model, program)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.internalFailure)
    }
  }

  /// Runs `f` as native code.
  /// With `memory`, first fails with a located error when the Swift copies, the native copies
  /// and the arena together exceed the budget.
  func runNative(
    _ f: IR.Function, inputs: [Tensor], parameters: [String: Tensor], plan: LoweringPlan.Preset = .default,
    memory: (entry: Program.CircuitEntry, budget: MemoryBudget)? = nil
  ) throws(Failure) -> [Tensor] {
    let (model, program) = try loadNative(f, plan: .preset(plan, for: f))
    if let memory {
      try requireMemory(f, entry: memory.entry, budget: memory.budget, copies: 2, extraBytes: program.peakBytes)
    }
    var ordered: [Tensor] = []
    for p in f.parameters {
      guard let t = parameters[p.name] else {
        throw fail("internal error: parameter '\(p.name)' has no value", CommandLineTool.ExitCode.internalFailure)
      }
      ordered.append(t)
    }
    do throws(NativeError) {
      return try model.run(inputs: inputs, parameters: ordered)
    } catch {
      throw fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// One line per output comparing the interpreter (`reference`) with native results; also
  /// whether all are within `tolerance` relative to each output's largest magnitude.
  static func compare(reference: [Tensor], native: [Tensor], tolerance: Double = 1e-4) -> (text: String, ok: Bool) {
    var text = ""
    var ok = true
    for (i, (r, n)) in zip(reference, native).enumerated() {
      let d = difference(r, n)
      let pass = d.relative <= tolerance
      ok = ok && pass
      text += "check output \(i): max abs diff \(format(d.absolute))  max rel diff \(format(d.relative))"
      text += pass ? "  ok\n" : "  MISMATCH (tolerance \(format(tolerance)))\n"
    }
    return (text, ok)
  }

  /// The largest absolute difference and that difference relative to the reference's largest
  /// magnitude (NaN and infinity must match exactly).
  static func difference(_ a: Tensor, _ b: Tensor) -> (absolute: Double, relative: Double) {
    /// The elements as doubles.
    func values(_ t: Tensor) -> [Double] {
      switch t.storage {
      case .float32(let v): v.map(Double.init)
      case .int32(let v): v.map(Double.init)
      case .bool(let v): v.map { $0 ? 1 : 0 }
      }
    }
    let (x, y) = (values(a), values(b))
    guard x.count == y.count else { return (.infinity, .infinity) }
    var absolute = 0.0
    var scale = 0.0
    for (p, q) in zip(x, y) {
      if p.isNaN || q.isNaN || p.isInfinite || q.isInfinite {
        if !(p.isNaN && q.isNaN) && p != q { return (.infinity, .infinity) }
        continue
      }
      absolute = max(absolute, abs(p - q))
      scale = max(scale, abs(p))
    }
    return (absolute, scale > 0 ? absolute / scale : absolute)
  }

  /// `x` in 3 significant digits, scientific.
  static func format(_ x: Double) -> String {
    if x == 0 { return "0" }
    if !x.isFinite { return "\(x)" }
    var e = 0
    var m = x
    while abs(m) >= 10 { m /= 10; e += 1 }
    while abs(m) < 1 { m *= 10; e -= 1 }
    let r = (m * 100).rounded() / 100
    return "\(r)e\(e)"
  }
}
