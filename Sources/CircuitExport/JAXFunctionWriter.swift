import CircuitIR

/// Writes the entry's instructions as Python statements, each circuit instance as a call of
/// one function per circuit (instances with the same body, parameters relative to their
/// instance name, share it): `v7 = LinearBias(params, "fc1.", v2)`. An instance whose
/// instructions are not contiguous is written inline.
struct JAXFunctionWriter {

  /// The exporter (function, options, expressions).
  let exporter: JAXExporter

  /// The sharding constraint of a named value of a type, if any.
  let constrain: ((String, IR.TensorType) -> String?)?

  /// Per instruction, the circuit regions it is in, outermost first (the entry's excluded).
  let chains: [[Int]]

  /// Per circuit region, how many instructions it holds (nested ones included).
  let sizes: [Int: Int]

  /// Per value, the instructions using it.
  let users: [[Int]]

  /// The function definitions written so far, in order.
  private(set) var definitions: [String] = []

  /// Function name by signature and body, for sharing.
  private var byBody: [String: String] = [:]

  /// Python names in use at module level.
  private var taken: Set<String>

  /// Prepares the statements of `exporter`'s function.
  init(_ exporter: JAXExporter, constrain: ((String, IR.TensorType) -> String?)?, taken: Set<String>) {
    (self.exporter, self.constrain, self.taken) = (exporter, constrain, taken)
    let f = exporter.function
    var chains: [[Int]] = []
    var sizes: [Int: Int] = [:]
    for ins in f.instructions {
      var chain: [Int] = []
      var r = ins.region
      while let c = r {
        if case .circuit = f.regions[c].kind, f.regions[c].parent != nil { chain.append(c) }
        r = f.regions[c].parent
      }
      chain.reverse()
      for c in chain { sizes[c, default: 0] += 1 }
      chains.append(chain)
    }
    var users = [[Int]](repeating: [], count: f.instructions.count)
    for (i, ins) in f.instructions.enumerated() { for o in ins.operands { users[o.index].append(i) } }
    (self.chains, self.sizes, self.users) = (chains, sizes, users)
  }

  /// Where a body is being written: its instance, names and the next local number.
  struct Scope {
    /// The instance whose function this is (nil: the entry, whose names are global).
    var instance: String?
    /// The Python name of each value defined or passed in so far.
    var names: [Int: String] = [:]
    /// The next local value number.
    var counter = 0

    /// A fresh name for value `i`.
    mutating func name(for i: Int) -> String {
      guard instance != nil else { return "v\(i)" }
      counter += 1
      return "v\(counter - 1)"
    }
  }

  /// The statements computing `indices` (in order) at nesting `depth` in `scope`.
  mutating func statements(_ indices: [Int], depth: Int, scope: inout Scope) throws(ExportError) -> [String] {
    var lines: [String] = []
    var k = 0
    while k < indices.count {
      let chain = chains[indices[k]]
      guard chain.count > depth else {
        lines += try statement(indices[k], scope: &scope)
        k += 1
        continue
      }
      let region = chain[depth]
      var end = k
      while end < indices.count, chains[indices[end]].count > depth, chains[indices[end]][depth] == region { end += 1 }
      let run = Array(indices[k..<end])
      if run.count == sizes[region], !run.contains(where: { if case .input = exporter.function.instructions[$0].op { true } else { false } }) {
        lines += try call(region, run, depth: depth, scope: &scope)
      } else {
        for i in run { lines += try statement(i, scope: &scope) }
      }
      k = end
    }
    return lines
  }

  /// The statement of instruction `i` (none for an input or rename, which name a value).
  mutating func statement(_ i: Int, scope: inout Scope) throws(ExportError) -> [String] {
    let ins = exporter.function.instructions[i]
    let x = ins.operands.map { scope.names[$0.index]! }
    let expression: String?
    if case .parameter(let name, _) = ins.op {
      expression = "params[\(JAXFunctionWriter.relative(name, in: scope.instance))]"
    } else {
      expression = try exporter.expression(ins, x, ins.operands.map { exporter.function.type(of: $0) })
    }
    guard let expression else {
      if case .input(let index, _) = ins.op { scope.names[i] = exporter.inputNames[index] } else { scope.names[i] = x[0] }
      return []
    }
    let name = scope.name(for: i)
    scope.names[i] = name
    var lines = ["\(name) = \(expression)"]
    if let constrain, let constrained = constrain(name, ins.type) { lines.append("\(name) = \(constrained)") }
    return lines
  }

  /// `prefix + "rel"` for a full name under `instance`, or the literal full name (the entry,
  /// or a name outside the instance).
  static func relative(_ name: String, in instance: String?) -> String {
    guard let instance else { return PythonText.string(name) }
    if instance.isEmpty { return "prefix + " + PythonText.string(name) }
    guard name.hasPrefix(instance + ".") else { return PythonText.string(name) }
    return "prefix + " + PythonText.string(String(name.dropFirst(instance.count + 1)))
  }

  /// The call of circuit instance `region` (its instructions `run`), defining its function
  /// if no equal one exists.
  mutating func call(_ region: Int, _ run: [Int], depth: Int, scope: inout Scope) throws(ExportError) -> [String] {
    let f = exporter.function
    guard case .circuit(let circuit, let instance) = f.regions[region].kind else { return [] }
    let members = Set(run)
    var arguments: [Int] = []
    for i in run { for o in f.instructions[i].operands where !members.contains(o.index) && !arguments.contains(o.index) { arguments.append(o.index) } }
    let results = run.filter { i in users[i].contains { !members.contains($0) } || f.outputs.contains(IR.Value(i)) }
    var inner = Scope(instance: instance)
    for (n, a) in arguments.enumerated() { inner.names[a] = "x\(n)" }
    var body = try statements(run, depth: depth + 1, scope: &inner)
    let returned = results.map { inner.names[$0]! }
    body.append("return " + (returned.isEmpty ? "None" : returned.count == 1 ? returned[0] : PythonText.tuple(returned)))
    let parameters = ["params", "prefix"] + arguments.indices.map { "x\($0)" } + (exporter.options.sharding == nil ? [] : ["mesh=None"])
    let hasParameters = run.contains { if case .parameter = f.instructions[$0].op { true } else { false } }
    let doc = [
      "\"\"\"The circuit `\(circuit)`" + (hasParameters ? ", its parameters under `prefix`." : "."), "",
      "Inputs: " + arguments.map { f.type(of: IR.Value($0)).description }.joined(separator: ", "),
      "Outputs: " + results.map { f.type(of: IR.Value($0)).description }.joined(separator: ", "), "\"\"\"",
    ]
    let text = JAXFunctionWriter.renumberingAxes((doc + body).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n"))
    let signature = parameters.joined(separator: ", ")
    let key = signature + "\n" + text
    let name: String
    if let existing = byBody[key] {
      name = existing
    } else {
      name = PythonText.identifier(circuit, taken: &taken)
      byBody[key] = name
      definitions.append("def \(name)(\(signature)):\n\(text)\n")
    }
    let prefix: String
    switch scope.instance {
    case nil: prefix = PythonText.string(instance.isEmpty ? "" : instance + ".")
    case let outer?:
      if instance.isEmpty || instance == outer {
        prefix = instance.isEmpty ? PythonText.string("") : "prefix"
      } else if outer.isEmpty || instance.hasPrefix(outer + ".") {
        prefix = "prefix + " + PythonText.string(String(instance.dropFirst(outer.isEmpty ? 0 : outer.count + 1)) + ".")
      } else {
        prefix = PythonText.string(instance + ".")
      }
    }
    let outputs = results.map { scope.name(for: $0) }
    for (r, o) in zip(results, outputs) { scope.names[r] = o }
    let argumentList = ["params", prefix] + arguments.map { scope.names[$0]! } + (exporter.options.sharding == nil ? [] : ["mesh=mesh"])
    let target = outputs.isEmpty ? "" : outputs.joined(separator: ", ") + " = "
    return ["\(target)\(name)(\(argumentList.joined(separator: ", ")))"]
  }

  /// `text` with the `#n` suffixes lowering gives axis names (`b#1#2`) renumbered in order of
  /// appearance (`b#1`, `b#2`, …), so that instances differing only in them share a function.
  static func renumberingAxes(_ text: String) -> String {
    /// Whether `c` can be part of an axis name.
    func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "'" }
    let characters = Array(text)
    var out = ""
    var mapping: [String: String] = [:]
    var counts: [String: Int] = [:]
    var i = 0
    while i < characters.count {
      guard isNameCharacter(characters[i]), i == 0 || !isNameCharacter(characters[i - 1]) else {
        out.append(characters[i])
        i += 1
        continue
      }
      var end = i
      while end < characters.count, isNameCharacter(characters[end]) { end += 1 }
      let base = String(characters[i..<end])
      var suffixEnd = end
      while suffixEnd + 1 < characters.count, characters[suffixEnd] == "#", characters[suffixEnd + 1].isNumber {
        suffixEnd += 2
        while suffixEnd < characters.count, characters[suffixEnd].isNumber { suffixEnd += 1 }
      }
      if suffixEnd == end {
        out += base
      } else {
        let name = String(characters[i..<suffixEnd])
        if mapping[name] == nil {
          counts[base, default: 0] += 1
          mapping[name] = "\(base)#\(counts[base]!)"
        }
        out += mapping[name]!
      }
      i = suffixEnd
    }
    return out
  }
}
