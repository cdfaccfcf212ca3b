import CircuitDiagnostics
import CircuitSyntax

/// A size a circuit's body derives from its other sizes through a call: the caller's name
/// for a result axis and the expression its callee computes for it.
public struct DerivedSize: Sendable, Equatable {
  /// The caller's name for the axis (`y2` of `Block<h': y2>[2, N]`).
  public let name: String
  /// Its size in the caller's names (`floor((h - 1)/2) + 1`).
  public let size: Size
}

extension Checker {

  /// The sizes circuit `name` derives from its other sizes, in its own size names, in the
  /// order written: its output-only axes whose signature gives an expression
  /// (`h' = floor((h - 1)/s) + 1`); each result axis a call names afresh (not in the
  /// signature or `size` lines), with the size the callee's signature computes for it, the
  /// callee's symbols replaced by the caller's axis names and size arguments and names
  /// derived earlier by their own expressions (so `y2` of two stride-2 blocks after one
  /// stride-1 block is `floor((h - 1)/2) + 1`); and each axis `merge` or `concat` makes
  /// (`p = x*y`). Read off the syntax after `checkAll`; it reports nothing and leaves out
  /// what it cannot express (size families, unknown callees).
  public func derivedSizes(in name: String) -> [DerivedSize] {
    guard let circuit = program.circuit(named: name) else { return [] }
    // Names the circuit gives sizes itself (its signature, its `size` lines) are not derived.
    let own = Set((signatures[name].map { $0.axisNames + $0.sizeParameters } ?? []) + sizeLineNames(circuit.decl.body))
    // Axes merged as a bundle (`merge[P -> p]`) are left out: the bundle is not a size.
    let bundles = Set(program.legend(of: circuit.unit).bundles.map(\.name.name)
      + circuit.decl.body.compactMap { if case .bundle(let b) = $0.kind { b.name.name } else { nil } })
    var known: [String: Size] = [:]
    var out: [DerivedSize] = []
    if let sig = signatures[name] {
      let inputs = Set(sig.inputs.flatMap(\.type.names))
      for axis in sig.outputs.flatMap(\.axes)
      where !inputs.contains(axis.name) && axis.size.symbolName == nil && axis.size.constant == nil {
        known[axis.name] = axis.size
        out.append(DerivedSize(name: axis.name, size: axis.size))
      }
    }
    func record(_ caller: String, _ value: Size) {
      guard !own.contains(caller), value != .symbol(caller) else { return }
      known[caller] = value
      out.removeAll { $0.name == caller }
      out.append(DerivedSize(name: caller, size: value))
    }
    Checker.visitCalls(in: circuit.decl.body) { call, _ in
      if let (caller, value) = Checker.combinedAxis(call, known, bundles: bundles) { return record(caller, value) }
      let outer = Dictionary(call.bindings.map { ($0.0.name, $0.1.name) }, uniquingKeysWith: { a, _ in a })
      guard !isBuiltin(call.callee.name), let sig = signatures[call.callee.name],
        let substitution = symbolicSubstitution(call, sig, outer, known)
      else { return }
      for axis in sig.outputs.flatMap(\.axes) where axis.size.symbolName == nil && axis.size.constant == nil {
        if let value = try? axis.size.substituting(substitution) { record(outer[axis.name] ?? axis.name, value) }
      }
    }
    return out
  }

  /// The axis `merge[y x -> p]` makes (the product of the merged sizes) or
  /// `concat[c, d -> e]` makes (their sum), with its size in the caller's names; nil for other calls and for
  /// specifications naming a bundle.
  private static func combinedAxis(_ call: Call, _ known: [String: Size], bundles: Set<String>) -> (String, Size)? {
    let combine: (Size, Size) throws(SizeError) -> Size
    switch call.callee.name {
    case "merge": combine = Size.multiply
    case "concat": combine = Size.add
    default: return nil
    }
    guard case .axes(let spec)? = call.bracket, let outs = spec.outputs, outs.count == 1, let first = spec.inputs.first,
      !spec.inputs.contains(where: { bundles.contains($0.name.name) })
    else { return nil }
    var value = known[first.name.name] ?? .symbol(first.name.name)
    for item in spec.inputs.dropFirst() {
      guard let v = try? combine(value, known[item.name.name] ?? .symbol(item.name.name)) else { return nil }
      value = v
    }
    return (outs[0].name.name, value)
  }

  /// The names `size` lines in `statements` declare, loops and groups included.
  private func sizeLineNames(_ statements: [Stmt]) -> [String] {
    statements.flatMap { s -> [String] in
      switch s.kind {
      case .size(let d): [d.name.name]
      case .loop(let l): sizeLineNames(l.body)
      case .group(_, let body): sizeLineNames(body)
      case .assign, .store, .ret, .param, .bundle: []
      }
    }
  }

  /// The callee's free symbols in the caller's names: size arguments as written, axes by the
  /// caller's name for them (`outer`: the call's bindings) (or what an earlier call derived for that name), output-only
  /// sizes the callee's body determines; nil when a size argument cannot be expressed.
  private func symbolicSubstitution(
    _ call: Call, _ sig: CircuitSignature, _ outer: [String: String], _ known: [String: Size]
  ) -> [String: Size]? {
    var substitution: [String: Size] = [:]
    if case .sizes(let arguments)? = call.bracket {
      for (i, a) in arguments.enumerated() {
        guard let p = a.label?.name ?? (i < sig.sizeParameters.count ? sig.sizeParameters[i] : nil),
          let v = Checker.symbolicValue(a.value, known)
        else { return nil }
        substitution[p] = v
      }
    }
    for sym in (inferredOutputSizes[sig.name] ?? [:]).keys.sorted() where substitution[sym] == nil {
      substitution[sym] = try? inferredOutputSizes[sig.name]![sym]!.substituting(substitution)
    }
    for sym in sig.freeSymbols.sorted() where substitution[sym] == nil && sig.axisNames.contains(sym) {
      let caller = outer[sym] ?? sym
      substitution[sym] = known[caller] ?? .symbol(caller)
    }
    return substitution
  }

  /// A written size as symbols: names stand for themselves (or what `known` derived for
  /// them); nil for size families and arithmetic failures.
  static func symbolicValue(_ e: SizeExpr, _ known: [String: Size]) -> Size? {
    switch e.kind {
    case .literal(let v): return Size(v)
    case .name(let n): return known[n] ?? .symbol(n)
    case .overflow, .family: return nil
    case .negate(let a): return symbolicValue(a, known).map(Size.negate)
    case .binary(let op, let a, let b):
      guard let x = symbolicValue(a, known), let y = symbolicValue(b, known) else { return nil }
      return try? Size.applying(op, x, y)
    case .rounded(let r, let a, let b):
      guard let x = symbolicValue(a, known), let y = symbolicValue(b, known) else { return nil }
      return try? Size.rounded(x, y, up: r == .ceil)
    }
  }
}
