import Foundation

/// Generated `.circuit` programs of a chosen size, for deep-input and scaling tests, and a
/// place to write them.
enum GeneratedPrograms {

  /// `return X op X op …` with `terms` operands.
  static func chain(_ op: String, terms: Int) -> String {
    "circuit main(X: [k=4]) -> [k] {\n    return "
      + Array(repeating: "X", count: terms).joined(separator: " \(op) ") + "\n}\n"
  }

  /// `return X |> relu |> …` with `stages` stages.
  static func pipeline(stages: Int) -> String {
    "circuit main(X: [k=4]) -> [k] {\n    return X"
      + String(repeating: " |> relu", count: stages) + "\n}\n"
  }

  /// An input axis whose size is `1 + 1 + …` with `terms` terms.
  static func sizeSum(terms: Int) -> String {
    "circuit main(X: [k=" + Array(repeating: "1", count: terms).joined(separator: " + ")
      + "]) -> [k] {\n    return relu(X)\n}\n"
  }

  /// `main` calling `C1` calling `C2` … calling `C<n-1>`, which applies `relu`; each circuit
  /// of the chain has a bias parameter when `parameters`.
  static func callChain(_ n: Int, parameters: Bool = false) -> String {
    var out = ""
    for i in 0..<n {
      let head = i == 0 ? "main(X: [k=4])" : "C\(i)(X: [k])"
      let body = i + 1 < n ? "C\(i + 1)(X)" : "relu(X)"
      let param = parameters ? "    param b: [k]\n" : ""
      let value = parameters ? "\(body) + b" : body
      out += "circuit \(head) -> [k] {\n\(param)    return \(value)\n}\n"
    }
    return out
  }

  /// `A -> B -> C -> A`: a real cycle of calls.
  static let cycleOfThree = """
    circuit A(X: [k=4]) -> [k] {
        return B(X)
    }
    circuit B(X: [k]) -> [k] {
        return C(X)
    }
    circuit C(X: [k]) -> [k] {
        return A(X)
    }

    """

  /// `statements` assignments, each reading the previous value.
  static func statements(_ statements: Int) -> String {
    var out = "circuit main(X: [k=4]) -> [k] {\n    A0 = X\n"
    for i in 0..<statements { out += "    A\(i + 1) = relu(A\(i))\n" }
    return out + "    return A\(statements)\n}\n"
  }

  /// `errors` assignments of unknown values (one error each).
  static func unknownNames(_ errors: Int) -> String {
    var out = "circuit main(X: [k=4]) -> [k] {\n"
    for i in 0..<errors { out += "    A\(i) = Y\(i)\n" }
    return out + "    return X\n}\n"
  }

  /// `warnings` values that are never used (one warning each).
  static func unusedValues(_ warnings: Int) -> String {
    var out = "circuit main(X: [k=4]) -> [k] {\n"
    for i in 0..<warnings { out += "    A\(i) = relu(X)\n" }
    return out + "    return X\n}\n"
  }

  /// The result of `body` given the path of a fresh temporary file named `name` holding
  /// `text`; the file is removed afterwards.
  static func withFile<T>(_ text: String, named name: String, _ body: (String) throws -> T) throws
    -> T
  {
    let dir = FileManager.default.temporaryDirectory.appending(
      path: "circuit-generated-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appending(path: name)
    try Data(text.utf8).write(to: url)
    return try body(url.path)
  }
}
