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
  /// else, in the literal and the symbolic form; the plan without it reads the buffer back
  /// (a plain column sum); both match the interpreter.
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
    for (x, j) in fused { #expect(Self.headers(source, containing: "%\(j) = sum") == 1 && source.contains("from %\(x))")) }
    let symbolic = CEmitter.emit(f, plan: plan, arena: .symbolic).source
    #expect(Self.headers(symbolic, containing: "partial column sums of %") == fused.count)
    try Self.expectMatches(t, program, plan, "fused")

    var off = plan
    for x in off.steps.indices { off.steps[x].columnSums = nil }
    let plain = CEmitter.emit(f, plan: off).source
    #expect(!plain.contains("partial column sums") && !plain.contains("rows of partial sums"))
    for (_, j) in fused { #expect(Self.headers(plain, containing: "%\(j) = sum") == 1) }
    try Self.expectMatches(t, program, off, "not fused")
  }

  /// A plan naming sums no step can add up is repaired: the resolved plan drops them and the
  /// program is the one without them. A value that is not their operand, an index out of
  /// range, a contraction (its step is a GEMM, not a loop nest), a sum keeping an axis that
  /// is not the value's innermost, and a value of one axis (no rows to keep apart).
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
    // The gradient's contraction into `d(X · W)`'s shape, naming the bias sum.
    let fused = LoweringPlan.heuristic(for: f).resolved(for: f).steps.compactMap(\.columnSums)
    #expect(fused.count == 1)
    let summed = f.instructions[try #require(fused.first)].operands[0].index
    let gemm = try #require(f.instructions.indices.first { i in
      guard case .contract = f.instructions[i].op else { return false }
      return off.steps[i].materialized && f.instructions[i].type == f.instructions[summed].type
    })
    unfit.steps[gemm].columnSums = fused[0]
    #expect(unfit.resolved(for: f).steps.allSatisfy { $0.columnSums == nil })
    #expect(CEmitter.emit(f, plan: unfit).source == CEmitter.emit(f, plan: off).source)

    // `exp(P)` over `[b t o]` and over `[o]`, summed keeping `o` (fits), keeping `t` (not the
    // innermost axis) and over no axis (one axis).
    var t = TinyFunction()
    let (b, tt, o) = (IR.Axis("b", 4), IR.Axis("t", 20), IR.Axis("o", 40))
    let x = t.emit(.unary(.exp), [t.parameter("P", [b, tt, o])])
    let fits = t.emit(.reduce(.sum, axes: ["b", "t"]), [x])
    let keepsT = t.emit(.reduce(.sum, axes: ["b", "o"]), [x])
    let v = t.emit(.unary(.exp), [t.parameter("Q", [o])])
    let none = t.emit(.reduce(.sum, axes: []), [v])
    let loss = t.emit(.contract(axes: ["o"]), [t.emit(.binary(.add), [fits, none]), t.emit(.contract(axes: ["t"]), [keepsT, keepsT])])
    let g = t.function(loss: loss)
    var plan = LoweringPlan.heuristic(for: g, threads: 1)
    for i in [x, fits, keepsT, v, none] { plan.steps[i.index].materialized = true }
    for (value, sum, kept) in [(x, fits, true), (x, keepsT, false), (v, none, false)] {
      var p = plan
      p.steps[value.index].columnSums = sum.index
      #expect((p.resolved(for: g).steps[value.index].columnSums != nil) == kept, "%\(value.index) adding up %\(sum.index)")
    }
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
    for i in shared { #expect(source.contains("/* %\(i): pack B in 16-column panels of depth")) }
    #expect(Self.headers(source, containing: "once for every part */") == shared.count)
    try Self.expectMatches(t, program, plan, "shared")

    var off = plan
    for i in off.steps.indices { off.steps[i].sharedPanels = false }
    let inPlace = CEmitter.emit(f, plan: off).source
    for i in shared { #expect(!inPlace.contains("step\(i)_packB_") && inPlace.contains("step\(i)_")) }
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
