/// The diagnostics reported by the stages of a compilation, in the order they were found.
public struct DiagnosticLog: Sendable {

  /// Every diagnostic reported so far.
  public private(set) var all: [Diagnostic] = []

  /// Whether an error was reported.
  public private(set) var hasErrors = false

  /// The number of errors reported.
  public private(set) var errorCount = 0

  /// The number of warnings reported.
  public private(set) var warningCount = 0

  /// The members of `all`, to drop duplicates in constant time.
  private var recorded: Set<Diagnostic> = []

  /// Creates an empty log.
  public init() {}

  /// Records `d` unless an identical diagnostic is already recorded.
  public mutating func report(_ d: Diagnostic) {
    guard recorded.insert(d).inserted else { return }
    all.append(d)
    switch d.severity {
    case .error:
      hasErrors = true
      errorCount += 1
    case .warning: warningCount += 1
    case .note: break
    }
  }

  /// Records every diagnostic of `other`.
  public mutating func formUnion(_ other: DiagnosticLog) {
    for d in other.all { report(d) }
  }

  /// The diagnostics in a stable order: by file name, then offset; ties keep the order in
  /// which they were reported.
  public var sorted: [Diagnostic] {
    all.enumerated().sorted { a, b in
      let (x, y) = (a.element, b.element)
      if x.range.file.name != y.range.file.name { return x.range.file.name < y.range.file.name }
      if x.range.start != y.range.start { return x.range.start < y.range.start }
      return a.offset < b.offset
    }.map(\.element)
  }
}
