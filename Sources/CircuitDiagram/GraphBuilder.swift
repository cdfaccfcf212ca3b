import CircuitDiagnostics
import CircuitIR

/// Builds the `DiagramGraph` of an IR function: folds scalar constants into labels, makes
/// renames and transposes pure wiring, fuses product-then-sum into contractions and
/// contractions with a parameter into learned `L` boxes, and collapses calls deeper than
/// the requested depth into blocks.
struct GraphBuilder {

  /// Who draws an instruction.
  enum Owner: Equatable {
    /// A node of its own, inside the visible fence `fence`.
    case visible(fence: Int?)
    /// The collapsed call `region`.
    case collapsed(region: Int)
  }

  /// The function drawn.
  let function: IR.Function
  /// How many levels of calls are expanded.
  let depth: Int
  /// The calls drawn expanded, when given (the viewer's per-block states): overrides `depth`.
  let expanded: Set<Int>?
  /// Labels of the sizes the entry derives, by the entry's name (`DiagramOptions.derivedSizes`).
  let derivedSizes: [String: String]
  /// The owner of each instruction.
  private(set) var owners: [Owner] = []
  /// The instructions using each value (`-1` for a function output).
  private(set) var uses: [[Int]] = []
  /// The number of circuit regions above each region (see `circuitDepth`).
  private var circuitLevels: [Int] = []

  /// Prepares the builder for `function` expanded to `depth`, or with exactly the calls
  /// `expanded` expanded; `derivedSizes` labels the entry's derived sizes.
  init(function: IR.Function, depth: Int, expanded: Set<Int>? = nil, derivedSizes: [String: String] = [:]) {
    self.function = function
    self.derivedSizes = derivedSizes
    self.depth = depth
    self.expanded = expanded
    circuitLevels = GraphBuilder.circuitLevels(of: function)
    uses = Array(repeating: [], count: function.instructions.count)
    for (i, ins) in function.instructions.enumerated() {
      for v in ins.operands where !uses[v.index].contains(i) { uses[v.index].append(i) }
    }
    for v in function.outputs { uses[v.index].append(-1) }
    var memo: [Int: Owner] = [:]
    owners = function.instructions.map { ins in
      guard let r = ins.region else { return .visible(fence: nil) }
      if let o = memo[r] { return o }
      let o = owner(ofRegion: r)
      memo[r] = o
      return o
    }
  }

  /// The number of circuit regions above `r` (the entry's own region is level 0).
  func circuitDepth(_ r: Int) -> Int { circuitLevels[r] }

  /// The circuit depth of every region of `f`, each computed once from its parent's (without
  /// recursion, so deep chains of calls cost linear time).
  private static func circuitLevels(of f: IR.Function) -> [Int] {
    var levels: [Int?] = Array(repeating: nil, count: f.regions.count)
    for r in f.regions.indices where levels[r] == nil {
      var pending: [Int] = []
      var c: Int? = r
      while let x = c, levels[x] == nil {
        pending.append(x)
        c = f.regions[x].parent
      }
      var level = c.map { levels[$0]! } ?? -1
      for x in pending.reversed() {
        if case .circuit = f.regions[x].kind { level += 1 }
        levels[x] = level
      }
    }
    return levels.map { $0! }
  }

  /// The deepest circuit nesting in the function that expanding can show (the inside of a
  /// shorthand layer is never drawn).
  static func maximumDepth(of f: IR.Function) -> Int {
    let levels = circuitLevels(of: f)
    return f.regions.indices.filter { !insideShorthand($0, f) && !isTransparent($0, f) }.map { levels[$0] }.max() ?? 0
  }

  /// Layers the paper always draws as one pictogram, never expanded: a 3×3 or 1×1 "same"
  /// convolution is the bold `★3` / `★1` square (Figs. 26–28), a linear layer its `L` box.
  /// A batch normalisation is the paper's circle (`normalisationGlyph`).
  static let shorthandGlyphs = [
    "Linear": "L", "LinearBias": "L+", "Conv3x3": "★3", "Conv1x1": "★1", "BatchNorm": normalisationGlyph,
  ]

  /// The glyph name of the normalisation circle.
  static let normalisationGlyph = "○"

  /// Layers the paper draws by their pictograms wherever they appear: pooling is the ★
  /// trapezoid and a reduction of the window (or the grid). Their calls are always
  /// expanded, without a fence of their own.
  static let transparentCircuits: Set<String> = ["MaxPool2d", "AvgPool2d", "GlobalAvgPool"]

  /// Whether region `r` is a call of a shorthand drawn as one pictogram at every depth (`★3`,
  /// `★1`, the normalisation circle) below the entry.
  static func isShorthand(_ r: Int, _ f: IR.Function) -> Bool {
    guard f.regions[r].parent != nil, case .circuit(let name, _) = f.regions[r].kind, let glyph = shorthandGlyphs[name] else {
      return false
    }
    return glyph.hasPrefix("★") || glyph == normalisationGlyph
  }

  /// Whether region `r` is the call of a transparent circuit (pooling, or a convolution
  /// with a 1×1 window) below the entry.
  static func isTransparent(_ r: Int, _ f: IR.Function) -> Bool {
    guard f.regions[r].parent != nil, case .circuit(let name, _) = f.regions[r].kind else { return false }
    return transparentCircuits.contains(name) || (pointConvolutions.contains(name) && hasPointWindow(r, f))
  }

  /// Convolutions drawn by their pictograms when their window is 1×1.
  static let pointConvolutions: Set<String> = ["Conv2d", "ConvTranspose2d"]

  /// Whether region `r`'s own windows are all 1×1: a (strided) 1×1 convolution — the ResNet
  /// block's projections, visual attention's projections — which the paper draws as its
  /// pictograms at every depth — the ★ trapezoid with its stride on the grid and the `L` on
  /// the `1²` window and the channels (Figs. 26, 28) — rather than as a block.
  static func hasPointWindow(_ r: Int, _ f: IR.Function) -> Bool {
    let sizes = f.instructions.compactMap { ins -> [Int]? in
      guard ins.region == r else { return nil }
      switch ins.op {
      case .window(let axes): return axes.map(\.size)
      case .unwindow(let axes):
        let operand = f.type(of: ins.operands[0])
        return axes.map { a in operand.axes.first { $0.name == a.window }?.size ?? 0 }
      default: return nil
      }
    }
    return !sizes.isEmpty && sizes.allSatisfy { $0.allSatisfy { $0 == 1 } }
  }

  /// The calls expanded at `depth`: every call region at most `depth` levels down that can
  /// be expanded (the set `GraphBuilder(function:depth:expanded:)` draws as `depth` does).
  static func expansion(of f: IR.Function, depth: Int) -> Set<Int> {
    let levels = circuitLevels(of: f)
    return Set(f.regions.indices.filter { r in
      guard f.regions[r].parent != nil, case .circuit = f.regions[r].kind else { return false }
      return levels[r] <= depth && !insideShorthand(r, f) && !isTransparent(r, f)
    })
  }

  /// Whether `r` is, or is inside, a convolution shorthand.
  static func insideShorthand(_ r: Int, _ f: IR.Function) -> Bool {
    var c: Int? = r
    while let x = c {
      if isShorthand(x, f) { return true }
      c = f.regions[x].parent
    }
    return false
  }

  /// The owner of instructions whose innermost region is `r`.
  private func owner(ofRegion r: Int) -> Owner {
    var chain: [Int] = []
    var c: Int? = r
    while let x = c {
      chain.append(x)
      c = function.regions[x].parent
    }
    // Outermost first: the first circuit deeper than `depth` (or a convolution shorthand)
    // collapses everything below.
    for x in chain.reversed() {
      let call = function.regions[x].parent != nil  // (the entry's own region is always drawn)
      let hidden = expanded.map({ call && !$0.contains(x) }) ?? (circuitDepth(x) > depth)
      if case .circuit = function.regions[x].kind, !Self.isTransparent(x, function), hidden || Self.isShorthand(x, function) {
        return .collapsed(region: x)
      }
    }
    let fence = chain.first { function.regions[$0].parent != nil }
    return .visible(fence: fence)
  }

  /// Whether `v` is a rename or transpose (drawn as wiring, not as a node).
  func isAlias(_ v: Int) -> Bool {
    switch function.instructions[v].op {
    case .rename, .transpose: true
    default: false
    }
  }

  /// Whether `v` is a transpose written in the source (`X as [k x]`), as opposed to one
  /// lowering inserts to restore a call's axis order.
  func isWrittenTranspose(_ v: Int) -> Bool {
    let ins = function.instructions[v]
    guard case .transpose = ins.op else { return false }
    let site = ins.site
    guard site.end > site.start, site.end <= site.file.bytes.count else { return false }
    let text = String(decoding: site.file.bytes[site.start..<site.end], as: UTF8.self)
    guard text.hasSuffix("]"), let open = text.lastIndex(of: "[") else { return false }
    let head = text[..<open].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
    let words = head.suffix(2).map(String.init)
    return words.last == "as" || (words.count == 2 && words[0] == "as" && ["f32", "i32", "bool"].contains(words[1]))
  }

  /// For an alias, the index of each of its axes in its operand's axes.
  func aliasMap(_ v: Int) -> [Int] {
    let ins = function.instructions[v]
    let source = function.type(of: ins.operands[0])
    switch ins.op {
    case .rename(let from, let to):
      return ins.type.axes.map { a in
        let original = to.firstIndex(of: a.name).map { from[$0] } ?? a.name
        return source.position(of: original) ?? 0
      }
    default:
      return ins.type.axes.map { source.position(of: $0.name) ?? 0 }
    }
  }

  /// The axes an input's declaration writes with a size (`X: [b y=28 x=28]` → `y`, `x`): the
  /// names followed by `=` and a number inside the first brackets of its source.
  static func writtenSizes(_ site: SourceRange) -> Set<String> {
    let bytes = site.file.bytes
    guard site.start < bytes.count, let open = bytes[site.start...].firstIndex(of: UInt8(ascii: "[")),
      let close = bytes[open...].firstIndex(of: UInt8(ascii: "]"))
    else { return [] }
    let text = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
    return Set(text.matches(of: /([A-Za-z_][A-Za-z0-9_']*)\s*=\s*[0-9]+/).map { String($0.output.1) })
  }

  /// Whether `v` is a scalar computed from constants only (folded into a label).
  func isScalarConstant(_ v: Int) -> Bool {
    let ins = function.instructions[v]
    guard ins.type.axes.isEmpty else { return false }
    switch ins.op {
    case .constant: return true
    case .unary, .binary, .convert: return ins.operands.allSatisfy { isScalarConstant($0.index) }
    default: return false
    }
  }

  /// The text of a folded scalar: its source when short, else its value.
  func scalarText(_ v: Int) -> String {
    let ins = function.instructions[v]
    let site = ins.site
    if site.end > site.start, site.end - site.start <= 28, site.end <= site.file.bytes.count {
      let text = String(decoding: site.file.bytes[site.start..<site.end], as: UTF8.self)
      if !text.contains("\n") { return GraphBuilder.typeset(text) }
    }
    if case .constant(let c) = ins.op { return NumberFormat.compact(c) }
    return "c"
  }

  /// A scalar expression as the paper writes it: a size stands for itself (`size(k)` → `k`),
  /// square roots as halves in the exponent (`^-0.5` → `^−1/2`), minus signs typeset.
  static func typeset(_ expression: String) -> String {
    var out = ""
    var rest = Substring(expression)
    while let open = rest.firstRange(of: "size(") {
      out += rest[..<open.lowerBound]
      let tail = rest[open.upperBound...]
      guard let close = tail.firstIndex(of: ")") else {
        rest = rest[open.lowerBound...]
        break
      }
      out += tail[..<close]
      rest = tail[tail.index(after: close)...]
    }
    out += rest
    return out.replacing("^-0.5", with: "^(−1/2)").replacing("^0.5", with: "^(1/2)").replacing("-", with: "−")
  }

  /// The parameter instruction `v` stands for (through aliases), if it is one used only once.
  func soleParameter(_ v: Int) -> (index: Int, name: String)? {
    var x = v
    while isAlias(x) {
      guard uses[x].count == 1 else { return nil }
      x = function.instructions[x].operands[0].index
    }
    guard case .parameter(let name, _) = function.instructions[x].op, uses[x].count == 1 else {
      return nil
    }
    return (x, name)
  }
}

extension GraphBuilder {

  /// The short name of a parameter for superscripts: `mha.Wq` → `Wq`, `fc1.W` and
  /// `fc1.weight` → `fc1`.
  static func shortName(_ parameter: String) -> String {
    let parts = parameter.split(separator: ".").map(String.init)
    guard let last = parts.last else { return parameter }
    if ["W", "w", "weight"].contains(last) && parts.count > 1 { return parts[parts.count - 2] }
    return last
  }

  /// The superscript of an `L` box as the paper writes it: a one-letter call label
  /// capitalised (`q` → `Q`, a weight `Wq` → `Q`); longer names as they are (`fc1`).
  static func superscript(_ name: String) -> String {
    var s = Substring(name)
    if s.count == 2, s.first == "W" { s = s.dropFirst() }
    return s.count == 1 ? s.uppercased() : name
  }

  /// The glyph of an elementwise function (the paper writes ReLU as `R`).
  static func glyph(_ f: IR.UnaryFunction) -> String {
    switch f {
    case .relu: "R"
    case .negate: "−"
    case .sigmoid: "σ"
    case .sqrt: "√"
    case .rsqrt: "1/√"
    case .abs: "|·|"
    case .gelu: "GELU"
    case .geluTanh: "GELUₜ"
    case .silu: "SiLU"
    case .exp, .log, .tanh, .sin, .cos, .erf, .sign: f.rawValue
    }
  }

  /// The symbol of a comparison.
  static func symbol(_ c: IR.Comparison) -> String {
    switch c {
    case .equal: "="
    case .notEqual: "≠"
    case .less: "<"
    case .lessEqual: "≤"
    case .greater: ">"
    case .greaterEqual: "≥"
    }
  }

  /// The symbol of a binary function.
  static func symbol(_ f: IR.BinaryFunction) -> String {
    switch f {
    case .add: "+"
    case .subtract: "−"
    case .multiply: "×"
    case .divide: "÷"
    case .power: "^"
    case .maximum: "max"
    case .minimum: "min"
    }
  }

  /// The label of `f` applied with a folded operand `text` on the given side.
  static func scalarLabel(_ f: IR.BinaryFunction, _ text: String, scalarOnRight: Bool) -> String {
    switch f {
    case .add, .multiply: return "\(symbol(f)) \(text)"
    case .maximum, .minimum: return "\(symbol(f))(·, \(text))"
    case .power: return scalarOnRight ? "^\(text)" : "\(text)^"
    case .subtract, .divide:
      return scalarOnRight ? "\(symbol(f)) \(text)" : "\(text) \(symbol(f))"
    }
  }
}
