import CircuitDiagnostics

/// A syntax error that unwinds to the nearest statement or item boundary.
struct ParseError: Error {

  /// The diagnostic to report.
  let diagnostic: Diagnostic

  /// Whether the problem was already reported (by the lexer), so recovery stays quiet.
  var silent = false
}

/// A recursive-descent parser for `.circuit` files (grammar in `grammar/circuit.ebnf`).
///
/// Errors unwind to the enclosing statement or item, which reports them and skips to the
/// next line that can start a statement (panic mode: nothing is reported while skipping), so
/// one file can report several errors without cascades.
public struct Parser {

  /// The names whose brackets hold an axis specification rather than size arguments.
  public static let axisBuiltins: Set<String> = [
    "sum", "mean", "max", "min", "softmax", "logsoftmax", "layernorm", "merge", "split",
    "rename", "concat", "gather", "window", "unwindow", "causal", "arange", "argmax", "argmin",
    "onehot",
  ]

  /// The one nesting budget of the parser: the deepest nesting of parentheses, brackets,
  /// calls, blocks and operators accepted. Each operator of a chain (`a + b + …`, `x |> f |> …`,
  /// in tensor and size expressions) costs one level, so the depth of every tree the parser
  /// builds, and of every recursive walk over it, is bounded.
  static let maximumDepth = 1000

  /// The tokens of the file.
  let tokens: [Token]

  /// The index of the current token.
  var index = 0

  /// The file being parsed.
  let file: SourceFile

  /// The diagnostics reported so far.
  var log: DiagnosticLog

  /// The indices of tokens that directly follow an invalid character.
  var followsInvalid: Set<Int> = []

  /// The current nesting depth.
  var depth = 0

  /// Creates a parser over `file`.
  init(_ file: SourceFile, log: DiagnosticLog) {
    self.file = file
    self.log = log
    // Invalid characters (reported by the lexer) are skipped; a syntax error right after one
    // is probably caused by it and stays quiet.
    var kept: [Token] = []
    var afterInvalid: Set<Int> = []
    var skipped = false
    for t in Lexer.tokenize(file, reportingTo: &self.log) {
      if t.kind == .invalid {
        skipped = true
        continue
      }
      if skipped { afterInvalid.insert(kept.count) }
      skipped = false
      kept.append(t)
    }
    self.tokens = kept
    self.followsInvalid = afterInvalid
  }

  /// Parses `file`, reporting syntax errors to `log`; always returns a (possibly partial) unit.
  public static func parse(_ file: SourceFile, reportingTo log: inout DiagnosticLog) -> SourceUnit
  {
    var p = Parser(file, log: log)
    let unit = p.parseUnit()
    log = p.log
    return unit
  }

  // MARK: - Tokens

  /// The current token.
  var current: Token { tokens[index] }

  /// The token `k` places ahead (the end-of-file token past the end).
  func peek(_ k: Int) -> Token { tokens[min(index + k, tokens.count - 1)] }

  /// Moves to the next token and returns the one passed.
  @discardableResult mutating func advance() -> Token {
    let t = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    return t
  }

  /// Whether the current token is `p`.
  func at(_ p: Punct) -> Bool { current.kind == .punct(p) }

  /// Whether the current token is keyword `k`.
  func at(_ k: Keyword) -> Bool { current.kind == .keyword(k) }

  /// Consumes `p` if present.
  mutating func eat(_ p: Punct) -> Bool {
    if at(p) {
      advance()
      return true
    }
    return false
  }

  /// Consumes `p` or throws "expected `p` `context`, found …".
  @discardableResult mutating func expect(_ p: Punct, _ context: String) throws(ParseError) -> Token
  {
    guard at(p) else { throw unexpected("'\(p.rawValue)' \(context)") }
    return advance()
  }

  /// Consumes an identifier or throws.
  mutating func expectIdentifier(_ what: String) throws(ParseError) -> Identifier {
    guard current.kind == .identifier else { throw unexpected(what) }
    let t = advance()
    return Identifier(t.text, t.range)
  }

  /// The error "expected `what`, found <current token>"; when the current token starts a new
  /// line, the error is placed at the end of the previous line ("found end of line"). It is
  /// silent when the current token is an invalid character (already reported).
  func unexpected(_ what: String) -> ParseError {
    if current.kind != .eof && current.followsNewline && index > 0 {
      let previous = tokens[index - 1].range
      return ParseError(
        diagnostic: Diagnostic(.expectedToken, "expected \(what), found end of line",
          at: SourceRange(file, previous.end, previous.end)),
        silent: followsInvalid.contains(index))
    }
    return ParseError(
      diagnostic: Diagnostic(.expectedToken, "expected \(what), found \(current)", at: current.range),
      silent: followsInvalid.contains(index))
  }

  /// The error "expected `what`, found <current token>" at the current token, even at the
  /// start of a line (for constructs that begin a line: statements and items).
  func unexpectedHere(_ what: String) -> ParseError {
    ParseError(
      diagnostic: Diagnostic(.expectedToken, "expected \(what), found \(current)", at: current.range),
      silent: followsInvalid.contains(index))
  }

  /// The range from `start` to the end of the previous token.
  func range(from start: SourceRange) -> SourceRange {
    let last = tokens[max(0, index - 1)].range
    return SourceRange(file, start.start, max(start.end, last.end))
  }

  /// Increases the nesting depth, failing past the maximum.
  mutating func enter() throws(ParseError) {
    if depth >= Parser.maximumDepth {
      throw ParseError(
        diagnostic: Diagnostic(.nestingTooDeep, "expression nested too deeply or too long (more than \(Parser.maximumDepth) levels; each parenthesis, call and operator is one)",
          at: current.range))
    }
    depth += 1
  }

  /// Decreases the nesting depth.
  mutating func leave() { depth -= 1 }

  // MARK: - Recovery

  /// Reports `error` and skips to the next token that can start a statement on a new line
  /// (outside any block opened while skipping), or to a `}` that closes the current block.
  /// At top level (`topLevel`), skips to the next line starting with an item keyword.
  ///
  /// Parentheses and brackets left open on the line of the error do not hide the statements
  /// after it: a line starting with a statement keyword or `name =` ends the skipping.
  mutating func recover(from error: ParseError, topLevel: Bool = false) {
    if !error.silent { log.report(error.diagnostic) }
    var brackets = 0
    var braces = 0
    // An error reported at the end of the previous line may resume at the current token.
    let startIndex = error.diagnostic.range.end <= current.range.start ? index - 1 : index
    while current.kind != .eof {
      if index > startIndex && current.followsNewline && braces <= 0 {
        if topLevel {
          if startsItem(current) { return }
        } else if startsStatement(current) && (brackets <= 0 || startsStatementStrongly()) {
          return
        }
      }
      switch current.kind {
      case .punct(.lParen), .punct(.lBracket): brackets += 1
      case .punct(.rParen), .punct(.rBracket): brackets -= 1
      case .punct(.lBrace): braces += 1
      case .punct(.rBrace):
        if braces <= 0 && !topLevel { return }
        braces -= 1
      default: break
      }
      advance()
    }
  }

  /// Whether `t` begins a top-level item.
  func startsItem(_ t: Token) -> Bool {
    switch t.kind {
    case .keyword(.circuit), .keyword(.import), .keyword(.sizes), .keyword(.size), .keyword(.axes):
      true
    default: false
    }
  }

  /// Whether the current token can only begin a statement: a statement keyword, or a name
  /// followed by `=`.
  func startsStatementStrongly() -> Bool {
    switch current.kind {
    case .keyword(.param), .keyword(.return), .keyword(.for), .keyword(.group), .keyword(.axes),
      .keyword(.circuit), .keyword(.import), .keyword(.sizes):
      return true
    case .identifier: return peek(1).kind == .punct(.equal)
    default: return false
    }
  }

  /// Whether `t` can begin a statement or an item.
  func startsStatement(_ t: Token) -> Bool {
    switch t.kind {
    case .identifier, .keyword: true
    case .punct(.lParen), .punct(.rBrace): true
    default: false
    }
  }
}
