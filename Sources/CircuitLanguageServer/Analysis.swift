import CircuitDiagnostics
import CircuitPipeline
import CircuitSema
import CircuitSyntax

/// One open document compiled as `circuit check` would, on its unsaved text (and the unsaved
/// text of other open documents it imports), with its tokens for queries by position.
struct Analysis {

  /// The document's path.
  let path: String

  /// The compilation (checked even when parsing failed, so that what parsed has types).
  let compilation: Compilation

  /// The document as parsed.
  let unit: SourceUnit

  /// The document's tokens (without invalid characters), ending with end of file.
  let tokens: [Token]

  /// The sizes of the file's `sizes { }` (and size declarations), evaluated once.
  let defaultSizes: [String: Size]

  /// For each token, whether its innermost enclosing bracket is a `[` (braces close all).
  let insideBrackets: [Bool]

  /// The lexer's and parser's diagnostics of the document.
  let syntaxDiagnostics: [Diagnostic]

  /// Positions in the document.
  let lines: LineMap

  /// The reader the compilation used, to find the paths of imported files.
  let currentDirectory: String

  /// The document's file.
  var file: SourceFile { unit.file }

  /// Compiles the document at `path` through `reader`; nil when it cannot be read.
  init?(path: String, reader: SourceReader, stdlibPath: [String]) {
    guard
      let c = try? Compilation.load(
        path: path, stdlibPath: stdlibPath, reader: reader, checkingDespiteErrors: true),
      let root = c.program.units.first
    else { return nil }
    self.path = path
    self.compilation = c
    self.unit = root
    var ignored = DiagnosticLog()
    self.tokens = Lexer.tokenize(root.file, reportingTo: &ignored).filter { $0.kind != .invalid }
    var syntax = DiagnosticLog()
    _ = Parser.parse(root.file, reportingTo: &syntax)
    self.syntaxDiagnostics = syntax.sorted
    self.lines = LineMap(file: root.file)
    self.insideBrackets = Self.bracketTable(tokens)
    self.defaultSizes = c.checker.resolveSizes(c.program.defaultSizes, overrides: [:])
    self.currentDirectory = reader.currentDirectory
  }

  /// For each of `tokens`, whether its innermost open bracket is a `[`; `{` and `}` close
  /// every bracket (a statement never spans a block boundary).
  static func bracketTable(_ tokens: [Token]) -> [Bool] {
    var open: [TokenKind] = []
    return tokens.map { t in
      let inside = open.last == .punct(.lBracket)
      switch t.kind {
      case .punct(.lParen), .punct(.lBracket): open.append(t.kind)
      case .punct(.rParen), .punct(.rBracket): _ = open.popLast()
      case .punct(.lBrace), .punct(.rBrace): open.removeAll()
      default: break
      }
      return inside
    }
  }

  /// The absolute path of a file of the compilation (its name is relative to the reader's
  /// directory when inside it).
  func path(of file: SourceFile) -> String {
    if file === unit.file { return path }
    return file.name.hasPrefix("/") ? file.name : Path.normalize(Path.join(currentDirectory, file.name))
  }

  /// The token under the cursor at `offset`: one containing it, else one ending there (the
  /// cursor just after a word), preferring identifiers.
  func token(at offset: Int) -> Token? {
    let containing = tokens.last { $0.kind != .eof && $0.range.start <= offset && offset < $0.range.end }
    let ending = tokens.last { $0.kind != .eof && $0.range.end == offset }
    if let containing, containing.kind == .identifier || ending?.kind != .identifier { return containing }
    return ending ?? containing
  }

  /// The circuit of the document whose text contains `offset`.
  func circuit(at offset: Int) -> CircuitDecl? {
    unit.items.lazy.compactMap { item -> CircuitDecl? in
      guard case .circuit(let c) = item, c.range.start <= offset, offset <= c.range.end else { return nil }
      return c
    }.first
  }

  /// The circuits of the document, in order.
  var circuits: [CircuitDecl] {
    unit.items.compactMap { item in
      if case .circuit(let c) = item { return c }
      return nil
    }
  }

  /// The tokens of a file of the compilation (the document's own, or lexed again).
  func tokens(of file: SourceFile) -> [Token] {
    if file === self.file { return tokens }
    var ignored = DiagnosticLog()
    return Lexer.tokenize(file, reportingTo: &ignored).filter { $0.kind != .invalid }
  }

  /// The index in `tokens` of the token starting at `offset` (a binary search).
  func tokenIndex(at offset: Int) -> Int? {
    var lo = 0
    var hi = tokens.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if tokens[mid].range.start < offset { lo = mid + 1 } else { hi = mid }
    }
    return lo < tokens.count && tokens[lo].range.start == offset ? lo : nil
  }

  /// Whether `token` stands inside square brackets (a type, an axis list, size arguments).
  func isInsideBrackets(_ token: Token) -> Bool {
    tokenIndex(at: token.range.start).map { insideBrackets[$0] } ?? false
  }

  /// The identifier tokens spelled `name` inside `range` of the document.
  func identifiers(_ name: String, in range: SourceRange? = nil) -> [Token] {
    tokens.filter { t in
      t.kind == .identifier && t.text == name
        && (range.map { t.range.start >= $0.start && t.range.end <= $0.end } ?? true)
    }
  }

  /// The source text of `range`, as written.
  static func text(of range: SourceRange) -> String {
    let bytes = range.file.bytes
    return String(decoding: bytes[max(0, range.start)..<min(bytes.count, max(range.start, range.end))], as: UTF8.self)
  }


}
