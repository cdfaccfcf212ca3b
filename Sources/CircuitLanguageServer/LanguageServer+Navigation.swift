import CircuitDiagnostics
import CircuitPipeline
import CircuitSema
import CircuitSyntax
import TensorRuntime

extension LanguageServer {

  /// `textDocument/definition`: a circuit's declaration (across files, into the stdlib), the
  /// first occurrence of a local name or axis in its circuit (its binding: the signature, the
  /// first assignment, the `param`, the loop), a size's entry, an imported file.
  func definition(_ a: Analysis, _ offset: Int) -> JSONValue {
    guard let token = a.token(at: offset), let symbol = SymbolReference.resolve(token, in: a) else { return .null }
    switch symbol {
    case .importDecl(let d):
      guard let path = importedPath(d, from: a.path) else { return .null }
      let start = JSONValue.fields(["line": .int(0), "character": .int(0)])
      return .fields(["uri": .string(DocumentURI.uri(path)), "range": .fields(["start": start, "end": start])])
    case .circuit(let entry):
      return location(a, entry.decl.name.range)
    case .calleeMember(let name, let entry):
      guard let first = Self.identifiers(name, in: entry, a).first else { return .null }
      return location(a, first)
    case .local(let name, let circuit):
      guard let first = a.identifiers(name, in: circuit.range).first else { return .null }
      return location(a, first.range)
    case .topLevelSize(let name):
      guard let declared = topLevelDeclaration(name, in: a) else { return .null }
      return location(a, declared)
    }
  }

  /// `textDocument/references`: every use of the symbol; for a circuit, in every file of the
  /// compilation.
  func references(_ a: Analysis, _ offset: Int, includingDeclaration: Bool) -> JSONValue {
    guard let token = a.token(at: offset), let symbol = SymbolReference.resolve(token, in: a) else { return .null }
    var ranges = occurrences(of: symbol, in: a)
    if !includingDeclaration, let declaration = declarationRange(of: symbol, in: a) {
      ranges.removeAll { $0 == declaration }
    }
    return .array(ranges.map { location(a, $0) })
  }

  /// `textDocument/rename` of a circuit (in every file of the compilation outside the
  /// standard library), or of a local name or axis (in its circuit), or a top-level size.
  func rename(_ a: Analysis, _ offset: Int, to newName: String) throws(Failure) -> JSONValue {
    guard Self.isIdentifier(newName) else {
      throw Failure(code: -32602, message: "'\(newName)' is not a valid name")
    }
    guard let token = a.token(at: offset), let symbol = SymbolReference.resolve(token, in: a) else {
      throw Failure(code: -32803, message: "nothing to rename here (built-ins and keywords cannot be renamed)")
    }
    if case .importDecl = symbol { throw Failure(code: -32803, message: "imports cannot be renamed") }
    if case .calleeMember(let name, let entry) = symbol {
      throw Failure(code: -32803, message: "'\(name)' belongs to '\(entry.name)': rename it there")
    }
    if case .circuit(let entry) = symbol, isInStandardLibrary(a.path(of: entry.unit.file)) {
      throw Failure(code: -32803, message: "'\(entry.name)' is declared in the standard library")
    }
    var changes: [(key: String, value: JSONValue)] = []
    let ranges = occurrences(of: symbol, in: a)
    for file in uniqueFiles(ranges) where !isInStandardLibrary(a.path(of: file)) {
      let lines = file === a.file ? a.lines : LineMap(file: file)
      let edits = ranges.filter { $0.file === file }.map { r -> JSONValue in
        .fields(["range": lines.json(r), "newText": .string(newName)])
      }
      changes.append((key: uri(of: file, in: a), value: .array(edits)))
    }
    return .fields(["changes": .object(changes)])
  }

  /// The ranges where `symbol` is written.
  func occurrences(of symbol: SymbolReference, in a: Analysis) -> [SourceRange] {
    switch symbol {
    case .importDecl(let d): return [d.range]
    case .calleeMember(let name, let entry): return Self.identifiers(name, in: entry, a)
    case .local(let name, let circuit): return a.identifiers(name, in: circuit.range).map(\.range)
    case .topLevelSize(let name): return a.identifiers(name).map(\.range)
    case .circuit(let entry):
      var ranges = circuitOccurrences(entry.name, in: a.compilation.program.units, a)
      // Open documents outside this compilation that import the declaring file.
      let declaring = a.path(of: entry.unit.file)
      let covered = Set(a.compilation.program.units.map { a.path(of: $0.file) })
      for path in documents.keys.sorted() where !covered.contains(path) {
        guard let other = analysis(path: path),
          other.compilation.program.units.contains(where: { other.path(of: $0.file) == declaring })
        else { continue }
        ranges += circuitOccurrences(entry.name, in: [other.unit], other)
      }
      return ranges
    }
  }

  /// The identifiers naming the circuit `name` in `units` (of `a`'s compilation or its root),
  /// except where a circuit binds the name itself.
  func circuitOccurrences(_ name: String, in units: [SourceUnit], _ a: Analysis) -> [SourceRange] {
    var ranges: [SourceRange] = []
    for unit in units {
      let tokens = a.tokens(of: unit.file)
      let circuits = unit.items.compactMap { item -> CircuitDecl? in
        if case .circuit(let c) = item { return c }
        return nil
      }
      for t in tokens where t.kind == .identifier && t.text == name {
        let enclosing = circuits.first { $0.range.start <= t.range.start && t.range.end <= $0.range.end }
        if let enclosing, SymbolIndex.isBound(name, in: enclosing) { continue }
        ranges.append(t.range)
      }
    }
    return ranges
  }

  /// The ranges of the identifiers spelled `name` inside the declaration of `entry`.
  static func identifiers(_ name: String, in entry: Program.CircuitEntry, _ a: Analysis) -> [SourceRange] {
    let range = entry.decl.range
    return a.tokens(of: entry.unit.file).filter { t in
      t.kind == .identifier && t.text == name && range.start <= t.range.start && t.range.end <= range.end
    }.map(\.range)
  }

  /// Where `symbol` is declared, when it has one declaration.
  func declarationRange(of symbol: SymbolReference, in a: Analysis) -> SourceRange? {
    switch symbol {
    case .circuit(let entry): entry.decl.name.range
    case .calleeMember(let name, let entry): Self.identifiers(name, in: entry, a).first
    case .local(let name, let circuit): a.identifiers(name, in: circuit.range).first?.range
    case .topLevelSize(let name): topLevelDeclaration(name, in: a)
    case .importDecl: nil
    }
  }

  /// The entry of `sizes { }` or the `size` declaration of the document naming `name`.
  func topLevelDeclaration(_ name: String, in a: Analysis) -> SourceRange? {
    for item in a.unit.items {
      switch item {
      case .sizes(let block):
        if let entry = block.entries.first(where: { $0.0.name == name }) { return entry.0.range }
      case .sizeDecl(let d) where d.name.name == name: return d.name.range
      case .sizeDecl, .importDecl, .bundle, .circuit: break
      }
    }
    return nil
  }

  /// The path of the file `d` imports into the document at `importer`, if it exists.
  func importedPath(_ d: ImportDecl, from importer: String) -> String? {
    let candidates =
      d.isPath
      ? [Path.normalize(Path.join(Path.directory(of: importer), d.target))]
      : stdlibPath.map { Path.join($0, d.target + ".circuit") }
    let reader = overlay
    return candidates.first(where: reader.isFile)
  }

  /// Whether `path` lies in a standard library directory.
  func isInStandardLibrary(_ path: String) -> Bool {
    stdlibPath.contains { path.hasPrefix(Path.normalize($0) + "/") }
  }

  /// The protocol's `Location` of `range`.
  func location(_ a: Analysis, _ range: SourceRange) -> JSONValue {
    let lines = range.file === a.file ? a.lines : LineMap(file: range.file)
    return .fields(["uri": .string(uri(of: range.file, in: a)), "range": lines.json(range)])
  }

  /// The URI of a file of the compilation (the client's spelling for open documents).
  func uri(of file: SourceFile, in a: Analysis) -> String {
    let path = a.path(of: file)
    return documents[path]?.uri ?? DocumentURI.uri(path)
  }

  /// The distinct files of `ranges`, in order of first appearance.
  func uniqueFiles(_ ranges: [SourceRange]) -> [SourceFile] {
    var seen: Set<SourceFile> = []
    return ranges.map(\.file).filter { seen.insert($0).inserted }
  }

  /// Whether `name` is an identifier of the language and not a keyword.
  static func isIdentifier(_ name: String) -> Bool {
    let file = SourceFile(name: "", text: name)
    var log = DiagnosticLog()
    let tokens = Lexer.tokenize(file, reportingTo: &log)
    return tokens.count == 2 && tokens[0].kind == .identifier && tokens[0].text == name
  }
}
