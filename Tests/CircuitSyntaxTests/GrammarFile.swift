#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The text of `grammar/circuit.ebnf` and the parts of it the consistency tests compare.
struct GrammarFile {

  /// The rules in order: name, right-hand side with terminals blanked, and its terminals.
  let rules: [(name: String, body: String, terminals: [String])]

  /// The lines that are neither blank, comments, nor a complete rule.
  let malformedLines: [String]

  /// Every quoted terminal, outside comments and `? … ?` special sequences.
  let terminals: Set<String>

  /// Every rule name used on a right-hand side.
  let references: Set<String>

  /// Reads the grammar of the package that contains this test file.
  static func load(filePath: String = #filePath) throws -> GrammarFile {
    var dir = URL(filePath: filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appending(path: "Package.swift").path) {
      let parent = dir.deletingLastPathComponent()
      if parent.path == dir.path { throw GrammarFileError.packageRootNotFound }
      dir = parent
    }
    let url = dir.appending(path: "grammar").appending(path: "circuit.ebnf")
    return GrammarFile(text: try String(contentsOf: url, encoding: .utf8))
  }

  /// Splits `text` into rules, terminals and references.
  init(text: String) {
    var rules: [(String, String, [String])] = []
    var malformed: [String] = []
    var terminals: Set<String> = []
    var references: Set<String> = []
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let scan = GrammarFile.scan(String(rawLine))
      let line = String(scan.code.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
      if line.isEmpty { continue }
      guard let eq = line.firstRange(of: " = "), line.hasSuffix(";") else {
        malformed.append(String(rawLine))
        continue
      }
      let name = String(line[..<eq.lowerBound])
      let body = String(line[eq.upperBound...].dropLast())
      if name.isEmpty || !name.allSatisfy({ $0.isLetter || $0 == "_" }) {
        malformed.append(String(rawLine))
        continue
      }
      rules.append((name, body, scan.terminals))
      terminals.formUnion(scan.terminals)
      references.formUnion(
        body.split(whereSeparator: { !($0.isLetter || $0 == "_") }).map(String.init))
    }
    self.rules = rules
    self.malformedLines = malformed
    self.terminals = terminals
    self.references = references
  }

  /// Splits one line into its code (with terminals, special sequences and comments blanked)
  /// and its quoted terminals.
  private static func scan(_ line: String) -> (code: String, terminals: [String]) {
    var code = ""
    var terminals: [String] = []
    let chars = Array(line)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "(" && i + 1 < chars.count && chars[i + 1] == "*" {
        var j = i + 2
        while j + 1 < chars.count && !(chars[j] == "*" && chars[j + 1] == ")") { j += 1 }
        i = j + 2
        code.append(" ")
      } else if c == "\"" || c == "'" || c == "?" {
        var j = i + 1
        while j < chars.count && chars[j] != c { j += 1 }
        if c != "?" { terminals.append(String(chars[(i + 1)..<min(j, chars.count)])) }
        i = j + 1
        code.append(" 0 ")
      } else {
        code.append(c)
        i += 1
      }
    }
    return (code, terminals)
  }
}

/// Why the grammar could not be read.
enum GrammarFileError: Error {
  /// No directory above the test file holds a `Package.swift`.
  case packageRootNotFound
}
