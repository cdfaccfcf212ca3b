import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// The type of `e`, or nil after reporting an error (or when an operand already had one).
  func check(_ e: Expr) -> ValueType? {
    let result = checkWithoutEmitting(e)
    if mode == .generic, let r = result { expressionTypes[e.range] = r }
    if let result, let o = recording { record(e, type: result, to: o) }
    return result
  }

  /// Records the step of an expression whose operands have already been recorded.
  func record(_ e: Expr, type: ValueType, to o: ElaborationRecorder) {
    let kind: ElaboratedExpression.Kind
    switch e.kind {
    case .number(let v, _): kind = .number(v)
    case .name(let n): kind = circuitConstant(n).map { .number($0) } ?? .read(n)
    case .tuple(let parts): kind = .tuple(count: parts.count)
    case .negate: kind = .negate
    case .not: kind = .not
    case .binary(let op, _, _): kind = .binary(op)
    case .call: return  // recorded by the call itself
    case .index(_, let items):
      kind = .index(
        items.map {
          IndexSelection(
            axis: $0.axis.name, start: evaluate($0.start)?.constant ?? 0,
            end: $0.end.flatMap { evaluate($0)?.constant }, renamed: $0.renamed?.name)
        })
    case .load(let name, let slot): kind = .load(memory: name.name, slot: evaluate(slot)?.constant ?? 0)
    case .reorder(_, let t): kind = .reorder(expandBundles(t.axes).map(\.name.name))
    case .sizeOf(let s):
      guard let v = sizeOf(s)?.constant else {
        o.append(
          .unsupported(message: "size(\(sizeOf(s).map(\.description) ?? "?")) is not a constant", site: e.range))
        return
      }
      kind = .number(Double(v))
    }
    o.expression(kind, type: type, site: e.range)
  }

  /// The type of `e` (`check` records its step).
  private func checkWithoutEmitting(_ e: Expr) -> ValueType? {
    switch e.kind {
    case .number: return .tensor(.scalar())
    case .name(let n): return lookup(n, at: e.range)
    case .tuple(let parts):
      var segments: [TensorType] = []
      var failed = false
      for p in parts {
        guard let t = check(p) else {
          failed = true
          continue
        }
        segments += t.segments
      }
      return failed ? nil : .tuple(segments)
    case .negate(let a):
      guard let t = tensor(a) else { return nil }
      if t.element == .bool {
        report(Diagnostic(.elementTypeMismatch, "cannot negate a bool tensor", at: e.range))
        return nil
      }
      return .tensor(t)
    case .not(let a):
      guard let t = tensor(a) else { return nil }
      return checkNot(t, at: e.range).map(ValueType.tensor)
    case .binary(let op, let a, let b):
      guard let x = tensor(a), let y = tensor(b) else { return nil }
      if op.isComparison || op.isLogical {
        return checkBool(op, x, y, a, b, at: e.range).map(ValueType.tensor)
      }
      return checkArithmetic(op, x, y, a, b, at: e.range).map(ValueType.tensor)
    case .call(let call): return checkCall(call, at: e.range)
    case .index(let base, let items): return checkIndex(base, items, at: e.range)
    case .load(let name, let slotExpr): return checkLoad(name, slotExpr, at: e.range)
    case .reorder(let base, let typeExpr):
      guard let t = tensor(base) else { return nil }
      return checkReorder(t, typeExpr, at: e.range).map(ValueType.tensor)
    case .sizeOf(let s):
      guard sizeOf(s) != nil else { return nil }
      return .tensor(.scalar())
    }
  }

  /// The type of `e`, which must be a single tensor.
  func tensor(_ e: Expr) -> TensorType? {
    guard let t = check(e) else { return nil }
    guard case .tensor(let x) = t else {
      report(
        Diagnostic(.tupleNotTensor, "expected one tensor but this is a tuple of type \(t)", at: e.range,
          notes: [Note("destructure it first: '(a, b) = …'")]))
      return nil
    }
    return x
  }

  /// The type of the value named `n`, marking it used.
  func lookup(_ n: String, at range: SourceRange) -> ValueType? {
    if var b = scope.values[n] {
      b.used = true
      scope.values[n] = b
      return b.type
    }
    if n == "inf" { return .tensor(.scalar()) }
    if scope.memory[n] != nil || scope.symbolicMemory[n] != nil {
      report(
        Diagnostic(.memoryNeedsSlot, "'\(n)' is a memory; read one of its slots with '\(n)[slot]'",
          at: range))
      return nil
    }
    var notes: [Note] = []
    if let s = suggestion(for: n, among: scope.values.keys) {
      notes.append(Note("did you mean '\(s)'?"))
    }
    if program.circuit(named: n) != nil {
      notes.append(Note("'\(n)' is a circuit; call it with arguments: \(n)(…)"))
    }
    if scope.sizes[n] != nil || scope.substitution[n] != nil || scope.freeSymbols.contains(n) {
      notes.append(Note("'\(n)' is a size; use it as a value with 'size(\(n))'"))
    }
    report(Diagnostic(.unknownName, "unknown value '\(n)'", at: range, notes: notes))
    return nil
  }

  /// The closest name to `n` within edit distance 2, if any. Names differing in length by
  /// more than 2 are skipped, and the whole compilation compares at most
  /// `maximumSuggestionComparisons` names, so that many unknown names among many known ones
  /// cost linear time (later unknown names get no suggestion).
  func suggestion<Names: Collection<String>>(for n: String, among names: Names) -> String? {
    guard suggestionComparisons + names.count <= Checker.maximumSuggestionComparisons else {
      return nil
    }
    suggestionComparisons += names.count
    let length = n.unicodeScalars.count
    let candidates = names.filter { abs($0.unicodeScalars.count - length) <= 2 }
    let scored = candidates.map { ($0, editDistance($0, n)) }.filter { $0.1 <= 2 && $0.1 < n.count }
    return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.first?.0
  }

  /// The Levenshtein distance between two short strings.
  func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
    var row = Array(0...y.count)
    for i in 1...x.count {
      var prev = row[0]
      row[0] = i
      for j in 1...y.count {
        let cur = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (x[i - 1] == y[j - 1] ? 0 : 1))
        prev = cur
      }
    }
    return row[y.count]
  }

  /// The elementwise combination of two tensors, broadcast by name: the union of their axes
  /// (left operand's order first); equal names must have equal sizes.
  func broadcast(
    _ x: TensorType, _ y: TensorType, operator op: String, lhs: SourceRange, rhs: SourceRange,
    at range: SourceRange
  ) -> TensorType? {
    guard x.element == y.element, x.element != .bool else {
      var notes = [Note("left operand: \(x)", at: lhs), Note("right operand: \(y)", at: rhs)]
      if let hint = conversionHint(x.element, y.element, lhs: lhs, rhs: rhs) { notes.append(Note(hint)) }
      report(
        Diagnostic(.elementTypeMismatch, x.element == y.element
            ? "operator '\(op)' does not apply to bool tensors"
            : "operator '\(op)' combines \(x.element) and \(y.element) tensors",
          at: range, notes: notes))
      return nil
    }
    return broadcastAxes(x, y, operator: op, lhs: lhs, rhs: rhs, at: range)
  }

  /// The union of two tensors' axes by name (left operand's order first, left element type);
  /// equal names must have equal sizes. Element types are the caller's concern.
  func broadcastAxes(
    _ x: TensorType, _ y: TensorType, operator op: String, lhs: SourceRange, rhs: SourceRange,
    at range: SourceRange
  ) -> TensorType? {
    var axes = x.axes
    var ok = true
    for a in y.axes {
      if let b = x.axis(a.name) {
        ok =
          requireEqual(
            b.size, a.size, at: range,
            error: {
              Diagnostic(.sizeMismatch, "axis '\(a.name)' has size \(b.size) on the left of '\(op)' but \(a.size) on the right",
                at: range,
                notes: [
                  Note("left operand: \(x)", at: lhs), Note("right operand: \(y)", at: rhs),
                  Note("axes are matched by name; rename one of them if they are different axes"),
                ])
            }, what: "axis '\(a.name)' in '\(op)'") && ok
      } else {
        axes.append(a)
      }
    }
    return ok ? x.with(axes: axes) : nil
  }

  /// `X[t = 0]` and `X[t = a..<b -> t']`.
  func checkIndex(_ base: Expr, _ items: [IndexItem], at range: SourceRange) -> ValueType? {
    guard var t = tensor(base) else { return nil }
    for item in items {
      guard let axis = t.axis(item.axis.name) else {
        report(missingAxis(item.axis.name, in: t, at: item.axis.range, doing: "index"))
        return nil
      }
      guard let start = evaluate(item.start) else { return nil }
      if let end = item.end {
        guard let stop = evaluate(end) else { return nil }
        guard let length = try? Size.subtract(stop, start) else { return nil }
        if let s = start.constant, let e = stop.constant, let n = axis.size.constant,
          s < 0 || e > n || e <= s
        {
          report(
            Diagnostic(.indexOutOfRange, "slice \(s)..<\(e) of axis '\(axis.name)' is outside 0..<\(n) or empty",
              at: item.start.range.extended(toCover: end.range)))
          return nil
        }
        let newName = item.renamed?.name ?? axis.name
        if newName != axis.name && t.axis(newName) != nil {
          report(
            Diagnostic(.duplicateAxis, "the tensor already has an axis '\(newName)'",
              at: item.renamed!.range))
          return nil
        }
        t = t.with(axes: t.axes.map { $0.name == axis.name ? Axis(newName, length) : $0 })
      } else {
        if let s = start.constant, let n = axis.size.constant, s < 0 || s >= n {
          report(
            Diagnostic(.indexOutOfRange, "index \(s) is outside axis '\(axis.name)' of size \(n)",
              at: item.start.range))
          return nil
        }
        t = t.with(axes: t.axes.filter { $0.name != axis.name })
      }
    }
    return .tensor(t)
  }

  /// `skip[slot]`: the type stored in that memory slot.
  func checkLoad(_ name: Identifier, _ slotExpr: SizeExpr, at range: SourceRange) -> ValueType? {
    if scope.values[name.name] != nil {
      report(
        Diagnostic(.expectedIndex, "'\(name.name)' is a value; index an axis with '\(name.name)[axis = i]'",
          at: range))
      return nil
    }
    guard let slot = evaluate(slotExpr) else { return nil }
    let slots = scope.memory[name.name] ?? [:]
    if let c = slot.constant, let t = slots[c] { return .tensor(t) }
    if let t = scope.symbolicMemory[name.name] { return .tensor(t) }
    if slot.constant == nil, let any = slots.keys.sorted().first.map({ slots[$0]! }) {
      return .tensor(any)
    }
    let stored = slots.keys.sorted().map(String.init).joined(separator: ", ")
    report(
      Diagnostic(.memoryUnsetSlot, slots.isEmpty && scope.symbolicMemory[name.name] == nil
          ? "memory '\(name.name)' is read before anything is stored in it"
          : "slot \(slot) of memory '\(name.name)' is read but never stored",
        at: range, notes: stored.isEmpty ? [] : [Note("stored slots: \(stored)")]))
    return nil
  }

  /// `X as [k x]`: the same axes in the written order.
  func checkReorder(_ t: TensorType, _ typeExpr: TensorTypeExpr, at range: SourceRange)
    -> TensorType?
  {
    var axes: [Axis] = []
    for item in expandBundles(typeExpr.axes) {
      guard let a = t.axis(item.name.name) else {
        report(missingAxis(item.name.name, in: t, at: item.name.range, doing: "reorder"))
        return nil
      }
      if let e = item.size, let s = evaluate(e) {
        _ = requireEqual(
          a.size, s, at: item.name.range,
          error: {
            Diagnostic(.sizeMismatch, "axis '\(a.name)' has size \(a.size), not \(s)",
              at: item.name.range)
          }, what: "axis '\(a.name)'")
      }
      axes.append(a)
    }
    let missing = t.names.filter { n in !axes.contains { $0.name == n } }
    if !missing.isEmpty || axes.count != t.axes.count {
      report(
        Diagnostic(.reorderMismatch, "'as \(typeExpr.textForm)' must list every axis of \(t) exactly once",
          at: typeExpr.range,
          notes: missing.isEmpty ? [] : [Note("missing \(axisList(missing))")]))
      return nil
    }
    return t.with(axes: axes)
  }

  /// The error for an operation that names an axis its operand lacks.
  func missingAxis(_ name: String, in t: TensorType, at range: SourceRange, doing what: String)
    -> Diagnostic
  {
    var notes = [Note("the operand has type \(t)")]
    if let s = suggestion(for: name, among: t.names) { notes.append(Note("did you mean '\(s)'?")) }
    return Diagnostic(.missingAxis, "cannot \(what) axis '\(name)': the operand has no such axis", at: range,
      notes: notes)
  }
}
