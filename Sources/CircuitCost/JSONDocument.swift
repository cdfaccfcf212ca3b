import TensorRuntime

/// A JSON value to write, with object members in the order given (the documented schema's),
/// printed two spaces per level; an object or array of scalars only stays on one line.
public indirect enum JSONDocument: Sendable, Equatable {
  /// An object with its members in order.
  case object([Member])
  /// An array.
  case array([JSONDocument])
  /// A string.
  case string(String)
  /// A whole number.
  case int(Int)
  /// A real number (non-finite values are written as `null`).
  case number(Double)
  /// `true` or `false`.
  case bool(Bool)
  /// `null`.
  case null

  /// One object member.
  public struct Member: Sendable, Equatable {
    /// The key.
    public let key: String
    /// The value.
    public let value: JSONDocument
    /// Creates a member.
    public init(_ key: String, _ value: JSONDocument) { (self.key, self.value) = (key, value) }
  }

  /// The text, ending with a newline.
  public var text: String { written(indent: "") + "\n" }

  /// Whether the value has no object or array inside.
  var isScalar: Bool {
    switch self {
    case .object, .array: false
    case .string, .int, .number, .bool, .null: true
    }
  }

  /// The value written at nesting `indent`.
  func written(indent: String) -> String {
    let inner = indent + "  "
    switch self {
    case .object(let members):
      if members.isEmpty { return "{}" }
      if members.allSatisfy(\.value.isScalar) {
        return "{" + members.map { JSONWriter.quoted($0.key) + ": " + $0.value.written(indent: "") }.joined(separator: ", ") + "}"
      }
      return "{\n" + members.map { inner + JSONWriter.quoted($0.key) + ": " + $0.value.written(indent: inner) }
        .joined(separator: ",\n") + "\n" + indent + "}"
    case .array(let items):
      if items.isEmpty { return "[]" }
      if items.allSatisfy(\.isScalar) { return "[" + items.map { $0.written(indent: "") }.joined(separator: ", ") + "]" }
      return "[\n" + items.map { inner + $0.written(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    case .string(let s): return JSONWriter.quoted(s)
    case .int(let n): return String(n)
    case .number(let x): return x.isFinite ? "\(x)" : "null"
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    }
  }
}
