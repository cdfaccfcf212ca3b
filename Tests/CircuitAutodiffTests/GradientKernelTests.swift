import CircuitAutodiff
import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import Testing
import TensorRuntime

/// The C backend's kernels for forms that gradient programs produce, forced on at odd sizes
/// and checked against the interpreter: a convolution's weight gradient from the padded input
/// (`cc_gemm_segments_`), and the vectorisable exponential of nonpositive arguments.
@Suite struct GradientKernelTests {

  /// `Y[b g x o] = Σ_{c u v} window(X)[b c g x u v] · W[o c u v]` for a `(rows, columns)`
  /// window of stride 1 with the given padding over an input `X[b=2 c=3 h=7 w=9]`, and its
  /// gradient program (the window feeds the forward and the weight gradient).
  static func convolution(outputs o: Int, window: (Int, Int), pad: (Int, Int)) throws -> (TinyFunction, GradientProgram) {
    var t = TinyFunction()
    let x = t.randomInput("X", [IR.Axis("b", 2), IR.Axis("c", 3), IR.Axis("h", 7), IR.Axis("w", 9)])
    let wh = IR.WindowAxis(input: "h", grid: "g", window: "u", size: window.0, stride: 1, pad: pad.0, dilation: 1)
    let ww = IR.WindowAxis(input: "w", grid: "x", window: "v", size: window.1, stride: 1, pad: pad.1, dilation: 1)
    let unfolded = t.emit(.window([wh, ww]), [x])
    let weights = t.parameter("W", [IR.Axis("o", o), IR.Axis("c", 3), IR.Axis("u", window.0), IR.Axis("v", window.1)])
    let y = t.emit(.contract(axes: ["c", "u", "v"]), [unfolded, weights])
    let f = t.function(probing: y)
    return (t, try Gradient.program(of: f))
  }

  /// The plans the weight gradient is checked under: the default (two threads, every step
  /// split), and tiny GEMM blocks (one output row per block, three threads).
  static func plans(_ f: IR.Function) -> [(String, LoweringPlan)] {
    var split = LoweringPlan.heuristic(for: f, threads: 2)
    for i in split.steps.indices { split.steps[i].threads = 2 }
    var tiny = LoweringPlan.heuristic(for: f, threads: 3)
    tiny.tiling = .init(mc: 12, kc: 8, nc: 32)
    for i in tiny.steps.indices { tiny.steps[i].threads = 3 }
    return [("default", .heuristic(for: f)), ("split", split), ("tiny", tiny)]
  }

  /// Odd output channels (5: B packed; 21: a panel read in place and a packed rest), square
  /// and asymmetric windows with and without padding: the weight gradient is computed from the
  /// padded input and matches the interpreter.
  @Test(arguments: [(5, (3, 3), (1, 1)), (21, (3, 3), (1, 1)), (5, (2, 3), (0, 2)), (21, (3, 1), (2, 0))])
  func convolutionWeightGradient(_ o: Int, _ window: (Int, Int), _ pad: (Int, Int)) throws {
    let (t, program) = try GradientKernelTests.convolution(outputs: o, window: window, pad: pad)
    let f = program.function
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    for (label, plan) in GradientKernelTests.plans(f) {
      #expect(CEmitter.emit(f, plan: plan).source.contains("cc_gemm_segments_("), "\(label): the segments kernel")
      let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues, plan: plan)
      let (difference, output) = GradientCheck.relativeDifference(native, reference, names: program.outputs.map(\.description))
      #expect(difference <= 1e-5, "\(label) plan: C differs from the interpreter by \(difference) in \(output)")
    }
  }

  /// The unfolded input is never stored: the gradient program's arena holds no tensor of the
  /// window's size (b·c·g·x·u·v floats).
  @Test func convolutionKeepsNoUnfoldedInput() throws {
    let (_, program) = try GradientKernelTests.convolution(outputs: 5, window: (3, 3), pad: (1, 1))
    let plan = LoweringPlan.heuristic(for: program.function)
    let windows = program.function.instructions.indices.filter {
      if case .window = program.function.instructions[$0].op { return true }
      return false
    }
    #expect(!windows.isEmpty && windows.allSatisfy { !plan.steps[$0].materialized })
  }

  /// `exp` of an argument of known nonpositive sign (the GELU and erf derivatives' `exp(−x²/2)`,
  /// `exp(−x²)`) calls the vectorisable `cc_exp_nonpositive_`, `erf` the runtime's `cc_erf_`;
  /// `exp` of an argument of unknown sign keeps libm's `expf`.
  @Test func nonpositiveExponentials() throws {
    for (fn, nonpositive) in [(IR.UnaryFunction.gelu, true), (.erf, true), (.exp, false)] {
      var t = TinyFunction()
      let y = t.emit(.unary(fn), [t.parameter("x", [IR.Axis("i", 3), IR.Axis("j", 5)])])
      let program = try Gradient.program(of: t.function(probing: y))
      let source = CEmitter.emit(program.function).source
      #expect(source.contains("cc_exp_nonpositive_(") == nonpositive, "\(fn)")
      #expect(!source.contains("expf(") == nonpositive, "\(fn)")
      #expect(!source.contains("erff("), "\(fn)")
    }
  }

  /// A bias gradient `Σ_{b t} dY[b t o]`: with `dY` laid out (or, fused, ordered) `[b t o]`
  /// the sum runs as column sums (unit-stride rows added into double accumulators), with
  /// `[o b t]` as the row kernel; both give the same bits, and those match the interpreter
  /// within float32 rounding.
  @Test(arguments: [true, false])
  func columnSumsEqualRowSums(_ materialized: Bool) throws {
    var t = TinyFunction()
    let x = t.parameter("x", [IR.Axis("b", 3), IR.Axis("t", 5), IR.Axis("o", 133)])
    let y = t.emit(.unary(.tanh), [x])
    let sum = t.emit(.reduce(.sum, axes: ["b", "t"]), [y])
    let mean = t.emit(.reduce(.mean, axes: ["b", "t"]), [y])
    let f = IR.Function(
      name: "sums", inputs: [], parameters: t.parameters, instructions: t.instructions, outputs: [sum, mean], regions: [])
    var columns = LoweringPlan.heuristic(for: f, threads: 2)
    columns.steps[y.index].materialized = materialized
    columns.steps[y.index].layout = materialized ? ["b", "t", "o"] : []
    columns.steps[y.index].loopOrder = ["b", "t", "o"]
    for i in columns.steps.indices { columns.steps[i].threads = 2 }
    var rows = columns
    rows.steps[y.index].layout = materialized ? ["o", "b", "t"] : []
    rows.steps[y.index].loopOrder = ["o", "b", "t"]
    #expect(CEmitter.emit(f, plan: columns).source.contains("for (long j_ = 0; j_ < w_; ++j_) acc_[j_] += (double)"))
    #expect(!CEmitter.emit(f, plan: rows).source.contains("acc_[j_] += (double)"))
    let values = [t.parameterValues["x"]!]
    let byColumns = try GradientCheck.runNative(f, parameters: values, plan: columns)
    let byRows = try GradientCheck.runNative(f, parameters: values, plan: rows)
    // With `y` materialised, its step adds up the sum itself (`columnSumsFuseIntoTheirOperandsStep`).
    #expect(byColumns.map(\.floats).dropFirst(materialized ? 1 : 0) == byRows.map(\.floats).dropFirst(materialized ? 1 : 0))
    let reference = try Interpreter.run(f, inputs: [], parameters: t.parameterValues)
    let (difference, _) = GradientCheck.relativeDifference(byColumns, reference, names: ["sum", "mean"])
    #expect(difference <= 1e-6)
  }

  /// A bias gradient over a merged axis `o = (h k)` of a buffer laid out `[h b t k]` (the
  /// merged axes not adjacent: attention's `dK` before the key projection's bias) runs as
  /// column sums in blocks of one `k` run, at 1 and 2 threads, and matches the interpreter.
  @Test(arguments: [1, 2])
  func columnSumsFollowMergedRuns(_ threads: Int) throws {
    var t = TinyFunction()
    let (h, b, tt, k) = (IR.Axis("h", 3), IR.Axis("b", 2), IR.Axis("t", 5), IR.Axis("k", 7))
    let y = t.emit(.unary(.tanh), [t.parameter("x", [h, b, tt, k])])  // laid out [h b t k]
    let merged = t.emit(.merge(axes: ["h", "k"], into: "o"), [y])  // [o b t]
    let dy = t.emit(.transpose(order: ["b", "t", "o"]), [merged])
    let sum = t.emit(.reduce(.sum, axes: ["b", "t"]), [dy])
    let mean = t.emit(.reduce(.mean, axes: ["t", "b"]), [dy])
    let unmerged = t.emit(.reduce(.sum, axes: ["b", "t"]), [y])  // a second reader: y gets a buffer
    let f = IR.Function(
      name: "sums", inputs: [], parameters: t.parameters, instructions: t.instructions,
      outputs: [sum, mean, unmerged], regions: [])
    var plan = LoweringPlan.heuristic(for: f, threads: threads)
    #expect(plan.steps[y.index].materialized && !plan.steps[dy.index].materialized)
    for i in plan.steps.indices { plan.steps[i].threads = threads }
    let source = CEmitter.emit(f, plan: plan).source
    #expect(source.contains("const long o0_ = block_ * 7, w_ = cc_min_l_(7, 21 - o0_);"))
    #expect(source.components(separatedBy: "const float* row_ = &").count == 3)
    let native = try GradientCheck.runNative(f, parameters: [t.parameterValues["x"]!], plan: plan)
    let reference = try Interpreter.run(f, inputs: [], parameters: t.parameterValues)
    let (difference, _) = GradientCheck.relativeDifference(native, reference, names: ["sum", "mean", "unmerged"])
    #expect(difference <= 1e-6)
  }

  /// A bias gradient `Σ_{b t} dY[b t o]` of a derivative product that has a buffer of its own
  /// (read again by a contraction) is added up in the product's own step, a row of double
  /// partial sums per `b` (19 rows each: one flush of 16 and a tail of 3), then the rows in
  /// order: at 1, 2 and 3 threads C matches the interpreter, and the result is the same at
  /// every thread count.
  @Test func columnSumsFuseIntoTheirOperandsStep() throws {
    var t = TinyFunction()
    let (b, tt, o, i) = (IR.Axis("b", 5), IR.Axis("t", 19), IR.Axis("o", 133), IR.Axis("i", 3))
    let g = t.emit(.unary(.tanh), [t.parameter("x", [b, tt, o])])
    let dy = t.emit(.binary(.multiply), [g, t.randomInput("dZ", [b, tt, o])])  // [b t o]
    let bias = t.emit(.reduce(.sum, axes: ["b", "t"]), [dy])
    let mean = t.emit(.reduce(.mean, axes: ["t", "b"]), [dy])
    let weights = t.emit(.contract(axes: ["b", "t"]), [dy, t.randomInput("X", [b, tt, i])])  // [o i]
    let f = IR.Function(
      name: "bias", inputs: t.inputs, parameters: t.parameters,
      instructions: t.instructions, outputs: [bias, mean, weights], regions: [])
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    var results: [[Float]] = []
    for threads in [1, 2, 3] {
      var plan = LoweringPlan.heuristic(for: f, threads: threads)
      for s in plan.steps.indices { plan.steps[s].threads = threads }
      #expect(plan.steps[dy.index].materialized)
      let source = CEmitter.emit(f, plan: plan).source
      #expect(source.contains("(and the partial column sums of %\(bias.index), a row per b)"), "\(threads) threads")
      #expect(source.contains("(rows of partial sums from %\(dy.index))"), "\(threads) threads")
      let native = try GradientCheck.runNative(f, inputs: t.inputValues, parameters: [t.parameterValues["x"]!], plan: plan)
      let (difference, output) = GradientCheck.relativeDifference(native, reference, names: ["bias", "mean", "weights"])
      #expect(difference <= 1e-6, "\(threads) threads: \(output)")
      results.append(try #require(native[0].floats))
    }
    #expect(results[0] == results[1] && results[1] == results[2])
  }

  /// With fewer than 16 rows per item of the outermost axis the partial sums would reduce
  /// little: an MLP's bias gradient `Σ_b dY[b o]` (one row per `b`) or `Σ_{b t}` with `t` = 3
  /// keeps its plain sum, and matches the interpreter.
  @Test(arguments: [[257, 133], [5, 3, 133]]) func columnSumsOfFewRowsPerItemStayApart(_ sizes: [Int]) throws {
    var t = TinyFunction()
    let axes = zip(sizes.count == 2 ? ["b", "o"] : ["b", "t", "o"], sizes).map { IR.Axis($0, $1) }
    let kept = axes.dropLast().map(\.name)
    let g = t.emit(.unary(.tanh), [t.parameter("x", axes)])
    let dy = t.emit(.binary(.multiply), [g, t.randomInput("dZ", axes)])
    let bias = t.emit(.reduce(.sum, axes: kept), [dy])
    let weights = t.emit(.contract(axes: kept), [dy, t.randomInput("X", axes.dropLast() + [IR.Axis("i", 3)])])
    let f = IR.Function(
      name: "bias", inputs: t.inputs, parameters: t.parameters,
      instructions: t.instructions, outputs: [bias, weights], regions: [])
    let plan = LoweringPlan.heuristic(for: f, threads: 2)
    #expect(plan.steps[dy.index].materialized)
    #expect(!CEmitter.emit(f, plan: plan).source.contains("partial column sums"))
    let native = try GradientCheck.runNative(f, inputs: t.inputValues, parameters: [t.parameterValues["x"]!], plan: plan)
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    #expect(GradientCheck.relativeDifference(native, reference, names: ["bias", "weights"]).0 <= 1e-6)
  }

  /// A materialised elementwise value takes the order of the buffer it reads: a ReLU of a
  /// GEMM result laid out `[b o]` whose IR order is `[o b]` is written `[b o]`.
  @Test func elementwiseValuesFollowTheirSource() throws {
    var t = TinyFunction()
    let x = t.randomInput("X", [IR.Axis("b", 7), IR.Axis("i", 9)])
    let w = t.parameter("W", [IR.Axis("o", 11), IR.Axis("i", 9)])
    let h = t.emit(.contract(axes: ["i"]), [x, w])  // [b o]
    let r = t.emit(.unary(.relu), [t.emit(.transpose(order: ["o", "b"]), [h])])  // [o b]
    let f = t.function(probing: t.emit(.binary(.multiply), [r, r]))
    let plan = LoweringPlan.heuristic(for: f)
    #expect(plan.steps[r.index].materialized)
    #expect(plan.steps[r.index].loopOrder == ["b", "o"])
  }

  /// A mean-square loss over an odd-sized tensor: its sum into one number runs as sixteen
  /// lanes of partial sums when the innermost axis holds at least 32 elements, else (a short
  /// innermost axis, 4,096 elements or more) as eight interleaved partial sums; the loss's seed
  /// (a broadcast of `1/n`, read by two products) is fused into its readers rather than
  /// written out; C matches the interpreter.
  @Test(arguments: [([3, 37, 41], "sums_[lane_] += (double)"), ([37, 41, 3], "sums_[q_++ & 7] += (double)")])
  func wholeTensorSumsAndSeedBroadcasts(_ sizes: [Int], _ partialSums: String) throws {
    var t = TinyFunction()
    let axes = zip(["b", "t", "o"], sizes).map { IR.Axis($0, $1) }
    let x = t.parameter("x", axes)
    let target = t.randomInput("T", axes)
    let e = t.emit(.binary(.subtract), [x, target])
    let loss = t.emit(.reduce(.mean, axes: ["b", "t", "o"]), [t.emit(.binary(.multiply), [e, e])])
    let program = try Gradient.program(of: t.function(loss: loss))
    let f = program.function
    let plan = LoweringPlan.heuristic(for: f)
    let broadcasts = f.instructions.indices.filter {
      if case .broadcast = f.instructions[$0].op { return true }
      return false
    }
    #expect(!broadcasts.isEmpty && broadcasts.allSatisfy { !plan.steps[$0].materialized })
    #expect(CEmitter.emit(f, plan: plan).source.contains(partialSums))
    let reference = try Interpreter.run(f, inputs: t.inputValues, parameters: t.parameterValues)
    let native = try GradientCheck.runNative(program, inputs: t.inputValues, parameters: t.parameterValues)
    let (difference, output) = GradientCheck.relativeDifference(native, reference, names: program.outputs.map(\.description))
    #expect(difference <= 1e-6, "\(output)")
  }
}
