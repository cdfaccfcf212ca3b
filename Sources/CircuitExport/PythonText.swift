import CircuitIR
import TensorRuntime

/// Python literals and identifiers for generated modules: one formatter for every number,
/// string and tuple the JAX exporter writes.
enum PythonText {

  /// Names a generated identifier must not take (keywords, builtins used, module names).
  static let reserved: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "jax", "jnp", "np",
    "json", "params", "math", "functools",
  ]

  /// A quoted Python string literal: a JSON string literal, whose escapes (`\"`, `\\`, `\n`,
  /// `\uXXXX`) Python reads the same way.
  static func string(_ s: String) -> String { JSONWriter.quoted(s) }

  /// A float literal that reads back as `x` (`float("inf")` and `float("nan")` for the others).
  static func float(_ x: Double) -> String {
    if x.isNaN { return "float(\"nan\")" }
    if x.isInfinite { return x > 0 ? "float(\"inf\")" : "-float(\"inf\")" }
    return "\(x)"
  }

  /// The shortest literal that reads back as the float32 `x`.
  static func float(_ x: Float) -> String { x.isFinite ? "\(x)" : float(Double(x)) }

  /// A Python tuple of `items` (already formatted), with the trailing comma of one item.
  static func tuple(_ items: [String]) -> String {
    items.count == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ", ") + ")"
  }

  /// The axis names of `type` as a tuple of strings.
  static func axes(_ type: IR.TensorType) -> String { tuple(type.names.map(string)) }

  /// The shape of `type` as a tuple of ints.
  static func shape(_ type: IR.TensorType) -> String { tuple(type.shape.map(String.init)) }

  /// The JAX dtype of an element type.
  static func dtype(_ e: ElementType) -> String {
    switch e {
    case .float32: "jnp.float32"
    case .int32: "jnp.int32"
    case .bool: "jnp.bool_"
    }
  }

  /// A valid identifier from `name`, unique among `taken` (which it joins).
  static func identifier(_ name: String, taken: inout Set<String>) -> String {
    var s = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    if s.isEmpty || s.first!.isNumber { s = "_" + s }
    var candidate = s
    var n = 2
    while reserved.contains(candidate) || taken.contains(candidate) {
      candidate = "\(s)_\(n)"
      n += 1
    }
    taken.insert(candidate)
    return candidate
  }
}
