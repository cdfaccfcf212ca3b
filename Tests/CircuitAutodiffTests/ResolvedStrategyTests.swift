import CircuitAutodiff
import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import Testing
import TensorRuntime

/// The strategies inside a step are decided before emission and shown by the resolved plan
/// (`LoweringPlan.resolved(for:)`): a GEMM's epilogue finished in place, B packed once for
/// every part (`Step.sharedPanels`), a bias gradient added up by its operand's step
/// (`Step.columnSums`). The C has exactly the resolved ones, a plan can turn each off, and
/// every variant matches the interpreter.
@Suite struct ResolvedStrategyTests {

  /// The gradient of `gelu(X · W + c)` over `X[b=4 t=20 i=48]`, `W[o=40 i]`, probed by a
  /// random weight: `d(X · W + c)` has a buffer (read by both GEMMs) and 20 rows per item
  /// of `b`, so its step adds up `dc = Σ_{b t}` as it goes.
  static func biasLayer() throws -> (TinyFunction, GradientProgram) {
    var t = TinyFunction()
    let (b, tt, i, o) = (IR.Axis("b", 4), IR.Axis("t", 20), IR.Axis("i", 48), IR.Axis("o", 40))
    let h = t.emit(.contract(axes: ["i"]), [t.randomInput("X", [b, tt, i]), t.parameter("W", [o, i])])
    let y = t.emit(.unary(.gelu), [t.emit(.binary(.add), [h, t.parameter("c", [o])])])
    let f = t.function(probing: y)
    return (t, try Gradient.program(of: f))
  }

  /// The gradient of `X · W` over `X[b=64 i=512]`, `W[o=200 i]`: the weight gradient
  /// `dW = dYᵀ · X` is split by rows on 2 threads, and each part would read `X` in place at a
  /// 2 KiB row stride, 64 rows deep (two cache sets for a 16-column panel).
  static func wideLayer() throws -> (TinyFunction, GradientProgram) {
    var t = TinyFunction()
    let (b, i, o) = (IR.Axis("b", 64), IR.Axis("i", 512), IR.Axis("o", 200))
    let y = t.emit(.contract(axes: ["i"]), [t.randomInput("X", [b, i]), t.parameter("W", [o, i])])
    let f = t.function(probing: y)
    return (t, try Gradient.program(of: f))
  }

  /// The step headers (comment lines of the C) that contain `text`.
  static func headers(_ source: String, containing text: String) -> Int {
    source.split(separator: "\n").filter { $0.hasPrefix("/* %") && $0.contains(text) }.count
  }

  /// Runs `program` under `plan` and expects it within 1e-5 of the interpreter.
  static func expectMatches(_ t: TinyFunction, _ program: GradientProgram, _ plan: LoweringPlan, _ label: String) throws {
    let reference = try Interpreter.run(program.function, inputs: t.inputValues, parameters: t.parameterValues)
    let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues, plan: plan)
    let (difference, output) = GradientCheck.relativeDifference(native, reference, names: program.outputs.map(\.description))
    #expect(difference <= 1e-5, "\(label): C differs from the interpreter by \(difference) in \(output)")
  }

  /// The resolved plan names the sum the bias step adds up, the C writes it there and nowhere
  /// else; the plan without it reads the buffer back; both match the interpreter.
  @Test func columnSumsAreResolvedAndCanBeTurnedOff() throws {
    let (t, program) = try Self.biasLayer()
    let f = program.function
    let plan = LoweringPlan.heuristic(for: f)
    let resolved = plan.resolved(for: f)
    let fused = resolved.steps.indices.compactMap { x in resolved.steps[x].columnSums.map { (x, $0) } }
    #expect(fused.count == 1, "\(fused)")
    let source = CEmitter.emit(f, plan: plan).source
    for (_, j) in fused { #expect(source.contains("(and the partial column sums of %\(j), a row per b)")) }
    #expect(Self.headers(source, containing: "partial column sums of %") == fused.count)
    try Self.expectMatches(t, program, plan, "fused")

    var off = plan
    for x in off.steps.indices { off.steps[x].columnSums = nil }
    #expect(!CEmitter.emit(f, plan: off).source.contains("partial column sums"))
    #expect(off.resolved(for: f).steps.allSatisfy { $0.columnSums == nil })
    try Self.expectMatches(t, program, off, "not fused")
  }

  /// A plan naming sums no step can add up (a value that is not their operand, an index out
  /// of range) is repaired: the resolved plan drops them and the program is
  /// the one without them.
  @Test func unfitColumnSumsAreDropped() throws {
    let (_, program) = try Self.biasLayer()
    let f = program.function
    var off = LoweringPlan.heuristic(for: f)
    for x in off.steps.indices { off.steps[x].columnSums = nil }
    var unfit = off
    let sums = f.instructions.indices.filter {
      if case .reduce = f.instructions[$0].op { return off.steps[$0].materialized } else { return false }
    }
    #expect(!sums.isEmpty)
    for x in f.instructions.indices where off.steps[x].materialized {
      // Any sum but its operand's own (whose kept axis may fit) is not this value's to add up.
      unfit.steps[x].columnSums = sums.first { f.instructions[$0].operands[0].index != x }
    }
    // Indices that name no instruction at all.
    unfit.steps[0].columnSums = f.instructions.count + 5
    unfit.steps[1].columnSums = -3
    #expect(unfit.resolved(for: f).steps.allSatisfy { $0.columnSums == nil })
    #expect(CEmitter.emit(f, plan: unfit).source == CEmitter.emit(f, plan: off).source)
  }

  /// The weight gradient packs `X` once for both parts (`step<i>_packB_`) exactly where the
  /// resolved plan says so; with `sharedPanels` off every part reads it in place; both match
  /// the interpreter.
  @Test func sharedPanelsAreResolvedAndCanBeTurnedOff() throws {
    let (t, program) = try Self.wideLayer()
    let f = program.function
    let plan = LoweringPlan.heuristic(for: f, threads: 2)
    let shared = plan.resolved(for: f).steps.indices.filter { plan.resolved(for: f).steps[$0].sharedPanels }
    #expect(shared.count == 1, "\(shared)")
    let source = CEmitter.emit(f, plan: plan).source
    for i in shared { #expect(source.contains("step\(i)_packB_")) }
    #expect(Self.headers(source, containing: "once for every part */") == shared.count)
    try Self.expectMatches(t, program, plan, "shared")

    var off = plan
    for i in off.steps.indices { off.steps[i].sharedPanels = false }
    #expect(!CEmitter.emit(f, plan: off).source.contains("_packB_"))
    #expect(off.resolved(for: f).steps.allSatisfy { !$0.sharedPanels })
    try Self.expectMatches(t, program, off, "in place")
  }

  /// The resolved plan's epilogues are the values the C finishes in place (the ReLU after the
  /// first layer, the ReLU mask's product after `dY · W2`), and emitting it gives the same C.
  @Test func resolvedEpiloguesAreTheInPlaceOnes() throws {
    let (_, program) = try GEMMEpilogueTests.twoLayers()
    let f = program.function
    for (label, plan) in GEMMEpilogueTests.threadPlans(f) {
      let resolved = plan.resolved(for: f)
      let epilogues = Set(resolved.steps.compactMap(\.epilogue))
      let source = CEmitter.emit(f, plan: plan).source
      let written = Set(source.components(separatedBy: "/* %").dropFirst().compactMap { part -> Int? in
        let fields = part.split(separator: " ", maxSplits: 2)
        return fields.count >= 2 && part.hasPrefix("\(fields[0]) in place */") ? Int(fields[0]) : nil
      })
      #expect(!epilogues.isEmpty && epilogues == written, "\(label): resolved \(epilogues), in place \(written)")
      #expect(CEmitter.emit(f, plan: resolved).source == source, "\(label)")
    }
  }
}
