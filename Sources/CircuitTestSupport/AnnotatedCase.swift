import Foundation

/// An expected diagnostic written in a test file: `//! @-1:7 error: message`.
public struct ExpectedDiagnostic: Hashable, Sendable, CustomStringConvertible {

  /// The 1-based line the diagnostic must be on.
  public let line: Int

  /// The 1-based column, when the annotation gives one.
  public let column: Int?

  /// `error` or `warning`.
  public let severity: String

  /// The exact message.
  public let message: String

  /// The line of the annotation itself.
  public let annotationLine: Int

  /// `line:col: severity: message`.
  public var description: String {
    "\(line)\(column.map { ":\($0)" } ?? ""): \(severity): \(message)"
  }
}

/// A reported diagnostic parsed from rendered output.
public struct ReportedDiagnostic: Hashable, Sendable, CustomStringConvertible {

  /// The line, column, severity and message.
  public let line: Int, column: Int, severity: String, message: String

  /// `line:col: severity: message`.
  public var description: String { "\(line):\(column): \(severity): \(message)" }
}

/// A `.circuit` test file with its annotations.
///
/// - `//! [@±N[:C]] error|warning: message` expects a diagnostic on the annotation's line
///   plus N (default: the line above when the annotation stands alone, its own line when it
///   follows code), at column C if given.
/// - `//# size: name=value` passes `--size name=value`; `//# const: name=value` passes
///   `--const name=value`; `//# entry: name` passes `--entry`.
public struct AnnotatedCase: Sendable {

  /// The expected diagnostics.
  public let expected: [ExpectedDiagnostic]

  /// Extra command-line arguments from `//#` directives.
  public let arguments: [String]

  /// Parses the annotations of `text`.
  public init(text: String) {
    var expected: [ExpectedDiagnostic] = []
    var arguments: [String] = []
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let lineNumber = i + 1
      if let r = raw.range(of: "//# ") {
        let directive = raw[r.upperBound...].trimmingSpaces
        if directive.hasPrefix("size:") {
          arguments += ["--size", String(directive.dropFirst(5)).trimmingSpaces]
        } else if directive.hasPrefix("const:") {
          arguments += ["--const", String(directive.dropFirst(6)).trimmingSpaces]
        } else if directive.hasPrefix("entry:") {
          arguments += ["--entry", String(directive.dropFirst(6)).trimmingSpaces]
        }
        continue
      }
      guard let r = raw.range(of: "//! ") else { continue }
      let standsAlone = raw[..<r.lowerBound].allSatisfy { $0 == " " || $0 == "\t" }
      var rest = Substring(raw[r.upperBound...])
      var offset = standsAlone ? -1 : 0
      var column: Int? = nil
      if rest.hasPrefix("@") {
        let token = rest.prefix { $0 != " " }
        rest = rest.dropFirst(token.count).drop { $0 == " " }
        let parts = token.dropFirst().split(separator: ":")
        if let o = parts.first.flatMap({ Int($0.hasPrefix("+") ? String($0.dropFirst()) : String($0)) }) { offset = o }
        if parts.count > 1 { column = Int(parts[1]) }
      }
      guard let colon = rest.firstIndex(of: ":") else { continue }
      let severity = String(rest[..<colon])
      let message = String(rest[rest.index(after: colon)...]).trimmingSpaces
      expected.append(
        ExpectedDiagnostic(
          line: lineNumber + offset, column: column, severity: severity, message: message,
          annotationLine: lineNumber))
    }
    self.expected = expected
    self.arguments = arguments
  }

  /// The error and warning headers of rendered diagnostics that refer to `fileName`.
  public static func reported(in rendered: String, fileName: String) -> [ReportedDiagnostic] {
    var out: [ReportedDiagnostic] = []
    for line in rendered.split(separator: "\n") where line.hasPrefix(fileName + ":") {
      let rest = line.dropFirst(fileName.count + 1)
      let fields = rest.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
      guard fields.count == 4, let l = Int(fields[0]), let c = Int(fields[1]) else { continue }
      let severity = fields[2].trimmingSpaces
      guard severity == "error" || severity == "warning" else { continue }
      var message = fields[3].trimmingSpaces
      if message.hasSuffix("]"), let open = message.lastIndex(of: "[") {
        message = String(message[..<open]).trimmingSpaces
      }
      out.append(ReportedDiagnostic(line: l, column: c, severity: severity, message: message))
    }
    return out
  }
}

extension StringProtocol {

  /// The text without leading and trailing spaces.
  var trimmingSpaces: String {
    String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
  }
}
