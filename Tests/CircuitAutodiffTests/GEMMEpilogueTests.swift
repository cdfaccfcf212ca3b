import CircuitAutodiff
import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import Testing
import TensorRuntime

/// A GEMM that finishes its elementwise consumer in place (the plan's `epilogue`: a bias add
/// and an activation forward, an activation's derivative times the GEMM backward) and a
/// weight gradient `dYᵀ · X` whose transposed A is split by rows: the C backend against the
/// interpreter at 1 and 3 threads, at odd sizes.
@Suite struct GEMMEpilogueTests {

  /// `gelu(relu(X · W1 + b1) · W2 + b2)` over `X[b=37 i=157]`, `W1[o=151 i]`, `W2[p=19 o]`,
  /// probed by a random weight, and its gradient program.
  static func twoLayers() throws -> (TinyFunction, GradientProgram) {
    var t = TinyFunction()
    let (b, i, o, p) = (IR.Axis("b", 37), IR.Axis("i", 157), IR.Axis("o", 151), IR.Axis("p", 19))
    let x = t.randomInput("X", [b, i])
    let h = t.emit(.contract(axes: ["i"]), [x, t.parameter("W1", [o, i])])  // [b o]
    let r = t.emit(.unary(.relu), [t.emit(.binary(.add), [h, t.parameter("b1", [o], .awayFromZero)])])
    let z = t.emit(.contract(axes: ["o"]), [r, t.parameter("W2", [p, o])])  // [b p]
    let y = t.emit(.unary(.gelu), [t.emit(.binary(.add), [z, t.parameter("b2", [p])])])
    let f = t.function(probing: y)
    return (t, try Gradient.program(of: f))
  }

  /// The heuristic plans of `f` at 1 and at 3 threads (every step on 3), with their labels.
  static func threadPlans(_ f: IR.Function) -> [(String, LoweringPlan)] {
    var three = LoweringPlan.heuristic(for: f, threads: 3)
    for s in three.steps.indices { three.steps[s].threads = 3 }
    return [("1 thread", LoweringPlan.heuristic(for: f, threads: 1)), ("3 threads", three)]
  }

  /// Runs `f` natively under `plan` and expects it within 1e-5 of the interpreter's `reference`.
  static func expectMatches(_ f: IR.Function, _ t: TinyFunction, _ reference: [Tensor], plan: LoweringPlan, _ label: String) throws {
    let values = f.parameters.map { t.parameterValues[$0.name]! }
    let native = try GradientCheck.runNative(f, inputs: t.inputValues, parameters: values, plan: plan)
    let (difference, _) = GradientCheck.relativeDifference(native, reference, names: ["loss"])
    #expect(difference <= 1e-5, "\(label)")
  }

  /// The first layer's GEMM writes its bias and ReLU in place (not the second's GELU: a
  /// transcendental epilogue stays a pass of its own), the backward's ReLU mask is applied in
  /// place after `dY · W2`, and `dW1 = dHᵀ · X` (151 × 157, A transposed) is
  /// split by rows on 3 threads where it used to be split by columns: C matches the
  /// interpreter within 1e-5 at 1 and 3 threads.
  @Test func matchesInterpreter() throws {
    let (t, program) = try GEMMEpilogueTests.twoLayers()
    let f = program.function
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    for (label, plan) in GEMMEpilogueTests.threadPlans(f) {
      let source = CEmitter.emit(f, plan: plan).source
      let inPlace = source.components(separatedBy: " in place */\n").count - 1
      #expect(inPlace >= 2, "\(label): \(inPlace) epilogues")
      #expect(source.contains("= relu in place") && !source.contains("= gelu in place"), "\(label)")
      if plan.threads == 3 {
        #expect(source.contains("cc_split_(151, 6, part_, parts_, &m0_, &m1_);\n  cc_gemm_(m0_, m1_, 0, 157, 37, a_, 1, 151"))
      }
      let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues, plan: plan)
      let (difference, output) = GradientCheck.relativeDifference(native, reference, names: program.outputs.map(\.description))
      #expect(difference <= 1e-5, "\(label): C differs from the interpreter by \(difference) in \(output)")
    }
  }

  /// A weight gradient's `dYᵀ` seen through a transpose of its batch axes (`[t b o]` over a
  /// `[b t o]` buffer) is contracted over `b t`, the order it lies in: read in place, with no
  /// transposing pack, and C matches the interpreter at 1 and 3 threads.
  @Test func transposedBatchAxesAreReadInPlace() throws {
    var t = TinyFunction()
    let (b, tt, o, i) = (IR.Axis("b", 3), IR.Axis("t", 37), IR.Axis("o", 41), IR.Axis("i", 43))
    let dy = t.emit(.transpose(order: ["t", "b", "o"]), [t.parameter("dY", [b, tt, o])])
    let w = t.emit(.contract(axes: ["t", "b"]), [dy, t.randomInput("X", [b, tt, i])])  // [o i]
    let f = t.function(probing: w)
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    for (label, plan) in GEMMEpilogueTests.threadPlans(f) {
      let source = CEmitter.emit(f, plan: plan).source
      #expect(source.contains("K = b t (111)") && !source.contains("pack operand"), "\(label)")
      try GEMMEpilogueTests.expectMatches(f, t, reference, plan: plan, label)
    }
  }

  /// An operand seen through a transpose of its row axes (`[t b i]` over a `[b t i]` buffer) is
  /// packed as `[t b][i]`, its loops running `b` outside `t` (the source's larger stride
  /// outermost), and C matches the interpreter at odd sizes at 1 and 3 threads.
  @Test func packLoopsFollowTheSourceStrides() throws {
    var t = TinyFunction()
    let (b, tt, i, o) = (IR.Axis("b", 5), IR.Axis("t", 37), IR.Axis("i", 43), IR.Axis("o", 41))
    let x = t.emit(.transpose(order: ["t", "b", "i"]), [t.randomInput("X", [b, tt, i])])
    let y = t.emit(.contract(axes: ["i"]), [x, t.parameter("W", [i, o])])  // [t b o]
    let f = t.function(probing: y)
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    for (label, plan) in GEMMEpilogueTests.threadPlans(f) {
      let source = CEmitter.emit(f, plan: plan).source
      let pack = source.components(separatedBy: "pack operand").dropFirst().first ?? ""
      let (outer, inner) = (pack.range(of: "for (long ax_b"), pack.range(of: "for (long ax_t"))
      #expect(pack.hasPrefix(" %") && outer != nil && inner != nil, "\(label): \(source)")
      if let outer, let inner { #expect(outer.lowerBound < inner.lowerBound, "\(label): \(pack)") }
      try GEMMEpilogueTests.expectMatches(f, t, reference, plan: plan, label)
    }
  }

  /// An epilogue reading a value computed after its GEMM is not finished in place (the value
  /// would be read before it exists): `relu(X · W) · S` with `S = exp(V)` materialised between
  /// (a plan made so by hand); the resolved plan drops it.
  @Test func epilogueWaitsForLaterOperands() throws {
    var t = TinyFunction()
    let (b, i, o) = (IR.Axis("b", 37), IR.Axis("i", 41), IR.Axis("o", 43))
    let h = t.emit(.contract(axes: ["i"]), [t.randomInput("X", [b, i]), t.parameter("W", [o, i])])
    let s = t.emit(.unary(.exp), [t.parameter("V", [b, o])])
    let y = t.emit(.binary(.multiply), [t.emit(.unary(.relu), [h]), s])
    let f = t.function(probing: t.emit(.binary(.multiply), [y, s]))
    var plan = LoweringPlan.heuristic(for: f, threads: 1)
    plan.steps[s.index].materialized = true
    plan.steps[y.index].materialized = true
    plan.steps[h.index].epilogue = y.index
    #expect(!CEmitter.emit(f, plan: plan).source.contains(" in place */"))
    #expect(plan.resolved(for: f).steps[h.index].epilogue == nil, "the resolved plan drops it")
    // Epilogues naming no later instruction are dropped too.
    for bad in [-1, h.index, f.instructions.count + 3] {
      var odd = plan
      odd.steps[h.index].epilogue = bad
      #expect(odd.resolved(for: f).steps[h.index].epilogue == nil, "epilogue \(bad)")
    }
    let native = try GradientCheck.runNative(f, inputs: t.inputValues, parameters: f.parameters.map { t.parameterValues[$0.name]! }, plan: plan)
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    let (difference, _) = GradientCheck.relativeDifference(native, reference, names: ["loss"])
    #expect(difference <= 1e-5)
  }

  /// The same for a Winograd convolution: `relu(conv(X) · S)` with `S = exp(V)` materialised
  /// between them is not finished in the convolution's step (it would read `S` before `S`'s
  /// step writes it), and C matches the interpreter.
  @Test func winogradEpilogueWaitsForLaterOperands() throws {
    var t = TinyFunction()
    let x = t.randomInput("X", [IR.Axis("b", 2), IR.Axis("c", 4), IR.Axis("h", 16), IR.Axis("w", 16)])
    let wh = IR.WindowAxis(input: "h", grid: "g", window: "u", size: 3, stride: 1, pad: 1, dilation: 1)
    let ww = IR.WindowAxis(input: "w", grid: "x", window: "v", size: 3, stride: 1, pad: 1, dilation: 1)
    let weights = t.parameter("W", [IR.Axis("o", 8), IR.Axis("c", 4), IR.Axis("u", 3), IR.Axis("v", 3)])
    let conv = t.emit(.contract(axes: ["c", "u", "v"]), [t.emit(.window([wh, ww]), [x]), weights])
    let s = t.emit(.unary(.exp), [t.parameter("V", t.instructions[conv.index].type.axes)])
    let y = t.emit(.unary(.relu), [t.emit(.binary(.multiply), [conv, s])])
    let f = t.function(probing: t.emit(.binary(.multiply), [y, s]))
    var plan = LoweringPlan.heuristic(for: f, threads: 1)
    plan.steps[conv.index].contraction = .winograd
    plan.steps[s.index].materialized = true
    plan.steps[y.index].materialized = true
    plan.steps[conv.index].epilogue = y.index
    #expect(plan.resolved(for: f).steps[conv.index].contraction == .winograd)
    #expect(plan.resolved(for: f).steps[conv.index].epilogue == nil, "the resolved plan drops it")
    #expect(!CEmitter.emit(f, plan: plan).source.contains(" in place */"))
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    try GEMMEpilogueTests.expectMatches(f, t, reference, plan: plan, "winograd")
  }
}
