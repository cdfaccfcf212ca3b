import CircuitDiagnostics

/// The diagnostics of the lexer and parser: every identifier this module reports, with its severity
/// and the shape of its message (`…` stands for interpolated text). Emit sites refer to these
/// entries, so an identifier is spelled once; `DiagnosticCoverageTests` requires a test case for
/// each.
extension DiagnosticKind {

  /// `chained-comparison`: comparisons do not chain: '…' then '…'.
  public static let chainedComparison = DiagnosticKind(
    .error, "chained-comparison", "comparisons do not chain: '…' then '…'")

  /// `expected-division`: '…' expects a division 'a / b'.
  public static let expectedDivision = DiagnosticKind(
    .error, "expected-division", "'…' expects a division 'a / b'")

  /// `expected-token`: expected a circuit or function after '|>'.
  public static let expectedToken = DiagnosticKind(
    .error, "expected-token", "expected a circuit or function after '|>'")

  /// `instance-index-mismatch`: instance index '…' must be the loop variable '…'.
  public static let instanceIndexMismatch = DiagnosticKind(
    .error, "instance-index-mismatch", "instance index '…' must be the loop variable '…'")

  /// `invalid-character`: see the emit site.
  public static let invalidCharacter = DiagnosticKind(.error, "invalid-character", "")

  /// `nesting-too-deep`: circuit instances are nested more than … deep at this call of '…'.
  public static let nestingTooDeep = DiagnosticKind(
    .error, "nesting-too-deep", "circuit instances are nested more than … deep at this call of '…'")

  /// `unterminated-string`: unterminated string literal.
  public static let unterminatedString = DiagnosticKind(
    .error, "unterminated-string", "unterminated string literal")
}
