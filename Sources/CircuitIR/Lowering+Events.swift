import CircuitDiagnostics
import CircuitSema
import CircuitSyntax

extension Lowering: ElaborationObserver {

  public func entryBegins(_ circuit: CircuitDecl, inputs: [(name: String, type: TensorType)]) {
    regionStack = []
    frames = [Frame()]
    openRegion(.circuit(name: circuit.name.name, instance: ""), site: circuit.name.range)
    for (i, input) in inputs.enumerated() {
      let site = circuit.inputs[i].name.range
      let type = concrete(input.type, site: site)
      function.inputs.append((input.name, type))
      let v = append(.input(index: i, name: input.name), [], type, site)
      frames[0].names[input.name] = .tensor(v)
    }
  }

  public func bodyEnds(outputs: [TensorType], site: SourceRange) {
    let returned = pop().segments
    var ordered: [IR.Value] = []
    for (v, t) in zip(returned, outputs) {
      let names = t.names
      let current = function.type(of: v).names
      ordered.append(Array(current.prefix(names.count)) == names ? v : emit(.transpose(order: names), [v], site: site))
    }
    frames[frames.count - 1].returned = ordered
    if frames.count == 1 {
      function.outputs = ordered
      while frames[0].regionDepth > 0 { closeRegion() }
    }
  }

  public func callBegins(
    _ callee: CircuitDecl, instance: [String], inputs: [(name: String, type: TensorType)],
    argumentCount: Int, bindings: [String: String], site: SourceRange
  ) {
    let arguments = popSegments(argumentCount)
    var frame = Frame()
    var extras: [String: String] = [:]
    var bound: [(String, IR.Value)] = []
    for (input, argument) in zip(inputs, arguments) {
      var mapping: [(String, String)] = []
      let innerNames = input.type.names
      let outerNames = Set(innerNames.map { bindings[$0] ?? $0 })
      for inner in innerNames { mapping.append((bindings[inner] ?? inner, inner)) }
      // Axes the call is broadcast over get fresh names inside, so they never meet the
      // callee's own axes of the same name.
      for name in function.type(of: argument).names where !outerNames.contains(name) {
        if extras[name] == nil {
          fresh += 1
          extras[name] = "\(name)#\(fresh)"
        }
        mapping.append((name, extras[name]!))
      }
      bound.append((input.name, renamedSimultaneously(argument, mapping, site: site)))
    }
    for (name, value) in bound { frame.names[name] = .tensor(value) }
    for (outer, inner) in extras { frame.calleeToCaller[inner] = outer }
    for (inner, outer) in bindings { frame.calleeToCaller[inner] = outer }
    frames.append(frame)
    openRegion(.circuit(name: callee.name.name, instance: instance.joined(separator: ".")), site: site)
  }

  public func callEnds(result: ValueType, site: SourceRange) {
    guard let frame = frames.popLast() else { return }
    for _ in 0..<frame.regionDepth { _ = regionStack.popLast() }
    let values = frame.returned.map { v -> IR.Value in
      let mapping = function.type(of: v).names.compactMap { n in frame.calleeToCaller[n].map { (n, $0) } }
      return renamedSimultaneously(v, mapping, site: site)
    }
    stack.append(values.count == 1 ? .tensor(values[0]) : .tuple(values))
  }

  /// Renames axes all at once (so that swaps such as `x -> y, y -> x` are correct).
  func renamedSimultaneously(_ v: IR.Value, _ mapping: [(String, String)], site: SourceRange) -> IR.Value {
    let names = function.type(of: v).names
    let pairs = mapping.filter { $0.0 != $0.1 && names.contains($0.0) }
    guard !pairs.isEmpty else { return v }
    return emit(.rename(from: pairs.map(\.0), to: pairs.map(\.1)), [v], site: site)
  }

  public func number(_ value: Double, site: SourceRange) {
    stack.append(.tensor(append(.constant(value), [], IR.TensorType(.f32, []), site)))
  }

  public func read(_ name: String, site: SourceRange) {
    if let slot = frames.last?.names[name] {
      stack.append(slot)
    } else if name == "inf" {
      number(.infinity, site: site)
    } else {
      problems.append(.error("internal-lowering", "internal error: '\(name)' is not bound", at: site))
      stack.append(.tuple([]))
    }
  }

  public func tuple(_ count: Int, site: SourceRange) {
    var parts: [IR.Value] = []
    for _ in 0..<count { parts = pop().segments + parts }
    stack.append(.tuple(parts))
  }

  public func negate(site: SourceRange) {
    let v = popTensor()
    stack.append(.tensor(emit(.unary(.negate), [v], site: site)))
  }

  public func binary(_ op: BinaryOperator, site: SourceRange) {
    let rhs = popTensor()
    let lhs = popTensor()
    let f: IR.BinaryFunction =
      switch op {
      case .add: .add
      case .subtract: .subtract
      case .multiply: .multiply
      case .divide: .divide
      case .power: .power
      }
    stack.append(.tensor(emit(.binary(f), [lhs, rhs], site: site)))
  }

  public func index(_ selections: [IndexSelection], site: SourceRange) {
    var v = popTensor()
    for s in selections {
      if let end = s.end {
        v = emit(.slice(axis: s.axis, start: s.start, end: end, renamed: s.renamed), [v], site: site)
      } else {
        v = emit(.index(axis: s.axis, position: s.start), [v], site: site)
      }
    }
    stack.append(.tensor(v))
  }

  public func load(_ memory: String, slot: Int, site: SourceRange) {
    guard let v = frames.last?.memory[memory]?[slot] else {
      problems.append(.error("internal-lowering", "internal error: memory slot \(memory)[\(slot)] is empty", at: site))
      stack.append(.tuple([]))
      return
    }
    stack.append(.tensor(v))
  }

  public func reorder(_ axes: [String], site: SourceRange) {
    let v = popTensor()
    stack.append(.tensor(emit(.transpose(order: axes), [v], site: site)))
  }

  public func bind(_ pattern: Pattern) {
    bind(pattern, pop())
  }

  /// Binds the names of `pattern` to `slot`'s segments.
  func bind(_ pattern: Pattern, _ slot: Slot) {
    switch pattern {
    case .name(let id):
      if id.name != "_" { frames[frames.count - 1].names[id.name] = slot }
    case .tuple(let parts, _):
      for (p, v) in zip(parts, slot.segments) { bind(p, .tensor(v)) }
    }
  }

  public func store(_ memory: String, slot: Int, site: SourceRange) {
    frames[frames.count - 1].memory[memory, default: [:]][slot] = popTensor()
  }

  public func parameter(
    _ name: String, fullName: String, type: TensorType, initializer: Initializer?, site: SourceRange
  ) {
    // A parameter met again (in a later iteration of a shared loop) is the same value.
    if let earlier = function.instructions.firstIndex(where: {
      if case .parameter(fullName, _) = $0.op { true } else { false }
    }) {
      frames[frames.count - 1].names[name] = .tensor(IR.Value(earlier))
      return
    }
    let t = concrete(type, site: site)
    function.parameters.append(IR.Parameter(name: fullName, type: t, initializer: initializer, site: site))
    let v = append(.parameter(name: fullName, initializer: initializer), [], t, site)
    frames[frames.count - 1].names[name] = .tensor(v)
  }

  public func groupBegins(_ name: String, site: SourceRange) { openRegion(.group(name), site: site) }

  public func groupEnds() { closeRegion() }

  public func iterationBegins(variable: String, value: Int, instance: String, site: SourceRange) {
    openRegion(.iteration(variable: variable, value: value, instance: instance), site: site)
  }

  public func iterationEnds() { closeRegion() }

  public func unsupported(_ message: String, site: SourceRange) {
    problems.append(.error("cannot-lower", "cannot run this program: \(message)", at: site))
  }
}
