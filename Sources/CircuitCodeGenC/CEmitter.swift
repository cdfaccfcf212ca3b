import CircuitIR

/// Turns an `IR.Function` and a `LoweringPlan` into C source: one `static` function per step
/// (each with a comment giving the IR instruction and its source location), a fixed prelude,
/// and one entry function with the uniform ABI. Pure: text in, text out.
public enum CEmitter {

  /// How the numbers that are not polynomials in the sizes are written: arena offsets
  /// (sums of byte counts rounded up to 64) and the parts a step is split into (a count
  /// capped at the pool's share).
  public enum SizeForm: Sendable, Hashable {
    /// As integer literals (the offsets of `MemoryPlan`, the parts).
    case literal
    /// Computed in C from polynomial literals: each buffer's offset is the previous buffer's
    /// offset plus that buffer's byte count rounded up to 64, and the parts are
    /// `CC_MIN_(count, cap)`; every size-dependent literal left is then a polynomial in the
    /// sizes (what `CTemplate` fits). The compiler folds both when the sizes are constants.
    case symbolic
  }

  /// The C program computing `function` under `plan` (default: the heuristic plan), its arena
  /// offsets written as `arena` says.
  public static func emit(_ function: IR.Function, plan: LoweringPlan? = nil, arena: SizeForm = .literal) -> CProgram {
    let emitter = FunctionEmitter(function, plan: plan ?? .heuristic(for: function))
    emitter.sizeForm = arena
    return emitter.program()
  }
}

/// The state of emitting one function: views, steps, buffer uses and names.
final class FunctionEmitter {

  /// How arena offsets are written (every choice is resolved again, `resolve`: the symbolic
  /// form writes size-chosen kinds as regimes and reads layouts with unit axes kept).
  var sizeForm = CEmitter.SizeForm.literal {
    didSet { resolve() }
  }

  /// While a regime of a size-chosen contraction is written (`emitContractionRegimes`): its
  /// kind and the tag in its steps' names.
  var regime: (kind: ContractionStep, tag: String)? = nil

  /// The function.
  let f: IR.Function

  /// The schedule.
  let plan: LoweringPlan

  /// The affine view of each instruction's value, when it has one.
  var views: [AffineView?] = []

  /// How each contraction is emitted, decided once after the views (`resolveContractions`).
  var contractions: [ContractionStep] = []

  /// The sum whose column sums each value's step adds up, by value (`resolveColumnSums`).
  var columnSumReaders: [Int: Int] = [:]

  /// How each sum or mean read as rows of its kept elements reads its operand, by sum
  /// (`resolveColumnSumReads`).
  var columnSumReads: [Int: ColumnSumRead] = [:]

  /// Axis identifiers.
  var names = CNames()

  /// The emitted step functions, in call order.
  var steps: [String] = []

  /// The entry function's statements, in order.
  var calls: [String] = []

  /// The steps `addStep` added, for merging repeated ones (`shareRepeatedSteps`).
  var records: [StepRecord] = []

  /// The step (instruction index) at which each buffer is touched: first and last.
  var touched: [BufferName: ClosedRange<Int>] = [:]

  /// The instruction being emitted.
  var current = 0

  /// The byte size of each temporary.
  var temporaries: [Int] = []

  /// The output slot owning each materialised instruction's buffer.
  var outputSlot: [Int: Int] = [:]

  /// Floating-point operations per call.
  var flops = 0.0

  /// Window input axes whose bounds check is known to pass in the code being emitted.
  var assumeInside: Set<String> = []

  /// The constant GEMM operands `circuit_prepare` packs once, in their `cc_prepacked_` order.
  var prepacked: [PrepackedOperand] = []

  /// Values computed in place by a contraction's step (its epilogue), decided with the
  /// contractions (`resolve`): no step of their own.
  var inPlace: Set<Int> = []

  /// Sums (by instruction) whose operand's step also added its columns into per-item double
  /// partial sums (`emitElementwiseWithColumnSums`): the buffer and its rows, one per item of
  /// the operand's outermost loop axis, for the sum's step to add up.
  var columnSumPartials: [Int: (buffer: BufferName, rows: Int)] = [:]

  /// Each timed step's label (its name and IR instruction), in `CC_TIME_` index order.
  var profiled: [String] = []

  /// The buffers touched since the last step was added.
  var pendingTouches: Set<BufferName> = []

  /// Each timed step with the buffers it references, in `CC_TIME_` index order.
  var stepRecords: [CProgramStep] = []

  /// Creates an emitter.
  init(_ f: IR.Function, plan: LoweringPlan) {
    self.f = f
    self.plan = plan.validatedStreaming(for: f)
    for (k, v) in f.outputs.enumerated() where outputSlot[v.index] == nil && self.plan.steps[v.index].materialized {
      outputSlot[v.index] = k
    }
    for (i, ins) in f.instructions.enumerated() {
      var view: AffineView? = nil
      switch ins.op {
      case .input(let index, _): view = .contiguous(.input(index), ins.type)
      case .parameter(let name, _):
        let p = f.parameters.firstIndex { $0.name == name }!
        view = .contiguous(.parameter(p), ins.type)
      default:
        if self.plan.steps[i].materialized {
          view = .contiguous(.value(i), bufferType(i))
        } else if ins.operands.count == 1, let o = views[ins.operands[0].index] {
          view = o.through(ins.op, operand: f.type(of: ins.operands[0]), result: ins.type)
        }
      }
      views.append(view)
    }
    resolve()
  }

  /// Emits every step and assembles the program (with symbolic sizes, runs keep their axes
  /// of size 1: `AffineView.keepsUnitAxes`).
  func program() -> CProgram {
    AffineView.$keepsUnitAxes.withValue(sizeForm == .symbolic) { emitProgram() }
  }

  /// Emits every step and assembles the program.
  private func emitProgram() -> CProgram {
    for (i, ins) in f.instructions.enumerated() {
      current = i
      if case .gather = ins.op { emitGatherCheck(i) }
      if case .scatterAdd = ins.op { emitGatherCheck(i) }
      guard plan.steps[i].materialized, !LoweringPlan.isLeaf(ins.op), !inPlace.contains(i) else { continue }
      emitStep(i)
    }
    for (k, v) in f.outputs.enumerated() where outputSlot[v.index] != k {
      current = f.instructions.count
      emitOutputCopy(k, v.index)
    }
    return assemble()
  }

  /// Emits the step computing instruction `i` into its buffer.
  func emitStep(_ i: Int) {
    current = i
    switch f.instructions[i].op {
    case .contract(let axes):
      switch contractions[i] {
      case .gemm(let form): emitGEMM(i, form)
      case .winograd(let layout): emitWinogradConvolution(i, layout)
      case .matrixVector(let shape): emitMatrixVector(i, shape)
      case .loops: emitContractionLoops(i, axes: axes)
      case .streamedAttention(let group): emitStreamedAttention(i, group)
      case .bySize(let regimes): emitContractionRegimes(i, axes: axes, regimes)
      }
    case .reduce(let r, let axes): emitReduction(i, r, axes: axes)
    case .softmax(let axes, let log): emitSoftmax(i, axes: axes, log: log)
    case .layerNorm(let axes, let epsilon): emitLayerNorm(i, axes: axes, epsilon: epsilon)
    case .layerNormAdjoint(let axes, let epsilon): emitLayerNormAdjoint(i, axes: axes, epsilon: epsilon)
    case .softmaxAdjoint(let axes, let log): emitSoftmaxAdjoint(i, axes: axes, log: log)
    case .unwindow(let us): emitUnwindow(i, us)
    case .scatterAdd(let axis, _): emitScatterAdd(i, axis: axis)
    case .firstMaximumMask(let axes): emitFirstMaximumMask(i, axes: axes)
    case .argExtremum(let axis, let minimum): emitArgExtremum(i, axis: axis, minimum: minimum)
    // The ops `LoweringPlan.isElementLoop` names.
    case .constant, .arange, .causal, .unary, .binary, .select, .compare, .logic, .convert, .merge, .split,
      .rename, .transpose, .concat, .slice, .index, .gather, .window, .broadcast, .place:
      emitElementwise(i)
    case .input, .parameter:
      break  // leaves live in the caller's memory: no step (`program` skips them)
    }
  }

  // MARK: - Buffers

  /// Records that the current step touches `buffer`.
  func touch(_ buffer: BufferName) {
    let r = touched[buffer].map { min($0.lowerBound, current)...max($0.upperBound, current) }
    touched[buffer] = r ?? current...current
    pendingTouches.insert(buffer)
  }

  /// A new temporary of `bytes` bytes used by the current step.
  func temporary(bytes: Int) -> BufferName {
    temporaries.append(bytes)
    let t = BufferName.temporary(temporaries.count - 1)
    touch(t)
    return t
  }

  /// The type of materialised value `i` with its axes in buffer order
  /// (`LoweringPlan.bufferOrder`: the plan's layout, or the value's own order for outputs and
  /// when the plan gives none).
  func bufferType(_ i: Int) -> IR.TensorType {
    let t = f.instructions[i].type
    return t.with(axes: plan.bufferOrder(of: i, in: f).map { t.axis($0)! })
  }

  /// The C expression naming `buffer` (a macro defined in the buffer table).
  func pointer(_ buffer: BufferName) -> String {
    touch(buffer)
    switch buffer {
    case .input(let i): return "in\(i)_"
    case .parameter(let i): return "p\(i)_"
    case .value(let i): return "v\(i)_"
    case .temporary(let i): return "tmp\(i)_"
    }
  }

  /// The C element type of values of type `t`.
  static func cType(_ t: IR.TensorType) -> String {
    switch t.element {
    case .float32: "float"
    case .int32: "int32_t"
    case .bool: "uint8_t"
    }
  }

  // MARK: - Text

  /// `/* %i = op operands : type  // file:line:col */`, with `note` after the location, and a
  /// line `fused: %j = …` for every instruction the step computes inline (not materialised,
  /// reached from the operands through other fused instructions).
  func header(_ i: Int, note: String = "") -> String {
    var lines = [describe(i) + note]
    lines += fusedOperands(of: i).map { "   fused: " + describe($0) }
    return "/* " + lines.map(CNames.commentText).joined(separator: "\n") + " */\n"
  }

  /// `%i = op operands : type  // file:line:col`.
  func describe(_ i: Int) -> String {
    let ins = f.instructions[i]
    let operands = ins.operands.map(\.description).joined(separator: ", ")
    let (l, c) = ins.site.lineAndColumn
    return "%\(i) = \(ins.op.text)\(operands.isEmpty ? "" : " " + operands) : \(ins.type)"
      + "  // \(ins.site.file.name):\(l):\(c)"
  }

  /// The instructions fused into step `i`'s loops, latest first: its operands that have no
  /// buffer (and are not inputs or parameters), their such operands, and so on.
  func fusedOperands(of i: Int) -> [Int] {
    var found: Set<Int> = []
    var stack = f.instructions[i].operands.map(\.index)
    while let o = stack.popLast() {
      let op = f.instructions[o].op
      guard !plan.steps[o].materialized, !LoweringPlan.isLeaf(op), found.insert(o).inserted else { continue }
      stack += f.instructions[o].operands.map(\.index)
    }
    return found.sorted(by: >)
  }

  /// Adds a step function named `name` with `body` (indented by two spaces) and its call,
  /// its work shared by the pool as `sharing` says.
  func addStep(_ name: String, comment: String, body: String, sharing: Sharing) {
    let name = regime.map { name.replacingOccurrences("step\(current)_", "step\(current)_\($0.tag)_") } ?? name
    steps.append(functionText(name, comment: comment, body: body))
    let parts = sharing.parts(threads: plan.threads)
    // With symbolic sizes a shared step goes through the pool even when it has one part at
    // these sizes (it has more at others; the pool runs one part on the caller).
    let pooled = parts > 1 || (sizeForm == .symbolic && plan.threads > 1 && sharing != .serial)
    let partsArgument = pooled ? callPartsText(sharing) : nil
    let call = partsArgument.map { "cc_parallel_(\(name), ctx, \($0))" } ?? "\(name)(ctx, 0, 1, 0)"
    // The label is the comment's first line: the step's own instruction.
    var label = String(comment.prefix { $0 != "\n" })
    if label.hasPrefix("/* ") { label = String(label.dropFirst(3)) }
    if label.hasSuffix(" */") { label = String(label.dropLast(3)) }
    records.append(
      StepRecord(
        function: steps.count - 1, call: calls.count, name: name, comment: comment, body: body, parts: parts,
        partsArgument: partsArgument, timer: profiled.count))
    calls.append("CC_TIME_(\(profiled.count), \(call));")
    profiled.append(name + ": " + label)
    stepRecords.append(stepRecord(label: name + ": " + label))
    pendingTouches = []
  }

  /// The text of step function `name` under `comment`.
  func functionText(_ name: String, comment: String, body: String) -> String {
    var w = CWriter()
    w.raw(comment)
    w.block("CC_STEP_ void \(name)(const cc_ctx_* ctx, int part_, int parts_, int thread_)") { w in
      w.line("(void)ctx; (void)part_; (void)parts_; (void)thread_;")
      w.raw(body)
    }
    return w.text
  }

  /// Loops over `axes` (outermost first) around `body`; the outermost loop is split across
  /// threads when `split` is set. Returns text indented by `indent` levels.
  func loops(_ axes: [IR.Axis], split: Bool, indent: Int, body: (Int) -> String) -> String {
    var out = ""
    var level = indent
    // Split the outermost axis with at least one item per thread (leading axes of size 1
    // would leave every thread but one idle); its range is computed before the loops.
    let inC = split && splitsInC(axes)
    let splitAt = split && !inC ? splitAxis(axes) : -1
    if inC {
      out += splitChoiceText(axes, pad: String(repeating: "  ", count: level))
    } else if split, !axes.isEmpty {
      let pad = String(repeating: "  ", count: level)
      out += pad + "long lo_, hi_;\n" + pad + "cc_split_(\(axes[splitAt].size), 1, part_, parts_, &lo_, &hi_);\n"
    }
    for (n, a) in axes.enumerated() {
      let v = names.axis(a.name)
      let pad = String(repeating: "  ", count: level)
      if n == splitAt {
        out += pad + "for (long \(v) = lo_; \(v) < hi_; ++\(v))\n"
      } else if inC {
        out += pad + "for (long \(v) = lo_[\(n)]; \(v) < hi_[\(n)]; ++\(v))\n"
      } else {
        out += pad + "for (long \(v) = 0; \(v) < \(a.size); ++\(v))\n"
      }
      level += 1
    }
    if axes.isEmpty { return body(level) }
    return out + body(level)
  }

  /// The position in `axes` of the axis `loops` splits: the outermost with at least one item
  /// per thread (leading axes of size 1 would leave every thread but one idle).
  func splitAxis(_ axes: [IR.Axis]) -> Int {
    axes.firstIndex { $0.size >= plan.threads } ?? 0
  }

  /// How a step splitting the loops over `axes` (when `split`) is shared by the pool.
  func sharing(_ axes: [IR.Axis], split: Bool) -> Sharing {
    guard split, !axes.isEmpty else { return .serial }
    if splitsInC(axes) { return .firstWide(axes.map(\.size)) }
    return .items(axes[splitAxis(axes)].size)
  }

  /// The loop variable of each axis of `axes`.
  func indices(_ axes: [IR.Axis]) -> [String: String] {
    var m: [String: String] = [:]
    for a in axes { m[a.name] = names.axis(a.name) }
    return m
  }

  /// `Σ index · stride` for a contiguous value of type `t` (its own loop variables).
  func linear(_ t: IR.TensorType, _ idx: [String: String], offset: Int = 0) -> String {
    var terms: [String] = writes(offset: offset) ? ["\(offset)"] : []
    var s = 1
    var parts: [String] = []
    for a in t.axes.reversed() {
      if keeps(a) { parts.append(scaled(idx[a.name]!, s)) }
      s *= a.size
    }
    terms += parts.reversed()
    return terms.isEmpty ? "0" : terms.joined(separator: " + ")
  }
}

extension String {

  /// The string with every `target` replaced by `replacement`.
  func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
