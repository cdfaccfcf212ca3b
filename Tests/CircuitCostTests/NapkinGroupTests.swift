import CircuitCodeGenC
import CircuitCost
import Testing

/// The Napkin IO model of the C plan's fused groups and chains, against hand-derived
/// transfers.
@Suite struct NapkinGroupTests {

  /// The MLP at b = 64, f = g = 256 with M = 4,096 words (16 KiB). Step 1 is fc2's contraction
  /// with fc1's bias and ReLU fused into its operand: relu(H1 + b1)·W2, H1 [b f], b1 [f],
  /// W2 [f g]. Keeping a tm×tn tile of the result and streaming f:
  ///   H1 has the rows but not the columns: read once per column of tiles, b·f·⌈g/tn⌉;
  ///   W2 has the columns but not the rows: once per row of tiles, f·g·⌈b/tm⌉;
  ///   b1 has neither: once per tile, f·⌈b/tm⌉·⌈g/tn⌉; the result is written once, b·g.
  @Test func fusedMatmulBiasReluGroup() throws {
    let (b, f, g, M) = (64, 256, 256, 4096)
    let a = try CostFixture.analyse("examples/mlp.circuit", sizes: [("b", b), ("f", f), ("g", g)], symbolic: false)
    let p = PlanCost.heuristic(a.function)
    let groups = NapkinGroups(p, function: a.function, fastMemoryBytes: 4 * M)
    let group = try #require(groups.groups.first { $0.step == 1 })
    #expect(group.kind == .contraction && (group.batch, group.m, group.n, group.k) == (1, b, g, f))
    #expect(group.terms.once == b * g && group.terms.perColumn == b * f)
    #expect(group.terms.perRow == f * g && group.terms.perTile == f)
    func T(_ tm: Int, _ tn: Int) -> Int {
      let (rows, columns) = ((b + tm - 1) / tm, (g + tn - 1) / tn)
      return b * g + b * f * columns + f * g * rows + f * rows * columns
    }
    var best = Int.max
    for tm in 1...b { for tn in 1...g where tm * tn + tm + tn <= M { best = min(best, T(tm, tn)) } }
    #expect(group.streamed == best)
    #expect(T(group.tile.m, group.tile.n) == best && group.tile.m * group.tile.n + group.tile.m + group.tile.n <= M)
    let compulsory = b * g + b * f + f * g + f
    #expect(group.compulsory == compulsory)
    let hongKung = Int((2.0 * Double(b * g * f) / Double(M).squareRoot()).rounded(.down))
    #expect(group.lowerBound == max(compulsory, hongKung) && group.lowerBound <= group.streamed)
  }

  /// The chain fc2 → ReLU → fc3 through fast memory: a block of tm rows of relu(H2 + b2)
  /// stays resident while H2's columns stream one at a time. H1 (b·f) and the logits are
  /// read and written once; W2, b1, b2, W3, b3 once per row block (the materialised H2 is
  /// gone). Block: tm·(f + k + 1) + f + k ≤ M.
  @Test func chainOfContractionsKeepsTheIntermediateInFastMemory() throws {
    let (b, f, g, k, M) = (64, 256, 256, 10, 4096)
    let a = try CostFixture.analyse("examples/mlp.circuit", sizes: [("b", b), ("f", f), ("g", g), ("k", k)])
    let p = PlanCost.heuristic(a.function)
    let groups = NapkinGroups(p, function: a.function, fastMemoryBytes: 4 * M, symbolic: a.symbolic)
    let chain = try #require(groups.chains.first { $0.first == 1 && $0.second == 2 })
    #expect((chain.m, chain.k, chain.n) == (b, f, k))
    #expect(chain.once == b * f + b * k)
    #expect(chain.perBlock == f * g + f + g * k + g)
    let block = (M - f - k) / (f + k + 1)
    #expect(chain.block == block)
    #expect(chain.streamed == b * f + b * k + ((b + block - 1) / block) * (f * g + f + g * k + g))
    // As planned, both steps at their best tiles (H2 written, then read back).
    let planned = groups.groups.filter { $0.step == 1 || $0.step == 2 }.map(\.streamed).reduce(0, +)
    // Blocks of 14 rows re-read the weights 5 times: more than the planned steps move here.
    #expect(chain.materialised == planned && chain.lowerBound <= chain.streamed)
    // With 64 Ki words all 64 rows fit one block: only compulsory traffic, less than planned.
    let wide = NapkinGroups(p, function: a.function, fastMemoryBytes: 4 * 65536)
    let once = try #require(wide.chains.first { $0.first == 1 })
    #expect(once.block == b && once.streamed == once.compulsory && once.streamed < once.materialised)
    #expect(chain.symbolic?.once.description == "b·f + b·k")
    #expect(chain.symbolic?.perBlock.description == "f·g + g·k + f + g")
  }

  /// A softmax over rows longer than fast memory reads its rows twice (online maximum and
  /// sum, then the write); rows that fit are read once.
  @Test func longSoftmaxRowsTakeTwoPasses() throws {
    let a = try CostFixture.analyse(
      "examples/attention.circuit", sizes: [("b", 1), ("k", 16), ("x", 4096), ("y", 64)], symbolic: false)
    // Scores stored (at this length the default plan streams them: no softmax group).
    let plan = LoweringPlan.preset(.materialized, for: a.function)
    let p = PlanCost(a.function, program: CEmitter.emit(a.function, plan: plan))
    let small = NapkinGroups(p, function: a.function, fastMemoryBytes: 4 << 10)  // 1 Ki words
    let softmax = try #require(small.groups.first { $0.kind == .rows && $0.k == 4096 })
    #expect(softmax.twoPass && softmax.tile == (1, 1))
    #expect(softmax.streamed == softmax.compulsory + 64 * 4096)
    let large = NapkinGroups(p, function: a.function, fastMemoryBytes: 1 << 20)
    let fits = try #require(large.groups.first { $0.kind == .rows && $0.k == 4096 })
    #expect(!fits.twoPass && fits.streamed == fits.compulsory)
    for g in small.groups + large.groups { #expect(g.lowerBound <= g.streamed) }
    // The default plan streams this attention: one step, modelled as attention, not a group.
    let streamedPlan = PlanCost.heuristic(a.function)
    #expect(streamedPlan.steps.contains { $0.streamedAttention })
    let streamed = NapkinGroups(streamedPlan, function: a.function, fastMemoryBytes: 4 << 10)
    #expect(!streamed.groups.contains { g in streamedPlan.steps[g.step].streamedAttention })
  }
}
