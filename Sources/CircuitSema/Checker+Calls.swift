import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// Checks a call of a built-in or a circuit.
  func checkCall(_ written: Call, at range: SourceRange) -> ValueType? {
    let call = resolvingArgumentLabels(written)
    if isBuiltin(call.callee.name) {
      let result = checkBuiltin(call, at: range)
      if case .tensor(let t)? = result, let o = recording { recordBuiltin(call, type: t, at: range, to: o) }
      return result
    }
    if let l = call.label, !call.hasParentheses, call.bindings.isEmpty, call.bracket == nil,
      scope.values[call.callee.name] != nil
    {
      // `G(A: X)`: a label on a value, meant as an argument name.
      report(
        Diagnostic(.labelledArgument, "circuit arguments are positional; remove the label '\(l.name):'",
          at: l.range))
      return lookup(call.callee.name, at: call.callee.range)
    }
    guard let callee = program.circuit(named: call.callee.name) else {
      var notes: [Note] = []
      if scope.values[call.callee.name] != nil {
        notes.append(Note("'\(call.callee.name)' is a value, not a circuit"))
      }
      if let s = suggestion(
        for: call.callee.name,
        among: program.circuits.map(\.name) + Array(unaryFunctions) + Array(Parser.axisBuiltins))
      {
        notes.append(Note("did you mean '\(s)'?"))
      }
      report(
        Diagnostic(.unknownCircuit, "unknown circuit or function '\(call.callee.name)'",
          at: call.callee.range, notes: notes))
      for a in call.arguments { _ = check(a.value) }
      return nil
    }
    guard let sig = signature(of: callee) else { return nil }
    var argumentTypes: [TensorType] = []
    var argumentRanges: [SourceRange] = []
    var failed = false
    let constants = constantArguments(call, of: callee)
    for a in call.arguments where a.label == nil {
      guard let t = check(a.value) else {
        failed = true
        continue
      }
      argumentTypes += t.segments
      argumentRanges += Array(repeating: a.value.range, count: t.segments.count)
    }
    guard !failed, let constants else { return nil }
    guard let solved = solve(call, sig, argumentTypes, argumentRanges, at: range) else { return nil }
    if mode == .instance {
      elaborateCall(
        call, callee, solved, constants: constants, argumentCount: argumentTypes.count, at: range)
    }
    return solved.result
  }

  /// The solution of a call: the callee's symbols in the caller's sizes, and the result type.
  struct CallSolution {
    let substitution: [String: Size]
    let result: ValueType
    let bindings: [String: String]
  }

  /// Binds the callee's axes and sizes to the caller's arguments, checks every size, and
  /// computes the result type including axes the call is broadcast over.
  func solve(
    _ call: Call, _ sig: CircuitSignature, _ args: [TensorType], _ argRanges: [SourceRange],
    at range: SourceRange
  ) -> CallSolution? {
    let name = sig.name
    // Axis bindings `<a: t>`.
    var nameMap: [String: String] = [:]
    for (inner, outer) in call.bindings {
      guard sig.axisNames.contains(inner.name) else {
        report(
          Diagnostic(.unknownBinding, "'\(name)' has no axis '\(inner.name)' to bind", at: inner.range,
            notes: [Note("its axes are " + sig.axisNames.map { "'\($0)'" }.joined(separator: ", "))]))
        return nil
      }
      if nameMap[inner.name] != nil {
        report(Diagnostic(.duplicateBinding, "axis '\(inner.name)' is bound twice", at: inner.range))
        return nil
      }
      nameMap[inner.name] = outer.name
    }
    func outer(_ n: String) -> String { nameMap[n] ?? n }
    // Two callee axes may be bound to one caller axis (self-attention binds `y` and `x` to
    // `t`) as long as no single input or output of the callee carries both.
    for (what, t) in sig.inputs.map({ ("input '\($0.name)'", $0.type) })
      + sig.outputs.map({ ("the output", $0) })
    {
      let images = t.names.map(outer)
      if let dup = images.first(where: { n in images.filter { $0 == n }.count > 1 }) {
        let clashing = t.names.filter { outer($0) == dup }.map { "'\($0)'" }.joined(separator: " and ")
        report(
          Diagnostic(.duplicateBinding, "axes \(clashing) of \(what) of '\(name)' are both bound to '\(dup)'",
            at: range, notes: [Note("a tensor cannot carry '\(dup)' twice; bind one of them to another axis")]))
        return nil
      }
    }
    // Size arguments `[...]`.
    var substitution: [String: Size] = [:]
    var origins: [String: [(Size, String, SourceRange)]] = [:]
    if case .sizes(let sizeArgs)? = call.bracket {
      for (i, a) in sizeArgs.enumerated() {
        let pname: String
        if let l = a.label {
          guard sig.sizeParameters.contains(l.name) else {
            report(
              Diagnostic(.unknownSizeParameter, "'\(name)' has no size parameter '\(l.name)'",
                at: l.range,
                notes: [Note(sig.sizeParameters.isEmpty ? "it takes none" : "its size parameters: " + sig.sizeParameters.joined(separator: ", "))]))
            return nil
          }
          pname = l.name
        } else {
          guard i < sig.sizeParameters.count else {
            report(
              Diagnostic(.arityMismatch, "'\(name)' takes \(sig.sizeParameters.count) size argument\(sig.sizeParameters.count == 1 ? "" : "s") but \(sizeArgs.count) were given",
                at: a.value.range))
            return nil
          }
          pname = sig.sizeParameters[i]
        }
        guard let v = evaluate(a.value) else { return nil }
        substitution[pname] = v
        origins[pname, default: []].append((v, "size argument '\(pname)'", a.value.range))
      }
    }
    // Inputs against arguments.
    guard args.count == sig.inputs.count else {
      report(
        Diagnostic(.arityMismatch, "'\(name)' takes \(sig.inputs.count) input\(sig.inputs.count == 1 ? "" : "s") but \(args.count) \(args.count == 1 ? "was" : "were") given",
          at: range, notes: [Note("signature: \(sig)")]))
      return nil
    }
    var matched: [(inner: Axis, outer: Axis, input: String, range: SourceRange)] = []
    var extras: [(axis: Axis, leading: Bool, range: SourceRange)] = []
    for (i, (input, arg)) in zip(sig.inputs, args).enumerated() {
      if input.type.element != arg.element {
        report(
          Diagnostic(.elementTypeMismatch, "argument \(i + 1) of '\(name)' is \(arg.element) but input '\(input.name)' is \(input.type.element)",
            at: argRanges[i]))
        return nil
      }
      for a in input.type.axes {
        guard let o = arg.axis(outer(a.name)) else {
          var notes = [Note("argument \(i + 1) has type \(arg)"), Note("signature: \(sig)")]
          if nameMap[a.name] == nil {
            notes.append(Note("bind the axis to one of the argument's axes, e.g. '\(name)<\(a.name): \(arg.names.first ?? "t")>(…)'"))
          }
          report(
            Diagnostic(.missingAxis, "argument \(i + 1) of '\(name)' has no axis '\(outer(a.name))' for input '\(input.name)'\(nameMap[a.name] == nil ? "" : " (bound from '\(a.name)')")",
              at: argRanges[i], notes: notes))
          return nil
        }
        matched.append((a, o, input.name, argRanges[i]))
        if let sym = a.size.symbolName, sig.freeSymbols.contains(sym), !sig.sizeParameters.contains(sym)
          || substitution[sym] == nil
        {
          origins[sym, default: []].append((o.size, "argument '\(input.name)'", argRanges[i]))
          if substitution[sym] == nil { substitution[sym] = o.size }
        }
      }
      let innerNames = Set(input.type.names.map(outer))
      for (j, a) in arg.axes.enumerated() where !innerNames.contains(a.name) {
        extras.append((a, j == 0, argRanges[i]))
      }
    }
    // Symbols still unknown: output-only axes get the size the callee's body determines, or
    // else the caller's size of the bound name.
    if let callee = program.circuit(named: name) { ensureBodyChecked(callee) }
    let inferred = inferredOutputSizes[name] ?? [:]
    for sym in inferred.keys.sorted() where substitution[sym] == nil {
      if let v = try? inferred[sym]!.substituting(substitution) { substitution[sym] = v }
    }
    for sym in sig.freeSymbols.sorted() where substitution[sym] == nil {
      if sig.sizeParameters.contains(sym) {
        report(
          Diagnostic(.missingSizeArgument, "call of '\(name)' does not give its size parameter '\(sym)'",
            at: range, notes: [Note("signature: \(sig)")]))
        return nil
      }
      if sig.axisNames.contains(sym) {
        substitution[sym] = sizeOf(name: outer(sym), at: range)
      }
    }
    // Check every matched size.
    var ok = true
    let table = sig.freeSymbols.sorted().compactMap { s -> String? in
      let values = (origins[s] ?? []).map(\.0)
      var distinct: [Size] = []
      for v in values where !distinct.contains(v) { distinct.append(v) }
      if distinct.isEmpty { return substitution[s].map { "\(s) = \($0)" } }
      return "\(s) = " + distinct.map(\.description).joined(separator: " | ")
    }.joined(separator: ", ")
    var reportedSymbols: Set<String> = []
    for m in matched {
      guard let expected = try? m.inner.size.substituting(substitution) else { return nil }
      if let sym = m.inner.size.symbolName, reportedSymbols.contains(sym) { continue }
      let before = log.errorCount
      defer {
        if log.errorCount > before, let sym = m.inner.size.symbolName { reportedSymbols.insert(sym) }
      }
      ok =
        requireEqual(
          expected, m.outer.size, at: m.range,
          error: {
            var notes: [Note] = []
            if let sym = m.inner.size.symbolName {
              notes += (origins[sym] ?? []).map { Note("'\(sym)' = \($0.0) from \($0.1)", at: $0.2) }
            }
            notes.append(Note("bindings at this call: \(table)"))
            return Diagnostic(.sizeMismatch, "axis '\(m.outer.name)' has size \(m.outer.size) here but '\(name)' expects \(expected) for input '\(m.input)'",
              at: m.range, notes: notes)
          }, what: "axis '\(m.outer.name)' at the call of '\(name)'") && ok
    }
    if !ok { return nil }
    // Broadcast axes must agree across arguments and not collide with the results.
    var lifted: [(axis: Axis, leading: Bool)] = []
    var liftedRanges: [String: SourceRange] = [:]
    for e in extras {
      if let prev = lifted.first(where: { $0.axis.name == e.axis.name }) {
        ok =
          requireEqual(
            prev.axis.size, e.axis.size, at: e.range,
            error: {
              Diagnostic(.sizeMismatch, "broadcast axis '\(e.axis.name)' has size \(e.axis.size) here but \(prev.axis.size) in an earlier argument",
                at: e.range,
                notes: liftedRanges[e.axis.name].map { [Note("'\(e.axis.name)' = \(prev.axis.size) here", at: $0)] } ?? [])
            }, what: "broadcast axis '\(e.axis.name)'") && ok
      } else {
        lifted.append((e.axis, e.leading))
        liftedRanges[e.axis.name] = e.range
      }
    }
    if !ok { return nil }
    var results: [TensorType] = []
    for out in sig.outputs {
      var axes: [Axis] = []
      for a in out.axes {
        guard let s = try? a.size.substituting(substitution) else {
          reportSizeError(.overflow, at: range)
          return nil
        }
        guard validateAxisSize(s, axis: outer(a.name), at: range) else { return nil }
        axes.append(Axis(outer(a.name), s))
      }
      for l in lifted where axes.contains(where: { $0.name == l.axis.name }) {
        report(
          Diagnostic(.broadcastClash, "the call of '\(name)' is broadcast over axis '\(l.axis.name)', which its result already has",
            at: range, notes: [Note("rename the broadcast axis or bind the callee's axis to another name")]))
        return nil
      }
      let leading = lifted.filter(\.leading).map(\.axis)
      let trailing = lifted.filter { !$0.leading }.map(\.axis)
      results.append(out.with(axes: leading + axes + trailing))
    }
    return CallSolution(
      substitution: substitution,
      result: results.count == 1 ? .tensor(results[0]) : .tuple(results), bindings: nameMap)
  }

  /// In instance mode: checks the callee's body with the call's sizes, under a unique
  /// instance name, collecting its parameters.
  func elaborateCall(
    _ call: Call, _ callee: Program.CircuitEntry, _ solved: CallSolution,
    constants: [String: Double], argumentCount: Int, at range: SourceRange
  ) {
    let substitution = solved.substitution
    if instancesInProgress.contains(callee.name) {
      let cycle = Array(instanceStack[instanceStack.firstIndex(of: callee.name)!...])
      if reportedCycles.insert(cycle.sorted()).inserted {
        report(
          Diagnostic(.recursiveCircuit, "circuit '\(callee.name)' calls itself (\((cycle + [callee.name]).joined(separator: " -> "))); recursion is not supported",
            at: range))
      }
      return
    }
    if instanceStack.count >= Checker.maximumInstanceDepth {
      instanceDepthErrors += 1
      report(
        Diagnostic(.nestingTooDeep, "circuit instances are nested more than \(Checker.maximumInstanceDepth) deep at this call of '\(callee.name)'",
          at: range))
      return
    }
    let base = call.label?.name ?? instanceNameHint(for: range) ?? lowerFirst(callee.name)
    var name = base
    let key = (instancePath[bodyPathStart...] + [base]).joined(separator: ".")
    if let n = usedInstanceNames[key] {
      usedInstanceNames[key] = n + 1
      name = "\(base)_\(n + 1)"
    } else {
      usedInstanceNames[key] = 1
    }
    instancePath.append(name)
    defer { instancePath.removeLast() }
    if reuseCachedInstance(of: callee, substitution: substitution, constants: constants) { return }
    instanceFrames.append(
      InstanceFrame(
        pathLength: instancePath.count, callee: callee.name, substitution: substitution,
        range: range))
    instanceStack.append(callee.name)
    instancesInProgress.insert(callee.name)
    if let o = recording, let sig = signature(of: callee) {
      let inputs = sig.inputs.map { ($0.name, (try? $0.type.substituting(substitution)) ?? $0.type) }
      o.callBegins(
        callee.decl.name.name, instance: instancePath, inputs: inputs, argumentCount: argumentCount,
        bindings: solved.bindings, site: range)
    }
    cachingInstance(of: callee, substitution: substitution, constants: constants) {
      _ = checkBody(callee, substitution: substitution, constants: constants)
    }
    recording?.callEnds(result: solved.result)
    instancesInProgress.remove(callee.name)
    instanceStack.removeLast()
    instanceFrames.removeLast()
  }

  /// Records a built-in application with its bracket evaluated.
  func recordBuiltin(_ call: Call, type: TensorType, at range: SourceRange, to o: ElaborationRecorder) {
    var inputs: [String] = []
    var outputs: [String] = []
    var options: [String: Int] = [:]
    if case .axes(let spec)? = call.bracket {
      inputs = expandBundles(spec.inputs).map(\.name.name)
      outputs = expandBundles(spec.outputs ?? []).map(\.name.name)
      for opt in spec.options {
        guard let v = evaluate(opt.value)?.constant else {
          o.append(
            .unsupported(
              message: "option '\(opt.name.name)' of '\(call.callee.name)' is not a constant", site: opt.value.range))
          return
        }
        options[opt.name.name] = v
      }
    }
    let epsilon = call.arguments.first { $0.label?.name == "eps" }.flatMap { constantScalar($0.value) }
    let count = call.arguments.filter { $0.label == nil }.count
    o.expression(
      .builtin(
        BuiltinApplication(
          name: call.callee.name, inputs: inputs, outputs: outputs, options: options,
          epsilon: epsilon, argumentCount: count)), type: .tensor(type), site: range)
  }

  /// The assigned variable's name when the call is the whole right side of an assignment.
  func instanceNameHint(for range: SourceRange) -> String? {
    guard let h = assignmentHint, h.range == range, h.name != "_" else { return nil }
    return h.name
  }

  /// `MultiHeadAttention` → `multiHeadAttention`.
  func lowerFirst(_ s: String) -> String { s.prefix(1).lowercased() + s.dropFirst() }
}
