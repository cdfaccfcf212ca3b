import CircuitDiagnostics

@testable import CircuitSyntax

/// Compact, range-free S-expression renderings of AST nodes, so parser tests can state the
/// expected shape of a tree in one line.
///
/// The notation: `(+ a b)` for binary operators (`(== a b)`, `(and a b)`), `(neg x)`, `(not x)`, `(tuple a b)`,
/// `(call label:f <a:b> [sizes 2 N] (x eps:1e-05))`, `(call sum [axes k -> j; stride 2] (x))`,
/// `(index x t=0 s=1..<5->s')`, `(load skip (- l 1))`, `(as x [k x])`, `(sizeof k)`.
enum ASTSketch {

  // MARK: - Expressions

  /// The sketch of `e`.
  static func of(_ e: Expr) -> String {
    switch e.kind {
    case .number(let v, let isInteger):
      isInteger && v.isFinite && abs(v) < 1e15 ? String(Int(v)) : String(v)
    case .name(let n): n
    case .tuple(let parts): "(tuple " + parts.map(of).joined(separator: " ") + ")"
    case .negate(let x): "(neg \(of(x)))"
    case .not(let x): "(not \(of(x)))"
    case .binary(let op, let a, let b): "(\(op.rawValue) \(of(a)) \(of(b)))"
    case .call(let c): of(c)
    case .index(let x, let items): "(index \(of(x)) " + items.map(of).joined(separator: " ") + ")"
    case .load(let name, let slot): "(load \(name) \(of(slot)))"
    case .reorder(let x, let type): "(as \(of(x)) \(of(type)))"
    case .sizeOf(let s): "(sizeof \(of(s)))"
    }
  }

  /// The sketch of a call.
  static func of(_ c: Call) -> String {
    var parts = ["call"]
    parts.append((c.label.map { "\($0):" } ?? "") + c.callee.name)
    if !c.bindings.isEmpty {
      parts.append("<" + c.bindings.map { "\($0.0):\($0.1)" }.joined(separator: " ") + ">")
    }
    switch c.bracket {
    case .sizes(let args)?:
      parts.append(
        "[sizes" + args.map { " " + ($0.label.map { "\($0):" } ?? "") + of($0.value) }.joined()
          + "]")
    case .axes(let spec)?: parts.append(of(spec))
    case nil: break
    }
    if c.hasParentheses {
      parts.append(
        "("
          + c.arguments.map { ($0.label.map { "\($0):" } ?? "") + of($0.value) }.joined(
            separator: " ") + ")")
    }
    return "(" + parts.joined(separator: " ") + ")"
  }

  /// The sketch of an axis specification.
  static func of(_ s: AxisSpec) -> String {
    var text = "[axes " + s.inputs.map(of).joined(separator: " ")
    if let outputs = s.outputs { text += " -> " + outputs.map(of).joined(separator: " ") }
    if !s.options.isEmpty {
      text += "; " + s.options.map { "\($0.name) \(of($0.value))" }.joined(separator: ", ")
    }
    return text + "]"
  }

  /// The sketch of an index item: `t=0`, `t=1..<5`, `t=1..<5->u`.
  static func of(_ i: IndexItem) -> String {
    var text = "\(i.axis)=\(of(i.start))"
    if let end = i.end { text += "..<\(of(end))" }
    if let r = i.renamed { text += "->\(r)" }
    return text
  }

  // MARK: - Types and sizes

  /// The sketch of an axis item: `k` or `x=28`.
  static func of(_ a: AxisItem) -> String {
    a.size.map { "\(a.name)=\(of($0))" } ?? a.name.name
  }

  /// The sketch of a tensor type: `[b k]`, `i32[t]`.
  static func of(_ t: TensorTypeExpr) -> String {
    (t.element == .float32 ? "" : t.element.rawValue) + "[" + t.axes.map(of).joined(separator: " ")
      + "]"
  }

  /// The sketch of a size expression.
  static func of(_ s: SizeExpr) -> String {
    switch s.kind {
    case .literal(let v): String(v)
    case .name(let n): n
    case .family(let n, let i): "\(n)[\(of(i))]"
    case .negate(let x): "(neg \(of(x)))"
    case .binary(let op, let a, let b): "(\(op.rawValue) \(of(a)) \(of(b)))"
    case .rounded(let r, let a, let b): "(\(r.rawValue) \(of(a)) \(of(b)))"
    case .overflow(let text): "(overflow \(text))"
    }
  }

  // MARK: - Statements

  /// The sketch of a pattern: `x` or `(tuple q k)`.
  static func of(_ p: Pattern) -> String {
    switch p {
    case .name(let n): n.name
    case .tuple(let parts, _): "(tuple " + parts.map(of).joined(separator: " ") + ")"
    }
  }

  /// The sketch of a statement, with nested bodies in braces.
  static func of(_ s: Stmt) -> String {
    switch s.kind {
    case .assign(let p, let e): "\(of(p)) = \(of(e))"
    case .store(let n, let slot, let e): "\(n)[\(of(slot))] := \(of(e))"
    case .param(let d):
      "param \(d.name) \(of(d.type))" + (d.initializer.map { " = \($0)" } ?? "")
    case .size(let d): of(d)
    case .bundle(let b): "axes \(b.name) (" + b.members.map(of).joined(separator: " ") + ")"
    case .ret(let e): "return \(of(e))"
    case .loop(let l):
      "for \(l.variable) \(of(l.lower))\(l.inclusive ? "..." : "..<")\(of(l.upper))"
        + (l.instanceName.map { " as \($0)" } ?? "") + " " + of(l.body)
    case .group(let name, let body): "group \(name) " + of(body)
    }
  }

  /// The sketch of a block: `{ s1; s2 }`.
  static func of(_ body: [Stmt]) -> String {
    body.isEmpty ? "{ }" : "{ " + body.map(of).joined(separator: "; ") + " }"
  }

  /// The sketch of a size declaration: `size c[i] = (* 64 (^ 2 i))`.
  static func of(_ d: SizeDecl) -> String {
    "size \(d.name)" + (d.index.map { "[\($0)]" } ?? "") + " = \(of(d.value))"
  }
}
