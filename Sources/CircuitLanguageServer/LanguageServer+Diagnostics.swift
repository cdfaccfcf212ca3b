import CircuitDiagnostics
import TensorRuntime

extension LanguageServer {

  /// The `textDocument/publishDiagnostics` notification for the open document `uri` (none
  /// when it is closed): the diagnostics located in it, notes with a location as related
  /// information. While the file has syntax errors only they are shown (the checker's
  /// findings would follow from them), as `circuit check` does.
  public func diagnostics(uri: String) -> JSONValue? {
    guard let path = DocumentURI.path(uri), let document = documents[path] else { return nil }
    guard let analysis = analysis(path: path) else { return Self.publish(uri: uri, version: document.version, []) }
    let shown = analysis.syntaxDiagnostics.contains { $0.severity == .error }
      ? analysis.syntaxDiagnostics : analysis.compilation.log.sorted.filter { $0.range.file === analysis.file }
    return Self.publish(uri: uri, version: document.version, shown.map { json($0, analysis) })
  }

  /// A `publishDiagnostics` notification.
  static func publish(uri: String, version: Int?, _ diagnostics: [JSONValue]) -> JSONValue {
    .fields([
      "jsonrpc": .string("2.0"), "method": .string("textDocument/publishDiagnostics"),
      "params": .fields(["uri": .string(uri), "version": version.map(JSONValue.int), "diagnostics": .array(diagnostics)]),
    ])
  }

  /// The protocol's form of `d`.
  func json(_ d: Diagnostic, _ analysis: Analysis) -> JSONValue {
    let unlocated = d.notes.filter { $0.range == nil }.map(\.message)
    let related: [JSONValue] = d.notes.compactMap { note in
      guard let range = note.range else { return nil }
      let lines = range.file === analysis.file ? analysis.lines : LineMap(file: range.file)
      return .fields([
        "location": .fields(["uri": .string(DocumentURI.uri(analysis.path(of: range.file))), "range": lines.json(range)]),
        "message": .string(note.message),
      ])
    }
    let severity: Int
    switch d.severity {
    case .error: severity = 1
    case .warning: severity = 2
    case .note: severity = 3
    }
    return .fields([
      "range": analysis.lines.json(d.range),
      "severity": .int(severity),
      "code": .string(d.id.name),
      "source": .string("circuit"),
      "message": .string(([d.message] + unlocated).joined(separator: "\n")),
      "relatedInformation": related.isEmpty ? nil : .array(related),
    ])
  }
}
