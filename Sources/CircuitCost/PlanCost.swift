import CircuitCodeGenC
import CircuitIR

/// The C plan's view of a function's cost: per timed step of the generated program, the
/// arithmetic it performs (its own instruction and every fused value it computes inline) and
/// the bytes it must move between memory and the core given what the plan fuses and what it
/// materialises; with the arena's peak.
///
/// Bytes are compulsory traffic: every materialised source (an input, a parameter, an arena
/// buffer) a step reads counts once at its size, capped by what a gather, index or slice
/// selects from it, and every buffer it writes once. Caches can only add to this (re-reads),
/// so bytes ÷ bandwidth bounds a step's time from below. Scratch (packed panels, padded
/// copies) is listed apart: it is the step's own working memory, usually cache-resident.
public struct PlanCost: Sendable {

  /// One step of the program: an instruction's timed steps (packing its operands, then
  /// computing it) or a copy into an output slot.
  public struct Step: Sendable {
    /// The label of the computing timer (`circuit_profile`'s).
    public let label: String
    /// The timers' indices in `circuit_profile`'s order (packing steps first).
    public let timers: [Int]
    /// The instruction computed; nil for a copy into an output slot.
    public let instruction: Int?
    /// The instructions computed inline (fused) by this step, its own first.
    public let computed: [Int]
    /// The threads sharing the step (the plan's; 1 for an output copy).
    public let threads: Int
    /// The arithmetic of those instructions.
    public let cost: Cost<Int>
    /// Whether the contraction runs by Winograd's F(2×2, 3×3), which multiplies 2.25× less
    /// than the FLOPs counted (the count is the algorithm's, not the schedule's).
    public let winograd: Bool
    /// Whether the step is an attention group streamed with an online softmax (its scores
    /// never materialised): its IO model is `NapkinIO`'s attention, not a generic group's.
    public let streamedAttention: Bool
    /// Calls of the C backend's branch-free exponential (softmax's `cc_exp_nonpositive_`)
    /// and erf (GELU's `cc_erf_`), whose throughput the machine model measures; other
    /// transcendentals go to libm and bound nothing.
    public let exponentials: Int, errorFunctions: Int
    /// What the step reads: per source value, the instruction whose element count it reads
    /// (the source itself, or the gather, index or slice that selects from it), by source.
    public let reads: [Extent]
    /// The values it writes (its own, an in-place epilogue's, or the output copied).
    public let writes: [Int]
    /// Compulsory bytes read.
    public let readBytes: Int
    /// Bytes written.
    public let writtenBytes: Int
    /// Bytes of scratch memory the step uses.
    public let scratchBytes: Int
    /// The sum whose column sums the step adds up as it writes its value (the resolved plan's
    /// `columnSums`): that sum's arithmetic is counted here.
    public let columnSums: Int?
    /// For a sum added up by its operand's step: that operand; the step only adds the rows of
    /// partial sums it left (scratch), and its arithmetic is counted there.
    public let partialSumsOf: Int?

    /// Bytes moved: read plus written.
    public var bytes: Int { readBytes + writtenBytes }

    /// FLOPs per byte moved (0 when nothing moves).
    public var intensity: Double { bytes == 0 ? 0 : Double(cost.flops) / Double(bytes) }
  }

  /// The elements of `value` a step reads: as many as instruction `elements` has (the value
  /// itself, or what a gather, index or slice selects), each `value`'s element width.
  public struct Extent: Sendable, Equatable {
    /// The source read.
    public let value: Int
    /// The instruction whose element count is read.
    public let elements: Int
  }

  /// The arena's buffers: value `value` (or scratch, nil) of `bytes`, live from step `first`
  /// through step `last` (indices into `steps`: a contraction's packing and computing timers
  /// are one step, as they are one step of the arena's lifetimes).
  public struct ArenaBuffer: Sendable {
    /// The instruction whose value it holds; nil for a step's scratch.
    public let value: Int?
    /// For scratch: a value its step references with the same bytes (a packed copy of it).
    public let copyOf: Int?
    /// Its bytes.
    public let bytes: Int
    /// The first and last step referencing it.
    public let first: Int, last: Int
  }

  /// The steps in the program's order.
  public let steps: [Step]

  /// The arena's bytes at peak (intermediate buffers under reuse by liveness).
  public let peakBytes: Int

  /// The intermediate buffers' bytes without reuse.
  public let unsharedBytes: Int

  /// The buffers the arena holds, with their lifetimes.
  public let arena: [ArenaBuffer]

  /// The bytes of the inputs, the parameters and the outputs (caller memory, outside the arena).
  public let inputBytes: Int, parameterBytes: Int, outputBytes: Int

  /// The cost of `program`, generated from `f`, under the plan it was emitted with
  /// (`CProgram.plan`: its in-place epilogues and the sums added up by their operands' steps).
  public init(_ f: IR.Function, program: CProgram) {
    let costs = CostTree<Int>(concrete: f).instructionCosts
    let plan = program.plan
    var partialSumsOf: [Int: Int] = [:]
    for (x, step) in plan.steps.enumerated() { if let j = step.columnSums { partialSumsOf[j] = x } }
    // Copies into output slots come last, one per output not computed in place (an output
    // that is not materialised, or a second use of one), in output order.
    var copies = f.outputs.enumerated().filter { k, v in
      !(plan.steps[v.index].materialized && f.outputs.firstIndex(of: v) == k)
    }.map(\.element.index)[...]
    var groups: [[Int]] = []
    for (k, s) in program.steps.enumerated() {
      if let last = groups.last?.last, s.instruction != nil, program.steps[last].instruction == s.instruction {
        groups[groups.count - 1].append(k)
      } else {
        groups.append([k])
      }
    }
    steps = groups.map { timers in
      let s = program.steps[timers.last!]
      let buffers = timers.flatMap { program.steps[$0].buffers }
      let winograd = s.instruction.map { i in timers.contains { program.steps[$0].label.hasPrefix("step\(i)_kernels_") } } ?? false
      return PlanCost.step(
        s, timers: timers, winograd: winograd, buffers: buffers, copying: s.instruction == nil ? copies.popFirst() : nil, f, plan, partialSumsOf, costs)
    }
    (peakBytes, unsharedBytes) = (program.peakBytes, program.unsharedBytes)
    arena = PlanCost.arena(program, groups: groups, f, plan)
    inputBytes = f.inputs.map { PlanCost.bytes($0.type) }.reduce(0, +)
    parameterBytes = f.parameters.map { PlanCost.bytes($0.type) }.reduce(0, +)
    outputBytes = f.outputs.map { PlanCost.bytes(f.type(of: $0)) }.reduce(0, +)
  }

  /// The cost of `f` under the C backend's default plan for `threads` threads.
  public static func heuristic(_ f: IR.Function, threads: Int = 2) -> PlanCost {
    PlanCost(f, program: CEmitter.emit(f, plan: .heuristic(for: f, threads: threads)))
  }

  /// The totals over all steps.
  public var total: (cost: Cost<Int>, readBytes: Int, writtenBytes: Int) {
    steps.reduce((Cost<Int>.zero, 0, 0)) { ($0.0 + $1.cost, $0.1 + $1.readBytes, $0.2 + $1.writtenBytes) }
  }

  /// The bytes of a dense buffer of type `t`.
  static func bytes(_ t: IR.TensorType) -> Int { max(1, t.count) * t.elementWidth }

  /// Accounts one program step under the plan as emitted (`partialSumsOf`: for each sum its
  /// operand's step adds up, that operand).
  static func step(
    _ s: CProgramStep, timers: [Int], winograd: Bool, buffers: [CProgramStep.Buffer], copying: Int?, _ f: IR.Function,
    _ plan: LoweringPlan, _ partialSumsOf: [Int: Int], _ costs: [Cost<Int>]
  ) -> Step {
    // Roots: the step's instruction and an in-place epilogue it finishes; an output copy
    // computes its value inline.
    var roots: [Int] = []
    if let i = s.instruction {
      roots.append(i)
      if let e = plan.steps[i].epilogue { roots.append(e) }
    } else if let v = copying {
      roots.append(v)
    }
    let written = roots.map { bytes(f.instructions[$0].type) }.reduce(0, +)
    var computed: [Int] = []
    var read: [Int: Extent] = [:]  // source instruction → the extent read
    func readBytes(_ e: Extent) -> Int { f.instructions[e.elements].type.count * f.instructions[e.value].type.elementWidth }
    /// `cap`: the instruction whose element count bounds what is read (a selection's).
    func visit(_ v: Int, cap: Int?, isRoot: Bool) {
      let ins = f.instructions[v]
      let source = !isRoot && (LoweringPlan.isLeaf(ins.op) || plan.steps[v].materialized)
      if source {
        let full = bytes(ins.type)
        let capped = cap.flatMap { c in f.instructions[c].type.count * ins.type.elementWidth < full ? Extent(value: v, elements: c) : nil }
        let extent = capped ?? Extent(value: v, elements: v)
        if read[v].map({ readBytes($0) < readBytes(extent) }) ?? true { read[v] = extent }
        return
      }
      if !computed.contains(v) { computed.append(v) }
      for (k, o) in ins.operands.enumerated() {
        let selects: Bool
        switch ins.op {
        case .gather, .index, .slice: selects = k == 0
        default: selects = false
        }
        let next = selects && (cap.map { f.instructions[$0].type.count > ins.type.count } ?? true) ? v : cap
        visit(o.index, cap: next, isRoot: false)
      }
    }
    // A sum whose operand's step added up its columns reads those partial sums (scratch), not
    // its operand, and its additions are counted in that step (the rows of partial sums it
    // adds at the end, one per item of the outermost axis, are not counted).
    let summedBy = s.instruction.flatMap { partialSumsOf[$0] }
    if let j = s.instruction, summedBy != nil {
      computed = [j]
    } else {
      for r in roots { visit(r, cap: nil, isRoot: s.instruction != nil) }
    }
    let moved = s.instruction.flatMap { plan.steps[$0].columnSums }.map { [$0] } ?? []
    let cost = summedBy != nil ? Cost<Int>.zero : (computed + moved).reduce(Cost<Int>.zero) { $0 + costs[$1] }
    let calls = computed.map { measuredTranscendentals(f.instructions[$0]) }
    let scratch = buffers.filter { $0.kind == .scratch }.reduce(into: [Int: Int]()) { $0[$1.index] = $1.bytes }
      .values.reduce(0, +)
    return Step(
      label: s.label, timers: timers, instruction: s.instruction, computed: computed,
      threads: s.instruction.map { plan.steps[$0].threads } ?? 1, cost: cost, winograd: winograd,
      streamedAttention: s.instruction.map { plan.steps[$0].contraction == .streamedAttention } ?? false,
      exponentials: calls.map(\.exp).reduce(0, +), errorFunctions: calls.map(\.erf).reduce(0, +), 
      reads: read.keys.sorted().map { read[$0]! }, writes: roots,
      readBytes: summedBy != nil ? scratch : read.values.map(readBytes).reduce(0, +), writtenBytes: written,
      scratchBytes: scratch, columnSums: moved.first, partialSumsOf: summedBy)
  }

  /// The calls of the branch-free exponential and erf computing `ins` makes: one exponential
  /// per element of a softmax (a log-softmax calls libm's), one erf per element of a GELU.
  static func measuredTranscendentals(_ ins: IR.Instruction) -> (exp: Int, erf: Int) {
    if case .softmax(_, false) = ins.op { return (ins.type.count, 0) }
    if case .unary(.gelu) = ins.op { return (0, ins.type.count) }
    return (0, 0)
  }

  /// The arena's buffers of `program`: every value buffer that is not an input, a parameter
  /// or an output slot, and every scratch buffer, with the steps (`groups` of timers) that
  /// reference it.
  static func arena(_ program: CProgram, groups: [[Int]], _ f: IR.Function, _ plan: LoweringPlan) -> [ArenaBuffer] {
    let slots = Set(f.outputs.enumerated().filter { k, v in plan.steps[v.index].materialized && f.outputs.firstIndex(of: v) == k }.map(\.element.index))
    var lives: [String: (value: Int?, copyOf: Int?, bytes: Int, first: Int, last: Int)] = [:]
    for (t, timers) in groups.enumerated() {
      let buffers = timers.flatMap { program.steps[$0].buffers }
      for b in buffers {
        let key: String
        switch b.kind {
        case .input, .parameter: continue
        case .value:
          guard !slots.contains(b.index), !LoweringPlan.isLeaf(f.instructions[b.index].op) else { continue }
          key = "v\(b.index)"
        case .scratch: key = "s\(b.index)"
        }
        let old = lives[key]
        let copyOf = b.kind == .scratch ? buffers.first { $0.kind == .value && $0.bytes == b.bytes }?.index : nil
        lives[key] = (b.kind == .value ? b.index : nil, old?.copyOf ?? copyOf, b.bytes, old?.first ?? t, t)
      }
    }
    return lives.values.sorted { ($0.first, $0.value ?? -1) < ($1.first, $1.value ?? -1) }.map {
      ArenaBuffer(value: $0.value, copyOf: $0.copyOf, bytes: $0.bytes, first: $0.first, last: $0.last)
    }
  }
}
