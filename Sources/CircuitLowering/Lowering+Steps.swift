import CircuitDiagnostics
import CircuitIR
import CircuitSema

extension Lowering {

  // MARK: - Blocks

  /// Lowers the entry's inputs and body.
  func lowerEntry(_ program: ElaboratedProgram) {
    regionStack = []
    frames = [Frame()]
    openRegion(.circuit(name: program.circuit, instance: ""), site: program.site)
    for (i, input) in program.inputs.enumerated() {
      let type = concrete(input.type, site: input.site)
      function.inputs.append((input.name, type))
      let v = append(.input(index: i, name: input.name), [], type, input.site)
      frames[0].names[input.name] = .tensor(v)
    }
    lower(program.body)
    function.outputNames = program.outputNames
  }

  /// Lowers the steps of a block in order.
  func lower(_ steps: [ElaboratedStep]) {
    for step in steps {
      switch step {
      case .expression(let e): lower(e)
      case .bind(let pattern): bind(pattern, pop())
      case .store(let memory, let slot, _):
        frames[frames.count - 1].memory[memory, default: [:]][slot] = popTensor()
      case .parameter(let p): declare(p)
      case .call(let call): lower(call)
      case .group(let name, let site, let body):
        openRegion(.group(name), site: site)
        lower(body)
        closeRegion()
      case .iteration(let i):
        openRegion(.iteration(variable: i.variable, value: i.value, instance: i.instance), site: i.site)
        lower(i.body)
        closeRegion()
      case .ret(let outputs, let site): bodyEnds(outputs: outputs, site: site)
      case .unsupported(let message, let site):
        problems.append(Diagnostic(.cannotLower, "cannot run this program: \(message)", at: site))
      }
    }
  }

  /// Orders the returned tensors' axes as declared; the entry's become the outputs.
  func bodyEnds(outputs: [TensorType], site: SourceRange) {
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

  /// Inlines a call: binds the arguments to the callee's inputs (callee axis names; axes the
  /// call is broadcast over get fresh names), lowers the body, and renames the result back.
  func lower(_ call: ElaboratedCall) {
    let arguments = popSegments(call.argumentCount)
    var frame = Frame()
    var extras: [String: String] = [:]
    var bound: [(String, IR.Value)] = []
    for (input, argument) in zip(call.inputs, arguments) {
      var mapping: [(String, String)] = []
      let innerNames = input.type.names
      let outerNames = Set(innerNames.map { call.bindings[$0] ?? $0 })
      for inner in innerNames { mapping.append((call.bindings[inner] ?? inner, inner)) }
      // Axes the call is broadcast over get fresh names inside, so they never meet the
      // callee's own axes of the same name.
      for name in function.type(of: argument).names where !outerNames.contains(name) {
        if extras[name] == nil {
          fresh += 1
          extras[name] = "\(name)#\(fresh)"
        }
        mapping.append((name, extras[name]!))
      }
      bound.append((input.name, renamedSimultaneously(argument, mapping, site: call.site)))
    }
    for (name, value) in bound { frame.names[name] = .tensor(value) }
    for (outer, inner) in extras { frame.calleeToCaller[inner] = outer }
    for (inner, outer) in call.bindings { frame.calleeToCaller[inner] = outer }
    frames.append(frame)
    openRegion(.circuit(name: call.callee, instance: call.instance.joined(separator: ".")), site: call.site)
    lower(call.body)
    guard let ended = frames.popLast() else { return }
    for _ in 0..<ended.regionDepth { _ = regionStack.popLast() }
    let values = ended.returned.map { v -> IR.Value in
      let mapping = function.type(of: v).names.compactMap { n in ended.calleeToCaller[n].map { (n, $0) } }
      return renamedSimultaneously(v, mapping, site: call.site)
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

  /// Binds the names of `pattern` to `slot`'s segments.
  func bind(_ pattern: BindingPattern, _ slot: Slot) {
    switch pattern {
    case .name(let name):
      if name != "_" { frames[frames.count - 1].names[name] = slot }
    case .tuple(let parts):
      for (p, v) in zip(parts, slot.segments) { bind(p, .tensor(v)) }
    }
  }

  /// Declares a parameter in the current body; one met again (in a later iteration of a
  /// shared loop) is the same value.
  func declare(_ p: ElaboratedParameter) {
    if let earlier = function.instructions.firstIndex(where: {
      if case .parameter(p.fullName, _) = $0.op { true } else { false }
    }) {
      frames[frames.count - 1].names[p.name] = .tensor(IR.Value(earlier))
      return
    }
    let t = concrete(p.type, site: p.site)
    let initializer = p.initializer.map(IR.Initializer.init)
    function.parameters.append(IR.Parameter(name: p.fullName, type: t, initializer: initializer, site: p.site))
    let v = append(.parameter(name: p.fullName, initializer: initializer), [], t, p.site)
    frames[frames.count - 1].names[p.name] = .tensor(v)
  }

  // MARK: - Expressions

  /// Pops an expression's operands and pushes its value.
  func lower(_ e: ElaboratedExpression) {
    let site = e.site
    switch e.kind {
    case .number(let value):
      stack.append(.tensor(append(.constant(value), [], IR.TensorType(.float32, []), site)))
    case .read(let name):
      if let slot = frames.last?.names[name] {
        stack.append(slot)
      } else if name == "inf" {
        stack.append(.tensor(append(.constant(.infinity), [], IR.TensorType(.float32, []), site)))
      } else {
        problems.append(Diagnostic(.internalLowering, "internal error: '\(name)' is not bound", at: site))
        stack.append(.tuple([]))
      }
    case .tuple(let count):
      var parts: [IR.Value] = []
      for _ in 0..<count { parts = pop().segments + parts }
      stack.append(.tuple(parts))
    case .negate:
      let v = popTensor()
      stack.append(.tensor(emit(.unary(.negate), [v], site: site)))
    case .not:
      let v = popTensor()
      stack.append(.tensor(emit(.logic(.not), [v], site: site)))
    case .binary(let op):
      var rhs = popTensor()
      var lhs = popTensor()
      // The checker lets an integer literal meet an i32 tensor: convert the literal.
      let (l, r) = (function.type(of: lhs).element, function.type(of: rhs).element)
      if l != r && l == .float32 { lhs = emit(.convert(r), [lhs], site: function.instructions[lhs.index].site) }
      if l != r && r == .float32 { rhs = emit(.convert(l), [rhs], site: function.instructions[rhs.index].site) }
      stack.append(.tensor(emit(IR.Op(op), [lhs, rhs], site: site)))
    case .builtin(let a):
      let args = popSegments(a.argumentCount)
      let type = e.type.segments.first ?? TensorType(.float32, [])
      stack.append(.tensor(lowerBuiltin(a, args, type: type, site: site)))
    case .index(let selections):
      var v = popTensor()
      for s in selections {
        if let end = s.end {
          v = emit(.slice(axis: s.axis, start: s.start, end: end, renamed: s.renamed), [v], site: site)
        } else {
          v = emit(.index(axis: s.axis, position: s.start), [v], site: site)
        }
      }
      stack.append(.tensor(v))
    case .load(let memory, let slot):
      guard let v = frames.last?.memory[memory]?[slot] else {
        problems.append(Diagnostic(.internalLowering, "internal error: memory slot \(memory)[\(slot)] is empty", at: site))
        stack.append(.tuple([]))
        return
      }
      stack.append(.tensor(v))
    case .reorder(let axes):
      let v = popTensor()
      stack.append(.tensor(emit(.transpose(order: axes), [v], site: site)))
    }
  }
}
