/// One entry of a module's diagnostic catalogue: a stable identifier, its severity and the
/// shape of its message. Each module declares its entries in `DiagnosticKind+Catalogue.swift`
/// as static members, and emit sites write `Diagnostic(.sizeMismatch, message, at: range)`.
public struct DiagnosticKind: Hashable, Sendable {

  /// How serious diagnostics of this kind are.
  public let severity: Severity

  /// The stable identifier printed as `[id]`.
  public let id: DiagnosticID

  /// The message's shape, `…` standing for interpolated text.
  public let shape: String

  /// Creates a catalogue entry.
  public init(_ severity: Severity, _ id: String, _ shape: String) {
    self.severity = severity
    self.id = DiagnosticID(id)
    self.shape = shape
  }

  /// Whether `diagnostic` is of this kind.
  public func matches(_ diagnostic: Diagnostic) -> Bool { diagnostic.id == id }
}

extension Diagnostic {

  /// A diagnostic of a catalogued kind.
  public init(_ kind: DiagnosticKind, _ message: String, at range: SourceRange, notes: [Note] = []) {
    self.init(kind.severity, kind.id, message, at: range, notes: notes)
  }
}
