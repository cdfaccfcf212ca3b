import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// The signature of `c`, computed once (nil when it refers to itself while being computed).
  func signature(of c: Program.CircuitEntry) -> CircuitSignature? {
    if let s = signatures[c.name] { return s }
    if signaturesInProgress.contains(c.name) { return nil }
    signaturesInProgress.insert(c.name)
    defer { signaturesInProgress.remove(c.name) }
    let saved = (scope, file, mode)
    defer { (scope, file, mode) = saved }
    mode = .generic
    file = c.unit.file
    scope = prepareScope(for: c, substitution: [:])
    let inputs = c.decl.inputs.map { (name: $0.name.name, type: evaluate($0.type)) }
    let outputs = c.decl.outputs.map { evaluate($0) }
    var names: [String] = []
    for t in inputs.map(\.type) + outputs {
      for a in t.axes where !names.contains(a.name) { names.append(a.name) }
    }
    let sig = CircuitSignature(
      name: c.name, sizeParameters: c.decl.sizeParameters.map(\.name), inputs: inputs,
      constants: c.decl.constants.map { ($0.name.name, $0.defaultValue) }, outputs: outputs,
      outputNames: c.decl.outputNames.map { $0?.name }, axisNames: names,
      freeSymbols: scope.freeSymbols)
    signatures[c.name] = sig
    return sig
  }

  /// A fresh scope for the body of `c`: file-level sizes and bundles, `=` sizes of the
  /// inputs, and the body's top-level legend; `substitution` gives the free symbols' values.
  func prepareScope(for c: Program.CircuitEntry, substitution: [String: Size]) -> Scope {
    scope = Scope()
    scope.substitution = substitution
    var free = Set(c.decl.sizeParameters.map(\.name))
    var bundleMembers: [String: [AxisItem]] = [:]
    let legend = program.legend(of: c.unit)
    for b in legend.bundles { bundleMembers[b.name.name] = b.members }
    for case .bundle(let b) in c.decl.body.map(\.kind) { bundleMembers[b.name.name] = b.members }
    for t in c.decl.inputs.map(\.type) + c.decl.outputs {
      for item in t.axes {
        if let members = bundleMembers[item.name.name] {
          for m in members where m.size == nil { free.insert(m.name.name) }
        } else if item.size == nil {
          free.insert(item.name.name)
        }
      }
    }
    scope.freeSymbols = free
    var inputNames = Set(c.decl.sizeParameters.map(\.name))
    for t in c.decl.inputs.map(\.type) {
      for item in t.axes {
        inputNames.insert(item.name.name)
        for m in bundleMembers[item.name.name] ?? [] { inputNames.insert(m.name.name) }
      }
    }
    scope.outputOnlySymbols = free.subtracting(inputNames)
    for b in legend.bundles { declareBundle(b) }
    for d in legend.sizes { declareSize(d) }
    for input in c.decl.inputs {
      for item in expandBundles(input.type.axes) {
        if let e = item.size, let v = evaluate(e) { scope.sizes[item.name.name] = v }
      }
    }
    for stmt in c.decl.body {
      switch stmt.kind {
      case .size(let d): declareSize(d)
      case .bundle(let b): declareBundle(b)
      default: break
      }
    }
    return scope
  }

  /// Adds a legend entry to the scope.
  func declareSize(_ d: SizeDecl) {
    if let index = d.index {
      scope.families[d.name.name] = (index.name, d.value)
      return
    }
    scope.freeSymbols.remove(d.name.name)
    // After a reported problem the size stays a plain symbol, so its uses add no errors.
    guard let v = evaluate(d.value), validateAxisSize(v, axis: d.name.name, at: d.value.range)
    else {
      scope.sizes[d.name.name] = .symbol(d.name.name)
      return
    }
    scope.sizes[d.name.name] = v
    scope.sizeOrigins[d.name.name] = d.range
  }

  /// Adds an axis bundle to the scope.
  func declareBundle(_ b: BundleDecl) {
    scope.bundles[b.name.name] = b.members
  }

  /// Checks the body of `c` with the free symbols bound by `substitution`; returns the
  /// declared output types in that instance, or nil when the signature is unusable.
  func checkBody(
    _ c: Program.CircuitEntry, substitution: [String: Size], constants: [String: Double] = [:]
  ) -> [TensorType]? {
    let saved = (scope, file, usedInstanceNames, bodyPathStart)
    defer { (scope, file, usedInstanceNames, bodyPathStart) = saved }
    file = c.unit.file
    usedInstanceNames = [:]
    bodyPathStart = instancePath.count
    let errorsBefore = log.errorCount
    scope = prepareScope(for: c, substitution: substitution)
    for input in c.decl.inputs {
      if scope.values[input.name.name] != nil {
        report(
          Diagnostic(.duplicateInput, "input '\(input.name.name)' is declared twice",
            at: input.name.range))
      }
      scope.values[input.name.name] = ValueBinding(
        type: .tensor(evaluate(input.type)), range: input.name.range, kind: .input)
    }
    declareConstants(of: c, values: constants)
    if mode == .generic { requireDistinctOutputNames(of: c) }
    let outputs = c.decl.outputs.map { evaluate($0) }
    if instancePath.isEmpty, let o = recording {
      o.entryBegins(
        c.decl.inputs.map { ElaboratedInput(name: $0.name.name, type: evaluate($0.type), site: $0.name.range) })
    }
    checkStatements(c.decl.body, topLevel: true)
    if let returned = scope.returned {
      checkReturn(returned, against: outputs, in: c)
      recording?.append(.ret(outputs: outputs, site: returnRange(in: c.decl.body) ?? c.decl.name.range))
    } else if !scope.sawReturn {
      report(
        Diagnostic(.missingReturn, "circuit '\(c.name)' has no 'return' statement",
          at: c.decl.name.range))
    }
    // Unused-value warnings are noise next to errors: an erroneous expression may not have
    // looked at its operands.
    if mode == .generic && log.errorCount == errorsBefore { warnUnused() }
    return outputs
  }

  /// Reports an output name used twice or also naming an input.
  func requireDistinctOutputNames(of c: Program.CircuitEntry) {
    var seen: Set<String> = []
    for case let n? in c.decl.outputNames where !seen.insert(n.name).inserted {
      report(
        Diagnostic(.duplicateOutputName, "output name '\(n.name)' is used twice", at: n.range,
          notes: [Note("each output of '\(c.decl.name.name)' needs its own name (it names the file 'run --out' writes)")]))
    }
  }

  /// Checks that the returned value matches the declared outputs.
  func checkReturn(_ value: ValueType, against outputs: [TensorType], in c: Program.CircuitEntry) {
    let range = returnRange(in: c.decl.body) ?? c.decl.name.range
    let segments = value.segments
    guard segments.count == outputs.count else {
      report(
        Diagnostic(.returnMismatch, "circuit '\(c.name)' returns \(segments.count) value\(segments.count == 1 ? "" : "s") but declares \(outputs.count) output\(outputs.count == 1 ? "" : "s")",
          at: range, notes: [Note("declared outputs: \(ValueType.tuple(outputs))")]))
      return
    }
    for (got, want) in zip(segments, outputs) {
      let missing = want.names.filter { got.axis($0) == nil }
      let extra = got.names.filter { want.axis($0) == nil }
      if !missing.isEmpty || !extra.isEmpty {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(axisList(missing))") }
        if !extra.isEmpty { parts.append("unexpected \(axisList(extra))") }
        report(
          Diagnostic(.returnMismatch, "returned value \(got) does not match the declared output \(want): \(parts.joined(separator: ", "))",
            at: range,
            notes: extra.isEmpty
              ? [] : [Note("reduce, index or rename the extra axes before returning")]))
        continue
      }
      if got.element != want.element {
        report(
          Diagnostic(.elementTypeMismatch, "returned value has element type \(got.element) but the output is declared \(want.element)",
            at: range))
      }
      let inputSymbols = Set(
        (signatures[c.name]?.inputs ?? []).flatMap { $0.type.axes.flatMap(\.size.symbols) })
      for a in want.axes {
        let g = got.axis(a.name)!
        if mode == .generic, g.size != a.size, let s = a.size.symbolName,
          scope.outputOnlySymbols.contains(s), !inputSymbols.contains(s),
          !g.size.definitelyDiffers(from: a.size)
        {
          // The body determines the size of an output-only axis: callers use it.
          if g.size.symbols.allSatisfy({ !scope.outputOnlySymbols.contains($0) }) {
            inferredOutputSizes[c.name, default: [:]][s] = g.size
            continue
          }
          report(
            Diagnostic(.outputSizeUndetermined, "output axis '\(a.name)' gets its size \(g.size) from the body, but the signature leaves it free",
              at: range,
              notes: [Note("declare it at the top of the body, e.g. 'size \(s) = \(g.size)', so callers know it")]))
          continue
        }
        _ = requireEqual(
          g.size, a.size, at: range,
          error: {
            Diagnostic(.sizeMismatch, "returned axis '\(a.name)' has size \(g.size) but the output declares \(a.size)",
              at: range)
          }, what: "returned axis '\(a.name)'")
      }
    }
  }

  /// The range of the top-level return statement's expression.
  func returnRange(in body: [Stmt]) -> SourceRange? {
    for s in body { if case .ret(let e) = s.kind { return e.range } }
    return nil
  }

  /// Warns about values that were bound and never read.
  func warnUnused() {
    var all = scope.retired
    for name in scope.values.keys.sorted() { all.append((name, scope.values[name]!)) }
    for (name, b) in all where !b.used && !name.hasPrefix("_") {
      switch b.kind {
      case .value:
        report(
          Diagnostic(.unusedValue, "value '\(name)' is never used", at: b.range,
            notes: [Note("assign it to '_' to discard it on purpose")]))
      case .input:
        report(Diagnostic(.unusedInput, "input '\(name)' is never used", at: b.range))
      case .constant:
        report(Diagnostic(.unusedInput, "constant '\(name)' is never used", at: b.range))
      case .parameter:
        report(Diagnostic(.unusedParameter, "parameter '\(name)' is never used", at: b.range))
      }
    }
  }

  /// `'a', 'b'` or `axis 'a'`.
  func axisList(_ names: [String]) -> String {
    (names.count == 1 ? "axis " : "axes ") + names.map { "'\($0)'" }.joined(separator: ", ")
  }
}
