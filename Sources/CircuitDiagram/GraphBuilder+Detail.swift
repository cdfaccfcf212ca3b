import CircuitIR

/// Which calls are worth opening when the depth is chosen automatically: a reader of the
/// paper opens the architecture's blocks first. An objective or a metric (a call whose
/// every result is a scalar: the stdlib losses and accuracies) or a block of a few
/// primitive operations and no calls says little more opened than as its box, so a level
/// that opens only such calls is not chosen by default (`--depth` still draws it).
extension GraphBuilder {

  /// The most operations (aliases, parameters and constants not counted) of a block that
  /// is detail.
  static let detailOperations = 3

  /// Whether depth `depth` opens some call that is not detail, beyond depth `depth − 1`.
  static func opensArchitecture(_ f: IR.Function, depth: Int) -> Bool {
    guard depth > 0 else { return true }
    let opened = expansion(of: f, depth: depth).subtracting(expansion(of: f, depth: depth - 1))
    return opened.contains { !isDetail($0, f) }
  }

  /// Whether call region `r` of `f` is detail (see the extension's summary).
  static func isDetail(_ r: Int, _ f: IR.Function) -> Bool {
    guard f.regions[r].parent != nil, case .circuit = f.regions[r].kind else { return false }
    /// Whether region `g` is `r` or inside it.
    func within(_ g: Int) -> Bool {
      var c: Int? = g
      while let x = c {
        if x == r { return true }
        c = f.regions[x].parent
      }
      return false
    }
    let body = Set(f.instructions.indices.filter { f.instructions[$0].region.map(within) ?? false })
    var results = Set(f.outputs.map(\.index).filter(body.contains))
    for (i, ins) in f.instructions.enumerated() where !body.contains(i) {
      for v in ins.operands where body.contains(v.index) { results.insert(v.index) }
    }
    if !results.isEmpty && results.allSatisfy({ f.instructions[$0].type.axes.isEmpty }) { return true }
    let calls = f.regions.indices.contains { g in
      guard g != r, case .circuit = f.regions[g].kind else { return false }
      return within(g)
    }
    let operations = body.filter { i in
      switch f.instructions[i].op {
      case .rename, .transpose, .parameter, .constant: false
      default: true
      }
    }
    return !calls && operations.count <= detailOperations
  }
}
