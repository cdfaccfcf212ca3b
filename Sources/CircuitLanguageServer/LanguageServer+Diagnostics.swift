import CircuitDiagnostics
import CircuitSyntax
import TensorRuntime

extension LanguageServer {

  /// The `textDocument/publishDiagnostics` notification for the open document `uri` (none
  /// when it is closed): the diagnostics located in it, notes with a location as related
  /// information; errors in imported files are summed up at the import that brings each
  /// file. While the file has syntax errors only they are shown (the checker's findings
  /// would follow from them), as `circuit check` does.
  public func diagnostics(uri: String) -> JSONValue? {
    guard let path = DocumentURI.path(uri), let document = documents[path] else { return nil }
    guard let analysis = analysis(path: path) else { return Self.publish(uri: uri, version: document.version, []) }
    if analysis.syntaxDiagnostics.contains(where: { $0.severity == .error }) {
      return Self.publish(uri: uri, version: document.version, analysis.syntaxDiagnostics.map { json($0, analysis) })
    }
    let own = analysis.compilation.log.sorted.filter { $0.range.file === analysis.file }
    return Self.publish(uri: uri, version: document.version, own.map { json($0, analysis) } + importedErrors(analysis))
  }

  /// One error per imported file with errors, at the import bringing it (the first import
  /// when it comes in indirectly), listing the errors as related information.
  func importedErrors(_ a: Analysis) -> [JSONValue] {
    let elsewhere = a.compilation.log.sorted.filter { $0.severity == .error && $0.range.file !== a.file }
    let imports = a.unit.items.compactMap { item -> ImportDecl? in
      if case .importDecl(let d) = item { return d }
      return nil
    }
    guard let firstImport = imports.first else { return [] }
    return uniqueFiles(elsewhere.map(\.range)).map { file in
      let errors = elsewhere.filter { $0.range.file === file }
      let path = a.path(of: file)
      let anchor = imports.first { importedPath($0, from: a.path) == path } ?? firstImport
      let related: [JSONValue] = errors.prefix(20).map { d in
        .fields(["location": location(a, d.range), "message": .string(d.message)])
      }
      let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
      return .fields([
        "range": a.lines.json(anchor.range), "severity": .int(1), "code": .string(errors[0].id.name),
        "source": .string("circuit"),
        "message": .string("\(count) in the imported file \(file.name); the first: \(errors[0].message)"),
        "relatedInformation": .array(related),
      ])
    }
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
