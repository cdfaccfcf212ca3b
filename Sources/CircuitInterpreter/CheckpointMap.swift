import CircuitIR
import TensorRuntime

/// A problem with a checkpoint name map or with a tensor it maps.
public struct CheckpointMapError: Error, CustomStringConvertible, Sendable {

  /// One line: `file:line: problem` or `parameter 'x': problem`.
  public let description: String
}

/// Maps the circuit's parameter names to the tensor names and layouts of a checkpoint written
/// by another framework (a sidecar file given with `--param-map`).
///
/// Each non-empty line that is not a `#` comment is a rule:
///
///     encoder.layer.*.attention.Wq <- encoder.layer.*.attention.self.query.weight [(h k) m]
///
/// - `*` matches a run of one or more characters without `.` (one name segment or part of
///   one); `**` matches a run of one or more characters that may cross dots (several
///   segments: `**.weight` matches `encoder.layer.0.output.dense.weight`). The matches fill
///   the wildcards (`*` or `**`) of the tensor name in order.
/// - The optional layout lists the stored tensor's dimensions in terms of the parameter's
///   axis names; a parenthesised group is one stored dimension holding those axes merged
///   (first major). `[(h k) m]` lets a stored `[h·k, m]` matrix (PyTorch's `[out, in]`) fill a
///   parameter declared `[m k h]`. Without a layout the stored shape must equal the declared
///   one.
/// - The first matching rule wins; parameters that no rule matches are looked up by their own
///   name. `unusedRules(for:)` lists the rules that match no parameter (the driver warns).
/// - Dimensions of size 1 are ignored when comparing a stored shape with the declared (or
///   laid-out) one: PyTorch's depthwise `[c 1 kh kw]` fills a parameter `[c kh kw]`.
public struct CheckpointMap: Sendable {

  /// One rule of the map.
  public struct Rule: Sendable {

    /// The parameter-name pattern.
    public let parameter: String

    /// The tensor-name pattern.
    public let tensor: String

    /// The stored layout, when given.
    public let layout: [[String]]?

    /// The rule's line in the map file (1-based).
    public let line: Int

    /// `parameter <- tensor [layout]` as written (normalised spacing).
    public var text: String {
      "\(parameter) <- \(tensor)" + (layout.map { " [\(CheckpointMap.layoutText($0))]" } ?? "")
    }
  }

  /// The name of the map file, for messages.
  public let fileName: String

  /// The rules in order.
  public let rules: [Rule]

  /// An empty map: every parameter is looked up by its own name.
  public init() {
    rules = []
    fileName = ""
  }

  /// Parses a map file's text; errors name `fileName` and the line.
  public init(parsing text: String, fileName: String) throws(CheckpointMapError) {
    var rules: [Rule] = []
    // `\r\n` is one Character in Swift, so lines split on every newline Character (LF, CRLF, CR).
    for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
      let trimmed = line.trimmingCharacters(in: " \t\r")
      if trimmed.isEmpty { continue }
      func fail(_ m: String) -> CheckpointMapError {
        CheckpointMapError(description: "\(fileName):\(i + 1): \(m)")
      }
      let sides = trimmed.split(separator: "<-", omittingEmptySubsequences: false).map(String.init)
      guard sides.count == 2 else { throw fail("expected 'parameter <- tensor [layout]'") }
      let parameter = sides[0].trimmingCharacters(in: " \t")
      var right = sides[1].trimmingCharacters(in: " \t")
      var layout: [[String]]? = nil
      if let open = right.firstIndex(of: "[") {
        guard right.hasSuffix("]") else { throw fail("the layout must end with ']'") }
        let inside = String(right[right.index(after: open)..<right.index(before: right.endIndex)])
        layout = try CheckpointMap.parseLayout(inside, fail: fail)
        right = String(right[..<open]).trimmingCharacters(in: " \t")
      }
      guard !parameter.isEmpty, !right.isEmpty, !parameter.contains(" "), !right.contains(" ") else {
        throw fail("names must be single words: '\(parameter)' <- '\(right)'")
      }
      guard let p = WildcardPattern(parameter), let q = WildcardPattern(right) else {
        throw fail("a wildcard is '*' or '**', not '***'")
      }
      guard p.wildcardCount == q.wildcardCount else {
        throw fail("both sides must have the same number of wildcards ('*' or '**')")
      }
      rules.append(Rule(parameter: parameter, tensor: right, layout: layout, line: i + 1))
    }
    self.rules = rules
    self.fileName = fileName
  }

  /// The rules that match none of `parameters` (a misspelt or stale rule), in file order.
  public func unusedRules(for parameters: [String]) -> [Rule] {
    rules.filter { r in
      let pattern = WildcardPattern(r.parameter)!
      return !parameters.contains { pattern.match($0) != nil }
    }
  }

  /// `m.map:3: rule 'a.* <- b.*' matches no parameter` for each unused rule.
  public func unusedRuleWarnings(for parameters: [String]) -> [String] {
    unusedRules(for: parameters).map { "\(fileName):\($0.line): rule '\($0.text)' matches no parameter" }
  }

  /// `(h k) m` → `[["h", "k"], ["m"]]`.
  static func parseLayout(_ text: String, fail: (String) -> CheckpointMapError) throws(CheckpointMapError)
    -> [[String]]
  {
    var groups: [[String]] = []
    var current: [String]? = nil
    var word = ""
    func flush() {
      guard !word.isEmpty else { return }
      if current != nil { current!.append(word) } else { groups.append([word]) }
      word = ""
    }
    for ch in text {
      switch ch {
      case "(":
        flush()
        guard current == nil else { throw fail("groups cannot nest in a layout") }
        current = []
      case ")":
        flush()
        guard let g = current, !g.isEmpty else { throw fail("unbalanced or empty '()' in the layout") }
        groups.append(g)
        current = nil
      case " ", "\t", ",": flush()
      default: word.append(ch)
      }
    }
    flush()
    guard current == nil else { throw fail("unclosed '(' in the layout") }
    guard !groups.isEmpty else { throw fail("empty layout") }
    return groups
  }

  /// The tensor name and layout for the parameter `name`.
  public func source(of name: String) -> (tensor: String, layout: [[String]]?) {
    for r in rules {
      if let captures = WildcardPattern(r.parameter)!.match(name) {
        return (WildcardPattern(r.tensor)!.filled(with: captures), r.layout)
      }
    }
    return (name, nil)
  }

  /// `stored` rearranged from `layout` into the declared type's axis order.
  public static func arrange(_ stored: Tensor, layout: [[String]], as declared: IR.TensorType)
    throws(CheckpointMapError) -> Tensor
  {
    let flat = try axes(of: layout, naming: declared)
    guard layout.count == stored.rank else {
      throw CheckpointMapError(
        description: "layout [\(layoutText(layout))] has \(layout.count) dimensions but the stored tensor has shape \(stored.shape)")
    }
    for (group, n) in zip(layout, stored.shape) {
      let product = group.reduce(1) { $0 * declared.axis($1)!.size }
      guard product == n else {
        throw CheckpointMapError(
          description: "stored dimension of size \(n) cannot hold (\(group.joined(separator: " "))) = \(product) in layout [\(layoutText(layout))]")
      }
    }
    do throws(TensorError) {
      let split = try stored.reshaped(to: flat.map { declared.axis($0)!.size })
      return try Kernels.permute(split, axes: declared.names.map { flat.firstIndex(of: $0)! })
    } catch {
      throw CheckpointMapError(description: "\(error)")
    }
  }

  /// `declared` (a parameter in its declared axis order) rearranged into the stored `layout`:
  /// the inverse of `arrange`, for writing a checkpoint back in its own layout.
  public static func store(_ declared: Tensor, layout: [[String]], as type: IR.TensorType)
    throws(CheckpointMapError) -> Tensor
  {
    let flat = try axes(of: layout, naming: type)
    do throws(TensorError) {
      let permuted = try Kernels.permute(declared, axes: flat.map { type.position(of: $0)! })
      return try permuted.reshaped(to: layout.map { g in g.reduce(1) { $0 * type.axis($1)!.size } })
    } catch {
      throw CheckpointMapError(description: "\(error)")
    }
  }

  /// Where parameter `name` of `type` is stored: the tensor name, the stored shape and, for
  /// each declared axis, its stride in the stored tensor (what `circuit build --param-map`
  /// bakes into an executable).
  public func storage(of name: String, type: IR.TensorType) throws(CheckpointMapError)
    -> (tensor: String, shape: [Int], strides: [Int])
  {
    let (tensor, layout) = source(of: name)
    let groups = layout ?? type.names.map { [$0] }
    let flat: [String]
    do throws(CheckpointMapError) {
      flat = try CheckpointMap.axes(of: groups, naming: type)
    } catch {
      throw CheckpointMapError(description: "parameter '\(name)': \(error)")
    }
    var flatStrides = [Int](repeating: 1, count: flat.count)
    for j in flat.indices.dropLast().reversed() { flatStrides[j] = flatStrides[j + 1] * type.axis(flat[j + 1])!.size }
    let shape = groups.map { g in g.reduce(1) { $0 * type.axis($1)!.size } }
    return (tensor, shape, type.names.map { flatStrides[flat.firstIndex(of: $0)!] })
  }

  /// The axes of `layout` in stored order, after checking that it names each axis of `type`
  /// exactly once.
  static func axes(of layout: [[String]], naming type: IR.TensorType) throws(CheckpointMapError) -> [String] {
    let flat = layout.flatMap { $0 }
    guard flat.count == type.axes.count, Set(flat) == Set(type.names) else {
      throw CheckpointMapError(description: "layout [\(layoutText(layout))] must name each axis of \(type) once")
    }
    return flat
  }

  /// `(h k) m`.
  static func layoutText(_ layout: [[String]]) -> String {
    layout.map { $0.count == 1 ? $0[0] : "(" + $0.joined(separator: " ") + ")" }.joined(separator: " ")
  }
}

extension String {

  /// The string without leading and trailing characters from `set`.
  func trimmingCharacters(in set: String) -> String {
    let chars = Set(set)
    return String(self.drop { chars.contains($0) }.reversed().drop { chars.contains($0) }.reversed())
  }
}

extension Substring {

  /// The text without leading and trailing characters from `set`.
  func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
