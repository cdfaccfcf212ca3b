import CircuitDiagnostics
import CircuitIR

/// The caller's names on the wires of a called circuit: lowering renames axes where a call
/// begins (caller name → the callee's) and ends (the callee's → caller name); reading those
/// renames backwards, every wire drawn inside an expanded call, or at a collapsed call's
/// interface, is labelled with the name its caller gives it.
extension GraphBuilder {

  /// For each called circuit region, the callee's axis names mapped to the caller's.
  func callerNameMaps() -> [Int: [String: String]] {
    var maps: [Int: [String: String]] = [:]
    for (x, ins) in function.instructions.enumerated() {
      guard case .rename(let from, let to) = ins.op else { continue }
      let outside = regionChain(ins.region)
      // Exit: the value renamed was made inside a circuit the rename is not in (its result
      // carries the caller's names, wherever it is read next).
      if let operand = ins.operands.first?.index,
        let r = outermostCircuit(entered: regionChain(function.instructions[operand].region), from: outside)
      {
        for (callee, caller) in zip(from, to) where maps[r]?[callee] == nil { maps[r, default: [:]][callee] = caller }
        continue
      }
      // Entry: the renamed value is read inside a circuit the rename is not in.
      if let use = uses[x].first(where: { $0 >= 0 }),
        let r = outermostCircuit(entered: regionChain(function.instructions[use].region), from: outside)
      {
        for (callee, caller) in zip(to, from) where maps[r]?[callee] == nil { maps[r, default: [:]][callee] = caller }
      }
    }
    return maps
  }

  /// The label drawn for axis `name` of a wire seen from region `view` when it differs from
  /// the IR name: the name mapped through the caller names of every enclosing call,
  /// innermost first, or, for a wire of the entry or one a call renames, the entry's label
  /// for a size it derives (`derivedSizes`: `y2` shown as `h/2`). A callee's own axis that
  /// no call renames keeps its name even where the entry derives one spelt alike, unless the
  /// callee is drawn without a fence as the caller's pictograms (`isTransparent`).
  func shownName(_ name: String, from view: Int?, _ maps: [Int: [String: String]]) -> String? {
    var shown = name
    var renamed = false
    var insideCall = false
    for r in regionChain(view) {
      if let caller = maps[r]?[shown] {
        shown = caller
        renamed = true
      }
      // A transparent call (pooling, a 1×1 convolution) is drawn as its caller's own
      // pictograms, so its wires read as the caller's (the block's strided ★ making `x̄/s`).
      if case .circuit = function.regions[r].kind, circuitDepth(r) > 0, !GraphBuilder.isTransparent(r, function) {
        insideCall = true
      }
    }
    let display = DiagramGraph.Wire.display(shown)
    if renamed || !insideCall, let label = derivedSizes[display] { return label }
    return renamed ? display : nil
  }

  /// `r` and its enclosing regions, innermost first.
  func regionChain(_ r: Int?) -> [Int] {
    var out: [Int] = []
    var c = r
    while let x = c {
      out.append(x)
      c = function.regions[x].parent
    }
    return out
  }

  /// The outermost circuit region of `inner` that is not in `outer` (the call a value
  /// crosses into or out of), if any.
  private func outermostCircuit(entered inner: [Int], from outer: [Int]) -> Int? {
    inner.reversed().first { r in
      guard !outer.contains(r) else { return false }
      if case .circuit = function.regions[r].kind { return true }
      return false
    }
  }
}

extension GraphBuilder {

  /// The size arguments of a call as written (`1, N` of `block1: Block<c0: n1>[1, N](X)`),
  /// read from the call's source text, if it passes any.
  static func sizeArguments(of circuit: String, at site: SourceRange) -> String? {
    guard site.end > site.start, site.end <= site.file.bytes.count else { return nil }
    let text = Array(String(decoding: site.file.bytes[site.start..<site.end], as: UTF8.self))
    let name = Array(circuit)
    guard let at = text.indices.first(where: { i in
      i + name.count <= text.count && Array(text[i..<(i + name.count)]) == name
        && (i == 0 || !(text[i - 1].isLetter || text[i - 1].isNumber || text[i - 1] == "_"))
    }) else { return nil }
    var i = at + name.count
    if i < text.count, text[i] == "<", let close = closing(text, from: i, "<", ">") { i = close + 1 }
    guard i < text.count, text[i] == "[", let close = closing(text, from: i, "[", "]") else { return nil }
    let inside = String(text[(i + 1)..<close]).split(separator: ",").map {
      $0.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }
    return inside.isEmpty ? nil : inside.joined(separator: ", ")
  }

  /// The index of the bracket closing the one `open` at `start`, nesting counted.
  private static func closing(_ text: [Character], from start: Int, _ open: Character, _ close: Character) -> Int? {
    var depth = 0
    for i in start..<text.count {
      if text[i] == open { depth += 1 }
      if text[i] == close {
        depth -= 1
        if depth == 0 { return i }
      }
    }
    return nil
  }
}
