import CircuitIR

extension LoweringPlan {

  /// A named plan for experiments (`--plan` on the command line).
  public enum Preset: String, Sendable, CaseIterable {
    /// `heuristic(for:threads:)`.
    case `default`
    /// Every non-leaf value (views included) in its own buffer, plain-loop contractions,
    /// reversed loop orders, one thread: the slowest plan, sharing the least code with the default.
    case unfused
    /// The default fusion with every contraction as a plain loop nest (no GEMM, no
    /// matrix-vector, attention's scores materialised).
    case loops
    /// The default plan with 3×3 convolutions as GEMMs instead of Winograd's F(2×2, 3×3):
    /// closer to the interpreter's rounding, and ±∞ in an input stays ±∞ in the outputs it
    /// reaches (Winograd's transforms subtract it from itself, giving NaN).
    case direct
    /// The default plan with every attention group streamed (`AttentionGroup`), whatever
    /// its size: keys in blocks through the cache with an online softmax.
    case streamed
    /// The default plan with attention's scores always materialised (never streamed): the
    /// comparison for `streamed`.
    case materialized
  }

  /// The plan `preset` for `f`.
  public static func preset(_ preset: Preset, for f: IR.Function, threads: Int = 2) -> LoweringPlan {
    switch preset {
    case .default:
      return heuristic(for: f, threads: threads)
    case .unfused:
      var plan = heuristic(for: f, threads: 1, attention: .never)
      for i in plan.steps.indices {
        plan.steps[i].materialized = !isLeaf(f.instructions[i].op)
        plan.steps[i].loopOrder = plan.steps[i].loopOrder.reversed()
        let own = f.instructions[i].type.names
        plan.steps[i].layout = (plan.steps[i].layout.isEmpty ? own : plan.steps[i].layout).reversed()
        plan.steps[i].contraction = .loops
        plan.steps[i].contractionBySize = false
        plan.steps[i].epilogue = nil
      }
      return plan.choosingColumnSums(for: f)
    case .loops:
      var plan = heuristic(for: f, threads: threads, attention: .never)
      for i in plan.steps.indices {
        plan.steps[i].contraction = .loops
        plan.steps[i].contractionBySize = false
      }
      return plan
    case .direct:
      var plan = heuristic(for: f, threads: threads)
      for i in plan.steps.indices where plan.steps[i].contraction == .winograd {
        plan.steps[i].contraction = .gemm
        plan.steps[i].epilogue = nil
      }
      return plan
    case .streamed:
      return heuristic(for: f, threads: threads, attention: .always)
    case .materialized:
      return heuristic(for: f, threads: threads, attention: .never)
    }
  }
}
