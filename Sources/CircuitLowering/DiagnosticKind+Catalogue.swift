import CircuitDiagnostics

/// The diagnostics of lowering to IR (sizes must be known constants): every identifier this module
/// reports, with its severity and the shape of its message (`…` stands for interpolated text). Emit
/// sites refer to these entries, so an identifier is spelled once; `DiagnosticCoverageTests`
/// requires a test case for each.
extension DiagnosticKind {

  /// `cannot-lower`: cannot run this program: ….
  public static let cannotLower = DiagnosticKind(
    .error, "cannot-lower", "cannot run this program: …")

  /// `internal-lowering`: internal error: no lowering for '…'.
  public static let internalLowering = DiagnosticKind(
    .error, "internal-lowering", "internal error: no lowering for '…'")

  /// `size-not-known`: size of axis '…' is …, which is not known.
  public static let sizeNotKnown = DiagnosticKind(
    .error, "size-not-known", "size of axis '…' is …, which is not known")

  /// `tensor-too-large`: this value (…) has more elements than 64-bit arithmetic can count in
  /// bytes.
  public static let tensorTooLarge = DiagnosticKind(
    .error, "tensor-too-large", "this value (…) has more elements than 64-bit arithmetic can count in bytes")
}
