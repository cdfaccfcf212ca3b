import CircuitIR

/// How the C backend lowers a function: the schedule, kept apart from the algorithm (the IR).
///
/// Per instruction it says whether the value gets its own buffer or is fused (inlined) into
/// the loops of its consumers, the loop order over its named axes, how a contraction is
/// computed and how many threads share the work. Any plan gives the same numbers up to
/// floating-point rounding; `LoweringPlan.heuristic(for:)` is the default.
public struct LoweringPlan: Sendable, Hashable {

  /// How a contraction is computed.
  public enum ContractionKind: Sendable, Hashable {
    /// The packed, register-tiled GEMM of the prelude (batched over batch axes).
    case gemm
    /// A plain loop nest: output axes outside, contracted axes inside.
    case loops
    /// Matrix times vector (one operand has no free axes): no packing, one thread for small
    /// work, vectorised axpy (or 8-lane dot products) over the matrix's contiguous axis.
    /// A GEMM when the layout does not allow it (decided once, `resolved(for:)`).
    case matrixVector
    /// A 3×3, stride-1 convolution (a contraction over a two-axis window and its input
    /// channels) by Winograd's F(2×2, 3×3): 2.25× fewer multiplies, as 16 GEMMs over
    /// transformed tiles. A GEMM when the shapes do not allow it (`resolved(for:)`).
    case winograd
    /// The final contraction of an attention group (`AttentionGroup`): scores, scale, mask,
    /// softmax and the product with V in one step that streams blocks of keys through the
    /// cache with an online softmax; the group's other members have no buffers.
    case streamedAttention
  }

  /// The schedule of one instruction.
  public struct Step: Sendable, Hashable {

    /// Whether the value is computed into a buffer; otherwise it is fused into each consumer.
    public var materialized: Bool

    /// The loop order over the value's axes (outermost first) when it is materialised.
    public var loopOrder: [String]

    /// How a contraction is computed (ignored for other ops).
    public var contraction: ContractionKind

    /// How many threads share the instruction's loops (1 or the plan's thread count).
    public var threads: Int

    /// The order of the value's axes in its buffer (outermost first); empty for the value's
    /// own axis order. Outputs always keep their own order (the entry ABI's).
    public var layout: [String]

    /// For a Winograd convolution or a GEMM: its only consumer, an elementwise value of the
    /// same shape (a bias, an activation, a reorder into an output) that the contraction's
    /// step writes into and finishes in place, block by block, while the block is in cache;
    /// that value's own step is then skipped. Ignored where the step cannot (other kinds, a
    /// GEMM's form or block that does not allow it: `resolved(for:)` keeps the ones it does).
    public var epilogue: Int?

    /// For a GEMM whose pool parts split its rows: whether B may be packed into panels once
    /// per call, by a step of its own that the pool shares, where each part would otherwise
    /// read it in place at a stride that crowds the first-level cache (the rule of
    /// `CEmitter+SharedPanels.swift`). False keeps B read in place. The resolved plan
    /// (`resolved(for:)`) says whether it is.
    public var sharedPanels = true

    /// For a materialised elementwise value: the sum or mean of it over every axis but its
    /// innermost (a bias gradient) whose partial column sums its own step adds up while the
    /// elements are in registers, so that the sum does not read the buffer back
    /// (`LoweringPlan.columnSumReader`, the heuristic's choice). Kept only where the value's
    /// step is a plain loop nest and the sum fits (`resolved(for:)`).
    public var columnSums: Int? = nil

    /// Whether `threads` was chosen by comparing the step's work (`LoweringPlan.work`) with
    /// the threading threshold. With symbolic sizes the emitter makes that comparison in C,
    /// so one program serves both sides of the threshold.
    public var threadsBySize = false

    /// Whether `contraction` was chosen by comparing sizes with the plan's thresholds (the
    /// packed GEMM from `gemmThreshold` multiply-adds, the matrix-vector path when one
    /// operand's free axes and the shared axes are all of size 1): the GEMM, loop and
    /// matrix-vector kinds of one contraction. With symbolic sizes the emitter writes each kind
    /// under that comparison made in C (`ContractionRegimes`), so one program serves sizes on
    /// both sides; `contraction` stays the kind at these sizes (the literal form's).
    public var contractionBySize = false

    /// Creates a step.
    public init(
      materialized: Bool, loopOrder: [String], contraction: ContractionKind, threads: Int, layout: [String] = [],
      epilogue: Int? = nil
    ) {
      self.materialized = materialized
      self.loopOrder = loopOrder
      self.contraction = contraction
      self.threads = threads
      self.layout = layout
      self.epilogue = epilogue
    }
  }

  /// GEMM cache blocking: rows of A per packed block, depth per block, columns of B per block.
  public struct Tiling: Sendable, Hashable {
    public var mc: Int, kc: Int, nc: Int

    /// Creates a tiling; `mc` must be a multiple of 6 and `nc` of 16 (the micro-tile).
    public init(mc: Int, kc: Int, nc: Int) {
      (self.mc, self.kc, self.nc) = (mc, kc, nc)
    }
  }

  /// The step of each instruction, by instruction index.
  public var steps: [Step]

  /// The GEMM blocking.
  public var tiling: Tiling

  /// The size of the thread pool of a loaded model (the calling thread included).
  public var threads: Int

  /// Creates a plan.
  public init(steps: [Step], tiling: Tiling, threads: Int) {
    self.steps = steps
    self.tiling = tiling
    self.threads = threads
  }
}
