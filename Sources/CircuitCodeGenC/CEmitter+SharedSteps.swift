import CircuitIR

/// One step function added by `addStep`: where its text and call are, and what they hold.
struct StepRecord {
  /// Its index in `steps` and in `calls`.
  let function: Int, call: Int
  /// The function's name, header comment and body.
  let name: String, comment: String, body: String
  /// The number of parts it is run as (1: called directly), `cc_parallel_`'s argument for
  /// them (nil: called directly) and its timer.
  let parts: Int, partsArgument: String?, timer: Int
}

extension FunctionEmitter {

  /// Merges steps whose code differs only in the buffers it reads and writes and in its loop
  /// variables' names (the same layer repeated: a 6-layer encoder has six copies of each step):
  /// the first keeps its function, which now takes those buffers from a table in the context
  /// (`ctx->bufs`), as `restrict` locals, since buffers live at the same time never overlap;
  /// the others call it with their own table. Steps that read the context otherwise are kept.
  func shareRepeatedSteps() {
    var groups: [String: [Int]] = [:]
    var order: [String] = []
    for (k, r) in records.enumerated() where !r.body.contains("ctx->") {
      let key = canonical(r.body)
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(k)
    }
    for key in order {
      guard let members = groups[key], members.count > 1 else { continue }
      let leader = records[members[0]]
      let tokens = bufferTokens(leader.body)
      var local: [String: String] = [:]
      var prologue = ""
      for (j, token) in tokens.enumerated() {
        local[token] = "b\(j)_"
        let type = pointerType(token)
        prologue += "  \(type)* const restrict b\(j)_ = (\(type)*)ctx->bufs[\(j)];\n"
      }
      let body = Self.scanTokens(leader.body).map { $0.isBuffer ? local[$0.text] ?? $0.text : $0.text }.joined()
      let others = members.dropFirst().map { records[$0].name }
      let comment = leader.comment.dropLast(4) + "\n   the same code serves " + others.joined(separator: ", ")
        + " (buffers from ctx->bufs) */\n"
      steps[leader.function] = functionText(leader.name, comment: String(comment), body: prologue + body)
      for m in members {
        let r = records[m]
        let table = bufferTokens(r.body).joined(separator: ", ")
        let call = r.partsArgument.map { "cc_parallel_(\(leader.name), &shared_, \($0))" } ?? "\(leader.name)(&shared_, 0, 1, 0)"
        calls[r.call] = "{ const void* const table_[] = {\(table)}; cc_ctx_ shared_ = *ctx; shared_.bufs = table_; "
          + "CC_TIME_(\(r.timer), \(call)); }"
        if m != members[0] { steps[r.function] = "" }
      }
    }
  }

  /// The buffers `body` names (inputs, parameters, values, temporaries, prepacked panels), in
  /// order of first use.
  func bufferTokens(_ body: String) -> [String] {
    var seen: [String] = []
    for token in Self.scanTokens(body) where token.isBuffer && !seen.contains(token.text) { seen.append(token.text) }
    return seen
  }

  /// `body` with each buffer and each loop variable renamed by order of first use.
  func canonical(_ body: String) -> String {
    var names: [String: String] = [:]
    var out = ""
    for token in Self.scanTokens(body) {
      guard token.isBuffer || token.text.hasPrefix("ax_") else {
        out += token.text
        continue
      }
      if names[token.text] == nil { names[token.text] = "#\(names.count)" }
      out += names[token.text]!
    }
    return out
  }

  /// The C pointee type of buffer `token` (`const` for inputs, parameters and panels).
  func pointerType(_ token: String) -> String {
    let number = Int(token.drop { !$0.isNumber }.prefix { $0.isNumber }) ?? 0
    if token.hasPrefix("cc_prepacked_panels_(") || token.hasPrefix("p") { return "const float" }
    if token.hasPrefix("in") { return "const " + Self.cType(f.inputs[number].type) }
    if token.hasPrefix("v") { return Self.cType(f.instructions[number].type) }
    return "float"
  }

  /// A piece of C text: an identifier, a prepacked-panels lookup, or anything else.
  struct Token {
    let text: String
    let isBuffer: Bool
  }

  /// `text` cut into identifiers (buffers marked) and the text between them; a
  /// `cc_prepacked_panels_(j, pK_)` lookup is one buffer token.
  static func scanTokens(_ text: String) -> [Token] {
    var tokens: [Token] = []
    var rest = Substring(text)
    var other = ""
    while let c = rest.first {
      guard c.isLetter || c == "_" else {
        other.append(c)
        rest = rest.dropFirst()
        continue
      }
      let identifier = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
      if let last = other.last, last.isNumber {  // part of a number (1e5f): not an identifier
        other += identifier
        rest = rest.dropFirst(identifier.count)
        continue
      }
      if !other.isEmpty { tokens.append(Token(text: other, isBuffer: false)) }
      other = ""
      var word = String(identifier)
      rest = rest.dropFirst(identifier.count)
      if word == "cc_prepacked_panels_", let close = rest.firstIndex(of: ")") {
        word += rest[...close]
        rest = rest[rest.index(after: close)...]
      }
      tokens.append(Token(text: word, isBuffer: isBufferName(word)))
    }
    if !other.isEmpty { tokens.append(Token(text: other, isBuffer: false)) }
    return tokens
  }

  /// Whether `word` names a buffer: `inN_`, `pN_`, `vN_`, `tmpN_` or a prepacked lookup.
  static func isBufferName(_ word: String) -> Bool {
    if word.hasPrefix("cc_prepacked_panels_(") { return true }
    for prefix in ["in", "p", "v", "tmp"] where word.hasPrefix(prefix) && word.hasSuffix("_") {
      let digits = word.dropFirst(prefix.count).dropLast()
      if !digits.isEmpty && digits.allSatisfy(\.isNumber) { return true }
    }
    return false
  }
}
