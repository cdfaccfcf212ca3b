import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// Checks statements in order; `topLevel` is true for the circuit body itself.
  func checkStatements(_ body: [Stmt], topLevel: Bool) {
    for stmt in body {
      if scope.sawReturn {
        report(
          Diagnostic(.codeAfterReturn, "statement after 'return' is never run", at: stmt.range))
        return
      }
      switch stmt.kind {
      case .assign(let pattern, let expr):
        if case .name(let id) = pattern { assignmentHint = (expr.range, id.name) }
        let value = check(expr)
        bind(pattern, to: value, from: expr.range)
        if value != nil { recording?.append(.bind(BindingPattern(pattern))) }
        assignmentHint = nil
      case .store(let name, let slotExpr, let expr):
        checkStore(name, slotExpr, expr)
      case .param(let d):
        declareParameter(d)
      case .size(let d):
        if !topLevel { declareSize(d) }
      case .bundle(let b):
        if !topLevel { declareBundle(b) }
      case .ret(let expr):
        let t = check(expr)
        if !topLevel {
          report(
            Diagnostic(.returnNotLast, "'return' must be the last statement of the circuit body",
              at: stmt.range))
        }
        scope.returned = t
        scope.sawReturn = true
      case .loop(let loop):
        checkLoop(loop, at: stmt.range)
      case .group(let name, let inner):
        recording?.groupBegins(name, site: stmt.range)
        checkStatements(inner, topLevel: false)
        recording?.blockEnds()
      }
    }
  }

  /// Binds the names of `pattern` to the segments of `type` (nil: the value had an error).
  func bind(_ pattern: Pattern, to type: ValueType?, from range: SourceRange) {
    switch pattern {
    case .name(let id):
      if id.name == "_" { return }
      if let old = scope.values[id.name] {
        if old.kind == .input || old.kind == .parameter, !(old.type == nil) {
          // Rebinding an input or parameter name is allowed; the old binding is retired.
        }
        scope.retired.append((id.name, old))
      }
      scope.values[id.name] = ValueBinding(type: type, range: id.range, kind: .value)
    case .tuple(let parts, let r):
      guard let t = type else {
        for p in parts { bind(p, to: nil, from: range) }
        return
      }
      let segments = t.segments
      guard segments.count == parts.count else {
        report(
          Diagnostic(.tupleArity, "cannot destructure \(segments.count) value\(segments.count == 1 ? "" : "s") into \(parts.count) names",
            at: r, notes: [Note("the value has type \(t)", at: range)]))
        for p in parts { bind(p, to: nil, from: range) }
        return
      }
      for (p, s) in zip(parts, segments) { bind(p, to: .tensor(s), from: range) }
    }
  }

  /// Checks `name[slot] = expr`.
  func checkStore(_ name: Identifier, _ slotExpr: SizeExpr, _ expr: Expr) {
    let value = check(expr)
    if scope.values[name.name] != nil {
      report(
        Diagnostic(.notAMemory, "'\(name.name)' is a value, not a memory; memories are written as 'name[slot] = value' with a fresh name",
          at: name.range))
      return
    }
    guard let slot = evaluate(slotExpr), let v = value else { return }
    guard case .tensor(let t) = v else {
      report(Diagnostic(.memoryTuple, "a memory slot holds one tensor, not a tuple", at: expr.range))
      return
    }
    if let c = slot.constant {
      scope.memory[name.name, default: [:]][c] = t
      recording?.append(.store(memory: name.name, slot: c, site: name.range.extended(toCover: slotExpr.range)))
    } else {
      recording?.append(.unsupported(message: "memory slot '\(name.name)[\(slot)]' is not a constant", site: slotExpr.range))
      scope.symbolicMemory[name.name] = t
    }
  }

  /// Declares a learned parameter and, in instance mode, records it with its full name.
  func declareParameter(_ d: ParamDecl) {
    let type = evaluate(d.type)
    if let old = scope.values[d.name.name] {
      report(
        Diagnostic(.duplicateParameter, "'\(d.name.name)' is already defined", at: d.name.range,
          notes: [Note("previous definition", at: old.range)]))
      return
    }
    if type.element != .float32 {
      report(
        Diagnostic(.parameterElementType, "parameters must be f32, not \(type.element)", at: d.type.range))
    }
    scope.values[d.name.name] = ValueBinding(type: .tensor(type), range: d.name.range, kind: .parameter)
    if mode == .instance {
      let full = (instancePath + [d.name.name]).joined(separator: ".")
      if let earlier = parameterIndex[full].map({ parameters[$0] }) {
        // A shared loop's later iteration: the same parameter again.
        if earlier.type != type {
          report(
            Diagnostic(.sharedParameterChanges, "shared parameter '\(full)' is \(type) in this iteration but \(earlier.type) in an earlier one",
              at: d.type.range))
        }
        recording?.append(.parameter(ElaboratedParameter(name: d.name.name, fullName: full, type: type, initializer: d.initializer, site: d.range)))
        return
      }
      let instance = ParameterInstance(
        fullName: full, type: type, initializer: d.initializer, range: d.range,
        multiplicity: multiplicity)
      requireCountable(instance, at: d.type.range)
      collect(instance)
      recording?.append(.parameter(ElaboratedParameter(name: d.name.name, fullName: full, type: type, initializer: d.initializer, site: d.range)))
    }
  }

  /// Checks a loop: iteration by iteration when its bounds are constant (up to a limit),
  /// otherwise once with a symbolic loop variable, proving that loop-carried values keep
  /// their types.
  func checkLoop(_ loop: Loop, at range: SourceRange) {
    guard let lower = evaluate(loop.lower), let upperRaw = evaluate(loop.upper) else { return }
    let upper = loop.inclusive ? ((try? Size.add(upperRaw, Size(1))) ?? upperRaw) : upperRaw
    let variable = loop.variable.name
    if loop.shared { sharedLoopDepth += 1 }
    defer { if loop.shared { sharedLoopDepth -= 1 } }
    if scope.values[variable] != nil || scope.sizes[variable] != nil {
      report(
        Diagnostic(.loopVariableShadows, "loop variable '\(variable)' hides an existing name",
          at: loop.variable.range))
    }
    if let a = lower.constant, let b = upper.constant, b - a <= Checker.maximumUnrolledIterations
    {
      if b <= a {
        if mode == .generic {
          report(
            Diagnostic(.emptyLoop, "loop runs no iterations (\(a) to \(loop.inclusive ? b - 1 : b))",
              at: range))
        }
        return
      }
      // A shared loop's iterations are one instance: the same names, the same parameters.
      let namesBefore = usedInstanceNames
      for v in a..<b {
        scope.sizes[variable] = Size(v)
        if let component = iterationComponent(loop, value: "\(v)") {
          instancePath.append(component)
        } else {
          usedInstanceNames = namesBefore
        }
        recording?.iterationBegins(variable: variable, value: v, instance: instancePath.joined(separator: "."), site: range)
        checkIteration(loop.body, proveInvariance: false, range: range)
        recording?.blockEnds()
        if iterationComponent(loop, value: "") != nil { instancePath.removeLast() }
      }
      scope.sizes[variable] = nil
      return
    }
    recording?.append(
      .unsupported(
        message: "loop bounds \(lower) and \(upper) are not constants (or the loop has more than \(Checker.maximumUnrolledIterations) iterations)",
        site: loop.lower.range.extended(toCover: loop.upper.range)))
    let trips = (try? Size.subtract(upper, lower)) ?? Size(1)
    let savedMultiplicity = multiplicity
    if !loop.shared { multiplicity = (try? Size.multiply(multiplicity, trips)) ?? multiplicity }
    scope.freeSymbols.insert(variable)
    let component = iterationComponent(loop, value: "[\(variable)]")
    if let component { instancePath.append(component) }
    checkIteration(loop.body, proveInvariance: true, range: range)
    if component != nil { instancePath.removeLast() }
    scope.freeSymbols.remove(variable)
    multiplicity = savedMultiplicity
  }

  /// The instance-name component of an iteration: `layer.3` (`prefix.value`); for a shared
  /// loop the bare `as` name, or nothing.
  func iterationComponent(_ loop: Loop, value: String) -> String? {
    if loop.shared { return loop.instanceName?.name }
    let prefix = loop.instanceName?.name ?? loop.variable.name
    return value.hasPrefix("[") ? prefix + value : "\(prefix).\(value)"
  }

  /// Checks one iteration of a loop body; values first bound inside go out of scope after it.
  func checkIteration(_ body: [Stmt], proveInvariance: Bool, range: SourceRange) {
    let before = scope.values
    checkStatements(body, topLevel: false)
    for name in scope.values.keys.sorted() {
      guard let old = before[name] else {
        scope.retired.append((name, scope.values[name]!))
        scope.values[name] = nil
        continue
      }
      guard proveInvariance, let new = scope.values[name], let t0 = old.type, let t1 = new.type,
        t0 != t1
      else { continue }
      let same =
        t0.segments.count == t1.segments.count
        && zip(t0.segments, t1.segments).allSatisfy { $0.isPermutation(of: $1) }
      if !same {
        let message =
          "'\(name)' has type \(t0) before the loop but \(t1) after an iteration; the checker cannot prove every iteration fits the next"
        if mode == .generic {
          // Deferred: each instance with constant bounds is checked iteration by iteration.
          var poisoned = new
          poisoned.type = nil
          scope.values[name] = poisoned
          deferred.append(
            SizeConstraint(
              lhs: (try? t0.segments.first?.elementCountSize()) ?? Size(0),
              rhs: (try? t1.segments.first?.elementCountSize()) ?? Size(0),
              message: "type of '\(name)' across loop iterations", range: new.range))
        } else {
          report(
            Diagnostic(.loopTypeChanges, message, at: new.range,
              notes: [
                Note("give the loop bounds constant values (e.g. with --size or in 'sizes { }') so each iteration is checked on its own")
              ]))
        }
      }
    }
  }
}
