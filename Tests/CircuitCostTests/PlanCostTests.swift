import CircuitAutodiff
import CircuitCodeGenC
import CircuitCost
import CircuitIR
import CircuitTestSupport
import Testing

/// The C plan's view: bytes per step derived by hand, and the arithmetic of the steps equal
/// to the instance tree's.
@Suite struct PlanCostTests {

  @Test func linearMapReadsItsOperandsAndWritesItsResultOnce() throws {
    let a = try CostFixture.analyse("Tests/CircuitCostTests/Programs/linear.circuit", symbolic: false)
    let p = PlanCost.heuristic(a.function)
    let (b, i, o) = (3, 5, 7)
    let contraction = try #require(p.steps.first { $0.instruction.map { a.function.instructions[$0].op.isContraction } ?? false })
    #expect(contraction.cost.flops == 2 * b * i * o)
    #expect(contraction.readBytes == 4 * b * i + 4 * i * o)  // X and W, once each
    #expect(contraction.writtenBytes == 4 * b * o)
    #expect(p.inputBytes == 4 * b * i && p.parameterBytes == 4 * i * o && p.outputBytes == 4 * b * o)
  }

  @Test func attentionMaterialisesTheScoresOnce() throws {
    // Q·K writes the scores (b·y·x floats) and softmax reads them back: the bytes the Napkin
    // model's "materialised scores" algorithm moves.
    let a = try CostFixture.analyse("examples/attention.circuit", symbolic: false)
    let p = PlanCost.heuristic(a.function)
    let (b, y, x) = (2, 20, 22)
    let softmax = try #require(p.steps.first { s in
      s.computed.contains { if case .softmax = a.function.instructions[$0].op { true } else { false } }
    })
    #expect(softmax.readBytes >= 4 * b * y * x)
    #expect(softmax.writtenBytes == 4 * b * y * x)
  }

  static let examples = PackagePaths.files(under: "examples", extension: "circuit")

  @Test(arguments: examples) func stepsDoTheTreesArithmetic(_ path: String) throws {
    let a = try CostFixture.analyse(path, symbolic: false)
    let plan = LoweringPlan.heuristic(for: a.function)
    let program = CEmitter.emit(a.function, plan: plan)
    let p = PlanCost(a.function, program: program)
    // Fused values used by several steps are computed by each: never less arithmetic.
    #expect(p.total.cost.flops >= a.concrete.nodes[0].total.flops, "\(path)")
    #expect(p.total.cost.transcendentals >= a.concrete.nodes[0].total.transcendentals, "\(path)")
    #expect(p.peakBytes == program.peakBytes)
    #expect(p.steps.flatMap(\.timers) == Array(program.steps.indices))
    // Every step that computes writes something, and reads no more than all memory there is.
    let all = p.inputBytes + p.parameterBytes + p.unsharedBytes + p.outputBytes
    for s in p.steps {
      #expect(s.writtenBytes > 0, "\(path) \(s.label)")
      #expect(s.readBytes <= all, "\(path) \(s.label)")
    }
  }
}

extension PlanCostTests {
  @Test func softmaxAndGeluStepsCountTheirMeasuredTranscendentals() throws {
    // Attention: one branch-free exponential per score, b·y·x; no erf.
    let a = try CostFixture.analyse("examples/attention.circuit", symbolic: false)
    let p = PlanCost.heuristic(a.function)
    #expect(p.steps.map(\.exponentials).reduce(0, +) == 2 * 20 * 22)
    #expect(p.steps.map(\.errorFunctions).reduce(0, +) == 0)
    // A BERT layer (t = 128, h = 12, f = 1536): softmax over h·t·t scores, GELU over t·f
    // hidden values.
    let bert = try CostFixture.analyse("bench/bert_layer.circuit", symbolic: false)
    let q = PlanCost.heuristic(bert.function)
    let (t, h, f) = (128, 12, 1536)
    #expect(q.steps.map(\.exponentials).reduce(0, +) == h * t * t)
    #expect(q.steps.map(\.errorFunctions).reduce(0, +) == t * f)
  }
}

extension PlanCostTests {
  /// In BERT's gradient program at batch 2 and 16 tokens, a bias gradient added up by its
  /// operand's step (the resolved plan's `columnSums`) is counted there: the sum's own step
  /// reads only the partial sums (a row of doubles per item), none of its operand's buffer,
  /// and the program's arithmetic is the same as without the fusion.
  @Test func fusedColumnSumsAreCountedInTheirOperandsStep() throws {
    let forward = try LoweredProgram.lower("bench/train_bert.circuit", sizes: [("b", 2), ("t", 16), ("m", 64), ("h", 4), ("f", 128)])
    let f = try Gradient.program(of: forward).function
    let plan = LoweringPlan.heuristic(for: f)
    let fused = plan.resolved(for: f).steps.indices.compactMap { x in plan.resolved(for: f).steps[x].columnSums.map { (x, $0) } }
    #expect(!fused.isEmpty)
    var off = plan
    for x in off.steps.indices { off.steps[x].columnSums = nil }
    let (with, without) = (PlanCost(f, program: CEmitter.emit(f, plan: plan)), PlanCost(f, program: CEmitter.emit(f, plan: off)))
    #expect(with.total.cost.flops == without.total.cost.flops)
    for (x, j) in fused {
      let operand = 4 * f.instructions[x].type.count
      let sum = try #require(with.steps.first { $0.instruction == j })
      let plain = try #require(without.steps.first { $0.instruction == j })
      #expect(sum.readBytes == 8 * 2 * f.instructions[j].type.count, "a row of doubles per item of b")
      #expect(plain.readBytes >= operand && sum.cost.flops == 0)
      let step = try #require(with.steps.first { $0.instruction == x })
      let alone = try #require(without.steps.first { $0.instruction == x })
      #expect(step.cost.flops == alone.cost.flops + plain.cost.flops)
      #expect(step.columnSums == j && sum.partialSumsOf == x && alone.columnSums == nil && plain.partialSumsOf == nil)
    }
  }
}
