import CircuitIR

extension FunctionEmitter {

  /// The plan's epilogue of contraction `i` when it can be finished in `i`'s step at all: a
  /// later instruction (a plan made by hand may name any index) that reads no buffer
  /// computed after `i` (the step would read it before it is written).
  func plannedEpilogue(of i: Int) -> Int? {
    guard let j = plan.steps[i].epilogue, j > i, j < f.instructions.count else { return nil }
    let materialized = { (v: Int) in self.plan.steps[v].materialized }
    let later = (i + 1..<j).contains { u in
      materialized(u) && f.instructions[j].operands.contains { LoweringPlan.reads(f, $0.index, u, materialized: materialized) }
    }
    return later ? nil : j
  }

  /// Where contraction `i` can be written so that its elementwise consumer `j` (the plan's
  /// `epilogue`) is then computed in place: `j`'s buffer, viewed with `i`'s axis names, and the
  /// name in `j` of each axis of `i`. Nil unless `j` reads every element of `i` at its own
  /// position, and nothing else of `i`: only through unary, binary, select, rename and
  /// transpose ops fused into `j`, with as many elements as `i` (no broadcast of `i`).
  func inPlaceView(of i: Int, in j: Int) -> (view: AffineView, names: [String: String])? {
    let (ti, tj) = (f.instructions[i].type, f.instructions[j].type)
    guard ti.count == tj.count, ti.element == .float32, tj.element == .float32, outputSlot[i] == nil,
      let target = views[j], case .value(j) = target.buffer
    else { return nil }
    var found: [String: String]? = nil
    var consistent = true
    /// Walks value `v`, whose axis `a` is axis `map[a]` of `j`.
    func walk(_ v: Int, _ map: [String: String]) {
      if v == i {
        if found != nil && found != map { consistent = false }
        found = map
        return
      }
      let ins = f.instructions[v]
      guard v == j || !plan.steps[v].materialized else { return }  // another buffer: a leaf
      switch ins.op {
      case .unary, .binary, .select, .transpose:
        for o in ins.operands { walk(o.index, map.filter { f.type(of: o).axis($0.key) != nil }) }
      case .rename(let from, let to):
        var inner: [String: String] = [:]
        for a in f.type(of: ins.operands[0]).axes {
          inner[a.name] = map[from.firstIndex(of: a.name).map { to[$0] } ?? a.name]
        }
        walk(ins.operands[0].index, inner)
      default:
        if ins.operands.contains(where: { reaches($0.index, i) }) { consistent = false }
      }
    }
    walk(j, Dictionary(uniqueKeysWithValues: tj.axes.map { ($0.name, $0.name) }))
    // The values between `i` and `j` must serve `j` alone: another reader would see `j`'s
    // buffer, not `i`'s values.
    let between = (i + 1..<j).filter { reaches($0, i) }
    let allowed = Set(between + [j])
    for (u, ins) in f.instructions.enumerated() where !allowed.contains(u) {
      if ins.operands.contains(where: { $0.index == i || between.contains($0.index) }) { return nil }
    }
    if f.outputs.contains(where: { $0.index == i || between.contains($0.index) }) { return nil }
    guard consistent, let names = found, names.count == ti.axes.count,
      Set(names.values).count == names.count,
      ti.axes.allSatisfy({ a in names[a.name].flatMap { tj.axis($0)?.size } == a.size })
    else { return nil }
    var strides: [String: Int] = [:]
    for (a, b) in names { strides[a] = target.strides[b]! }
    return (AffineView(buffer: target.buffer, offset: target.offset, strides: strides), names)
  }

  /// Points value `i` at `view` (its epilogue's buffer), and the views fused between it and
  /// its epilogue `j` (renames, transposes) through it.
  func redirect(_ i: Int, to view: AffineView, epilogue j: Int) {
    views[i] = view
    for v in i + 1..<j where !plan.steps[v].materialized && reaches(v, i) && views[v] != nil {
      let ins = f.instructions[v]
      views[v] = views[ins.operands[0].index]?.through(ins.op, operand: f.type(of: ins.operands[0]), result: ins.type)
    }
  }

  /// Whether value `v` reads value `target` through values fused into it (no buffer between).
  private func reaches(_ v: Int, _ target: Int) -> Bool {
    LoweringPlan.reads(f, v, target) { plan.steps[$0].materialized }
  }

  /// Loops at `indent` computing the part of value `j` given by `fixed` (C index expressions
  /// for some of its axes) and `ranges` (C bounds `lo..<hi` for others; the rest run whole),
  /// in place: `j`'s operands read the buffer being written at the same element.
  func epilogueLoops(_ j: Int, fixed: [String: String], ranges: [String: (String, String)], indent: Int) -> String {
    let t = bufferType(j)
    var idx = fixed
    var text = ""
    var level = indent
    for a in t.axes where fixed[a.name] == nil {
      let v = names.axis(a.name)
      idx[a.name] = v
      let (lo, hi) = ranges[a.name] ?? ("0", "\(a.size)")
      text += String(repeating: "  ", count: level) + "for (long \(v) = \(lo); \(v) < \(hi); ++\(v))\n"
      level += 1
    }
    flops += Double(f.instructions[j].type.count)
    return text + String(repeating: "  ", count: level) + "\(store(j, idx)) = \(expression(j, idx, fused: true));\n"
  }
}
