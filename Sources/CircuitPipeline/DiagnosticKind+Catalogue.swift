import CircuitDiagnostics

/// The diagnostics of the pipeline (sizes given on the command line, memory): every identifier this
/// module reports, with its severity and the shape of its message (`…` stands for interpolated
/// text). Emit sites refer to these entries, so an identifier is spelled once;
/// `DiagnosticCoverageTests` requires a test case for each.
extension DiagnosticKind {

  /// `out-of-memory`: running this needs … at its peak, more than the … bytes of …; the
  /// largest tensor is … … (shape …, …).
  public static let outOfMemory = DiagnosticKind(
    .error, "out-of-memory", "running this needs … at its peak, more than the … bytes of …; the largest tensor is … … (shape …, …)")

  /// `unknown-entry`: no circuit named '…' in ….
  public static let unknownEntry = DiagnosticKind(
    .error, "unknown-entry", "no circuit named '…' in …")

  /// `unknown-constant`: no constant named '…' (given with --const) in '…'.
  public static let unknownConstant = DiagnosticKind(
    .error, "unknown-constant", "no constant named '…' (given with --const) in '…'")

  /// `unused-size`: size '…' given with --size is not a size of '…'.
  public static let unusedSize = DiagnosticKind(
    .warning, "unused-size", "size '…' given with --size is not a size of '…'")
}
