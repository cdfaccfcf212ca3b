import TensorRuntime

/// Reading and building the JSON values of the protocol.
extension JSONValue {

  /// The member `key` of an object (the last one if repeated), else nil.
  subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.last { $0.key == key }?.value
  }

  /// The value as a string, else nil.
  var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The value as an integer (a number without fraction or exponent), else nil.
  var int: Int? {
    guard case .number(let text) = self else { return nil }
    return Int(text)
  }

  /// The value as an array, else nil.
  var array: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  /// A number value.
  static func int(_ n: Int) -> JSONValue { .number(String(n)) }

  /// An object from key-value pairs in order, dropping nil values.
  static func fields(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
    .object(pairs.compactMap { pair in pair.value.map { (key: pair.key, value: $0) } })
  }
}
