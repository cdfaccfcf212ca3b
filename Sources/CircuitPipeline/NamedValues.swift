import CircuitDiagnostics
import CircuitIR
import CircuitSema
import CircuitSyntax

/// The values of a lowered function that the source names: every `name = expr` statement (and
/// each name of `(a, b) = …`) of every inlined circuit instance and loop iteration, found from the instructions' sites and
/// regions (no change to the IR): an assignment's value is the last instruction emitted for
/// it, in its own region (site inside the statement) or in a region it opens (a call whose
/// site is inside the statement).
public enum NamedValues {

  /// One named value.
  public struct Named: Sendable {

    /// `encoder.layer.0.attention.self.C`: the instance path of the region, then the variable;
    /// a variable assigned again in the same region gets `~2`, `~3`, … on the later values.
    public let name: String

    /// The value.
    public let value: IR.Value
  }

  /// The named values of `f` (best lowered without passes, which may remove them), in
  /// instruction order.
  public static func find(in f: IR.Function, program: Program) -> [Named] {
    let statements = assignments(in: program)
    /// The last instruction of each (region, statement), by statement key.
    var last: [String: (index: Int, region: Int?, variable: String)] = [:]
    var order: [String] = []
    for (i, ins) in f.instructions.enumerated() {
      // The statement around the instruction, then the statements around each enclosing call.
      var site = ins.site
      var region = ins.region
      var inner: (region: Int, site: SourceRange)? = nil
      while true {
        if let s = statements[site.file.name]?.last(where: { $0.range.contains(site) }),
          let (variable, component) = s.variable(reachedFrom: inner, in: f, program: program)
        {
          let key = "\(region ?? -1)@\(s.range.start)#\(component)"
          if last[key] == nil { order.append(key) }
          last[key] = (i, region, variable)
        }
        guard let r = region else { break }
        inner = (r, site)
        (site, region) = (f.regions[r].site, f.regions[r].parent)
      }
    }
    var seen: [String: Int] = [:]
    return order.compactMap { key in
      guard let (index, region, variable) = last[key] else { return nil }
      let prefix = instancePath(region, in: f)
      var name = prefix.isEmpty ? variable : prefix + "." + variable
      seen[name, default: 0] += 1
      if seen[name]! > 1 { name += "~\(seen[name]!)" }
      return Named(name: name, value: IR.Value(index))
    }.sorted { $0.value < $1.value }
  }

  /// `type` with the lowering's renamings undone in its axis names (`b#1#2` → `b`): the axes
  /// as the source names them, in the order the value is held.
  public static func sourceType(_ type: IR.TensorType) -> IR.TensorType {
    type.with(axes: type.axes.map { IR.Axis(String($0.name.prefix { $0 != "#" }), $0.size) })
  }

  /// The order to write a value of `type` in: first the axes named like the entry's input
  /// axes (in their first appearance among `f`'s inputs: a batch `b`, then tokens `t`), then
  /// the others as held. `[h k t b]` becomes `[b t h k]`, the order of a PyTorch port.
  public static func readableOrder(_ type: IR.TensorType, in f: IR.Function) -> [Int] {
    var inputAxes: [String] = []
    for i in f.inputs { for a in sourceType(i.type).names where !inputAxes.contains(a) { inputAxes.append(a) } }
    let names = sourceType(type).names
    return names.indices.sorted { a, b in
      let ka = inputAxes.firstIndex(of: names[a]) ?? inputAxes.count + a
      let kb = inputAxes.firstIndex(of: names[b]) ?? inputAxes.count + b
      return ka < kb
    }
  }

  /// An assignment statement: to one name, or to the names of a tuple pattern.
  struct Assignment {

    /// The statement (for one component of a tuple literal, that component's expression).
    let range: SourceRange

    /// The assigned variable; nil for `(a, b) = Call(…)`, whose names are `outputs`.
    let variable: String?

    /// For `(a, b) = Call(…)`: the name bound to each output of the call (nil for `_`).
    var outputs: [String?] = []

    /// The variable an instruction inside this statement names, with the output's position
    /// (0 for a single name): for a tuple bound from a call, the output of the callee whose
    /// `return (…)` component holds the instruction's `inner` site (the call's region), if any.
    func variable(
      reachedFrom inner: (region: Int, site: SourceRange)?, in f: IR.Function, program: Program
    ) -> (String, Int)? {
      if let variable { return (variable, 0) }
      guard let (region, site) = inner, case .circuit(let name, _) = f.regions[region].kind,
        let callee = program.circuit(named: name),
        case .ret(let returned)? = callee.decl.body.last(where: { if case .ret = $0.kind { true } else { false } })?.kind,
        case .tuple(let parts) = returned.kind, parts.count == outputs.count,
        let k = parts.firstIndex(where: { $0.range.contains(site) }), let output = outputs[k]
      else { return nil }
      return (output, k)
    }
  }

  /// Every `name = expr` and `(a, b) = expr` statement, by file name, in source order
  /// (nested ones after their loop or group, so `last(where:)` finds the innermost); each
  /// component of a tuple literal on the right is an assignment of its own.
  static func assignments(in program: Program) -> [String: [Assignment]] {
    var out: [String: [Assignment]] = [:]
    /// Adds the assignments of `body`.
    func visit(_ body: [Stmt], file: String) {
      for s in body {
        switch s.kind {
        case .assign(.name(let id), _) where id.name != "_":
          out[file, default: []].append(Assignment(range: s.range, variable: id.name))
        case .assign(.tuple(let patterns, _), let value):
          let names = patterns.map { p -> String? in
            if case .name(let id) = p, id.name != "_" { id.name } else { nil }
          }
          if case .tuple(let parts) = value.kind, parts.count == names.count {
            for (part, name) in zip(parts, names) {
              if let name { out[file, default: []].append(Assignment(range: part.range, variable: name)) }
            }
          } else {
            out[file, default: []].append(Assignment(range: s.range, variable: nil, outputs: names))
          }
        case .loop(let loop): visit(loop.body, file: file)
        case .group(_, let inner): visit(inner, file: file)
        default: break
        }
      }
    }
    for unit in program.units {
      for case .circuit(let c) in unit.items { visit(c.body, file: unit.file.name) }
    }
    return out
  }

  /// The full instance name of `region` (the nearest circuit instance or loop iteration).
  static func instancePath(_ region: Int?, in f: IR.Function) -> String {
    var r = region
    while let k = r {
      switch f.regions[k].kind {
      case .circuit(_, let instance): return instance
      case .iteration(_, _, let instance): return instance
      case .group: r = f.regions[k].parent
      }
    }
    return ""
  }
}

extension SourceRange {

  /// Whether `other` lies inside this range, in the same file.
  func contains(_ other: SourceRange) -> Bool {
    file.name == other.file.name && start <= other.start && other.end <= end
  }
}
