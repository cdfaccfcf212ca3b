import CircuitDiagnostics

/// A statement with its range.
public struct Stmt: Sendable {

  /// What the statement is.
  public let kind: StmtKind

  /// Where it is written.
  public let range: SourceRange

  /// Creates a statement.
  public init(_ kind: StmtKind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// The kinds of statements.
public enum StmtKind: Sendable {
  /// `pattern = expr`.
  case assign(Pattern, Expr)
  /// `skip[l] = X`: a store into an indexed memory.
  case store(Identifier, SizeExpr, Expr)
  /// `param W: [i o] = 0`.
  case param(ParamDecl)
  /// `size nb = n1 / 4`.
  case size(SizeDecl)
  /// `axes P = (h w)`.
  case bundle(BundleDecl)
  /// `return expr`.
  case ret(Expr)
  /// `for l in 1...N { … }`.
  case loop(Loop)
  /// `group "Residual" { … }`.
  case group(String, [Stmt])
}

/// The left side of an assignment.
public indirect enum Pattern: Sendable {
  /// A name; `_` discards.
  case name(Identifier)
  /// `(a, b)`.
  case tuple([Pattern], SourceRange)

  /// Where the pattern is written.
  public var range: SourceRange {
    switch self {
    case .name(let i): i.range
    case .tuple(_, let r): r
    }
  }
}

/// How a parameter is initialised.
public enum Initializer: Hashable, Sendable {
  /// Every element is the constant.
  case constant(Double)
  /// Uniform in ±bound.
  case uniform(Double)
  /// Normal with the standard deviation.
  case normal(Double)
}

/// `param W: [i o] = init`.
public struct ParamDecl: Sendable {

  /// The parameter's name.
  public let name: Identifier

  /// The parameter's type.
  public let type: TensorTypeExpr

  /// The explicit initialiser, if any.
  public let initializer: Initializer?

  /// Where the declaration is written.
  public let range: SourceRange

  /// Creates a parameter declaration.
  public init(
    name: Identifier, type: TensorTypeExpr, initializer: Initializer?, range: SourceRange
  ) {
    self.name = name
    self.type = type
    self.initializer = initializer
    self.range = range
  }
}

/// `for l in lo...hi as layer[l] { … }` (`..<` excludes the upper bound).
public struct Loop: Sendable {

  /// The loop variable.
  public let variable: Identifier

  /// The first value.
  public let lower: SizeExpr

  /// The bound.
  public let upper: SizeExpr

  /// Whether the bound is included (`...`) or excluded (`..<`).
  public let inclusive: Bool

  /// The prefix of each iteration's instance name (`layer` in `as layer[l]`).
  public let instanceName: Identifier?

  /// Whether every iteration uses the same parameters (`for … shared { }`).
  public let shared: Bool

  /// The body.
  public let body: [Stmt]

  /// Creates a loop.
  public init(
    variable: Identifier, lower: SizeExpr, upper: SizeExpr, inclusive: Bool,
    instanceName: Identifier?, shared: Bool = false, body: [Stmt]
  ) {
    self.shared = shared
    self.variable = variable
    self.lower = lower
    self.upper = upper
    self.inclusive = inclusive
    self.instanceName = instanceName
    self.body = body
  }
}
