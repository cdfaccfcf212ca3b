import CircuitDiagnostics

/// The diagnostics of running IR on tensors: every identifier this module reports, with its
/// severity and the shape of its message (`…` stands for interpolated text). Emit sites refer to
/// these entries, so an identifier is spelled once; `DiagnosticCoverageTests` requires a test case
/// for each.
extension DiagnosticKind {

  /// `runtime-error`: a problem found while running an instruction (at its site).
  public static let runtimeError = DiagnosticKind(.error, "runtime-error", "… (what went wrong while running an instruction)")
}
