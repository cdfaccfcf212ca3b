import CircuitIR

/// A generated C program for one circuit, with what is needed to call it.
public struct CProgram: Sendable {

  /// The complete C11 (GNU) source, to be linked with the runtime (`CRuntime.source`, the same
  /// for every program).
  public let source: String

  /// The entry function: `int <symbol>(const void* const* inputs, const float* const* params,
  /// void* const* outputs)`, returning 0 on success, 1 for an index out of range, 2 when the
  /// arena cannot be allocated.
  public let entrySymbol: String

  /// The function that packs constant operands (parameters) once:
  /// `int circuit_prepare(const float* const* params)`, returning 0, or 2 when memory runs
  /// out (calls then pack per call). Later calls with the same parameter pointers use the
  /// packed copies, so those parameters must not change in place until it is called again.
  public let prepareSymbol = "circuit_prepare"

  /// With `-D` this macro the program times its steps: `int circuit_profile(const char* const**
  /// steps, const double** seconds)` gives each step's label and seconds summed over calls.
  public static let profilingDefine = "CC_PROFILE_"

  /// The function giving the step timers of a program compiled with `profilingDefine`.
  public let profileSymbol = "circuit_profile"

  /// The function that stops the thread pool and frees the arena and packed operands:
  /// `void circuit_release(void)`.
  public let releaseSymbol = "circuit_release"

  /// Bytes of the arena holding intermediate buffers (the peak under buffer reuse).
  public let peakBytes: Int

  /// Bytes the intermediate buffers would take without reuse.
  public let unsharedBytes: Int

  /// Floating-point operations per call (2 per multiply-add of contractions, 1 per other
  /// computed element): the numerator of GFLOP/s.
  public let flops: Double

  /// The plan as this program was emitted under it (`LoweringPlan.resolved(for:)`): each
  /// contraction's kind, the epilogues finished in place, the shared packs of B and the
  /// sums added up by their operands' steps.
  public let plan: LoweringPlan

  /// The timed steps in `circuit_profile`'s order, with the buffers each references.
  public internal(set) var steps: [CProgramStep] = []
}
