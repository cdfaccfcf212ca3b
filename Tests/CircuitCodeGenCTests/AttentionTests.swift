import CircuitDriver
import CircuitIR
import CircuitInterpreter
import CircuitNative
import CircuitPipeline
import CircuitTestSupport
import TensorRuntime
import Testing

@testable import CircuitCodeGenC

/// Streamed attention: an attention group lowered to one step that streams blocks of keys
/// through the cache with an online softmax gives the interpreter's numbers, and the
/// heuristic picks it for long sequences only, where it keeps the arena linear in length.
@Suite struct AttentionTests {

  /// The test program: plain, masked (16-wide values, read in place) and causal attention at
  /// odd sizes (37 queries, 300 keys: one full block of 256 and a ragged 44, 3 heads of 5).
  static let shapes = "Tests/CircuitCodeGenCTests/Programs/attention_shapes.circuit"

  /// The additive mask of the test program: batch item 0 drops (-inf) its whole first block
  /// of 256 keys and its last 10 keys, item 1 drops every key (softmax of an all -inf row is
  /// 0, so its output is 0).
  static func mask(_ f: IR.Function) throws -> Tensor {
    let shape = f.inputs[4].type.axes.map(\.size)
    let (b, x) = (shape[0], shape[1])
    return try Tensor(
      shape: shape, floats: (0..<b * x).map { $0 / x == 1 || $0 % x < 256 || $0 % x >= x - 10 ? -.infinity : 0 })
  }

  /// Every group of the test program is recognised and streamed by the `streamed` preset; the
  /// native outputs (1 and 3 threads, 3 threads splitting every batch item's query blocks)
  /// match the interpreter's.
  @Test func streamedPlanMatchesInterpreter() throws {
    let f = try LoweredProgram.lower(AttentionTests.shapes)
    #expect(LoweringPlan.attentionGroups(f).count == 3)
    var inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 5) }
    inputs[4] = try AttentionTests.mask(f)
    let reference = try Interpreter.run(f, inputs: inputs, parameters: [:])
    let compiler = CCompiler(CompilerEnvironment.configuration)
    for threads in [1, 3] {
      let plan = LoweringPlan.preset(.streamed, for: f, threads: threads)
      #expect(plan.steps.filter { $0.contraction == .streamedAttention }.count == 3)
      let program = CEmitter.emit(f, plan: plan)
      #expect(program.source.components(separatedBy: "cc_attention_rows_(&a_").count == 4)
      let outputs = try NativeModel(program, outputs: f.outputSpecs, compiler: compiler).run(inputs: inputs, parameters: [])
      PlanTests.expectClose(reference, outputs, "streamed, \(threads) thread(s): ")
      // The fully masked batch item gives zeros, as the materialised softmax does.
      let masked = try #require(outputs[1].floats)
      let second = masked.suffix(masked.count / 2)
      #expect(second.allSatisfy { $0 == 0 })
    }
  }

  /// Scores that rise by more than the kernel's slack from one block of keys to the next
  /// (keys 256… score about 22 above the first block's) make it recompute the block with the
  /// new maximum: still the interpreter's numbers.
  @Test func risingScoresAreRescaled() throws {
    let f = try LoweredProgram.lower(AttentionTests.shapes)
    var inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 7) }
    inputs[0] = try Tensor(shape: inputs[0].shape, floats: [Float](repeating: 1, count: inputs[0].shape.reduce(1, *)))
    let k = inputs[1].shape  // [b x h k]
    inputs[1] = try Tensor(
      shape: k, floats: (0..<k.reduce(1, *)).map { i in (i / (k[2] * k[3])) % k[1] >= 256 ? 10 + Float(i % 7) * 0.1 : Float(i % 5) * 0.1 })
    inputs[4] = try AttentionTests.mask(f)
    let reference = try Interpreter.run(f, inputs: inputs, parameters: [:])
    let program = CEmitter.emit(f, plan: .preset(.streamed, for: f, threads: 1))
    let outputs = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
      .run(inputs: inputs, parameters: [])
    PlanTests.expectClose(reference, outputs, "rising scores: ")
  }

  /// A NaN score makes its query's output NaN (the materialised softmax's row is NaN).
  @Test func nanScoresPropagate() throws {
    let f = try LoweredProgram.lower(AttentionTests.shapes)
    var inputs = try f.inputs.indices.map { try InputGenerator.generate(f, input: $0, seed: 6) }
    var q = try #require(inputs[0].floats)
    q[0] = .nan  // batch 0, head 0, query 0
    inputs[0] = try Tensor(shape: inputs[0].shape, floats: q)
    let program = CEmitter.emit(f, plan: .preset(.streamed, for: f, threads: 1))
    let outputs = try NativeModel(program, outputs: f.outputSpecs, compiler: CCompiler(CompilerEnvironment.configuration))
      .run(inputs: inputs, parameters: [])
    let o = try #require(outputs[0].floats)
    let (first, next) = (o[0..<5], o[5..<10])
    #expect(first.allSatisfy { $0.isNaN }, "query 0 is NaN")
    #expect(next.allSatisfy { !$0.isNaN }, "query 1 is not")
  }

  /// The BERT-style layer: the materialised scores at 128 tokens, streamed from 512; the
  /// streamed layer's arena grows linearly in the sequence length (the scores, quadratic,
  /// are gone), and the plan's contraction kinds resolve to themselves.
  @Test func heuristicStreamsLongSequences() throws {
    let layer = "bench/bert_layer.circuit"
    let short = try LoweredProgram.lower(layer, sizes: [("t", 128)])
    #expect(!LoweringPlan.heuristic(for: short).steps.contains { $0.contraction == .streamedAttention })
    var arena: [Int] = []
    for t in [512, 1024] {
      let f = try LoweredProgram.lower(layer, sizes: [("t", t)])
      let plan = LoweringPlan.heuristic(for: f)
      #expect(plan.steps.filter { $0.contraction == .streamedAttention }.count == 1, "t = \(t)")
      #expect(plan.resolved(for: f).steps.map(\.contraction) == plan.steps.map(\.contraction))
      let streamed = CEmitter.emit(f, plan: plan).peakBytes
      let materialised = CEmitter.emit(f, plan: .preset(.loops, for: f)).peakBytes
      #expect(streamed + 4 * 12 * t * t <= materialised, "t = \(t): \(streamed) vs \(materialised) bytes")
      arena.append(streamed)
    }
    #expect(arena[1] <= 2 * arena[0] + 65536, "linear in t: \(arena)")
  }

  /// A plan marking a contraction streamed where no attention group ends is repaired before
  /// emission (a loop nest; contractions and softmaxes outside a group keep their buffers).
  @Test func invalidStreamingIsRepaired() throws {
    let f = try LoweredProgram.lower("examples/mlp.circuit")
    var plan = LoweringPlan.heuristic(for: f)
    let contraction = try #require(f.instructions.indices.first { if case .contract = f.instructions[$0].op { true } else { false } })
    plan.steps[contraction].contraction = .streamedAttention
    plan.steps[contraction].materialized = false
    let repaired = plan.resolved(for: f)
    #expect(repaired.steps[contraction].contraction == .loops)
    #expect(repaired.steps[contraction].materialized)
  }
}
