/// How serious a diagnostic is.
public enum Severity: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
  case note, warning, error

  /// Orders notes before warnings before errors.
  public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

  /// The word printed in a diagnostic header.
  public var description: String {
    switch self {
    case .note: "note"
    case .warning: "warning"
    case .error: "error"
    }
  }
}

/// The stable identity of a kind of diagnostic, e.g. `size-mismatch`.
public struct DiagnosticID: Hashable, Sendable, CustomStringConvertible {

  /// The identifier's text.
  public let name: String

  /// Creates the identifier `name`.
  public init(_ name: String) { self.name = name }

  /// The identifier's text.
  public var description: String { name }
}

/// A note attached to a diagnostic, optionally pointing at a source range.
public struct Note: Hashable, Sendable {

  /// The note's text.
  public let message: String

  /// Where the note points, if anywhere.
  public let range: SourceRange?

  /// Creates a note.
  public init(_ message: String, at range: SourceRange? = nil) {
    self.message = message
    self.range = range
  }
}

/// A problem found in a program: a value, rendered only by the driver.
public struct Diagnostic: Hashable, Sendable {

  /// How serious the problem is.
  public let severity: Severity

  /// The kind of problem.
  public let id: DiagnosticID

  /// One line, lower-case first word, no final period; names in single quotes.
  public let message: String

  /// The code the problem is about.
  public let range: SourceRange

  /// Further explanation: where sizes came from, bindings, suggestions.
  public let notes: [Note]

  /// Creates a diagnostic.
  public init(
    _ severity: Severity, _ id: DiagnosticID, _ message: String, at range: SourceRange,
    notes: [Note] = []
  ) {
    self.severity = severity
    self.id = id
    self.message = message
    self.range = range
    self.notes = notes
  }

  /// An error with an ad-hoc identifier, for tests and tools; the compiler's modules report
  /// catalogued kinds (`Diagnostic(_:_:at:notes:)` with a `DiagnosticKind`).
  public static func error(
    _ id: String, _ message: String, at range: SourceRange, notes: [Note] = []
  ) -> Diagnostic {
    Diagnostic(.error, DiagnosticID(id), message, at: range, notes: notes)
  }

  /// A warning with an ad-hoc identifier, for tests and tools (see `error`).
  public static func warning(
    _ id: String, _ message: String, at range: SourceRange, notes: [Note] = []
  ) -> Diagnostic {
    Diagnostic(.warning, DiagnosticID(id), message, at: range, notes: notes)
  }
}
