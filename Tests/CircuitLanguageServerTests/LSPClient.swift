import CircuitDriver
import CircuitLanguageServer
import CircuitPipeline
import CircuitTestSupport
import Foundation
import TensorRuntime

/// A scripted client of an in-process `LanguageServer`: sends messages built from Foundation
/// values and gives the answers back as Foundation values.
final class LSPClient {

  /// The server under test.
  let server: LanguageServer

  /// The next request id.
  var nextID = 1

  /// Notifications received so far (diagnostics of closed documents, …).
  var notifications: [[String: Any]] = []

  /// The exit code once `exit` was handled.
  var exitCode: Int32?

  /// A client of a server reading `reader` (default: the file system) with the package's stdlib.
  init(reader: SourceReader = Platform.sourceReader) {
    server = LanguageServer(reader: reader, stdlibPath: [PackagePaths.path("stdlib")])
  }

  /// The server's value for a Foundation JSON value.
  static func value(_ object: Any) -> JSONValue {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])
    return try! JSONParser.parse(Array(data))
  }

  /// A Foundation JSON value for the server's value.
  static func object(_ value: JSONValue) -> Any {
    let text = JSONWriter.text(of: value)
    return try! JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
  }

  /// Sends a request and returns its response (`result` or `error` inside).
  @discardableResult
  func request(_ method: String, _ params: [String: Any] = [:]) -> [String: Any] {
    let id = nextID
    nextID += 1
    let reply = server.handle(Self.value(["jsonrpc": "2.0", "id": id, "method": method, "params": params]))
    var response: [String: Any] = [:]
    for message in reply.messages.map(Self.object) {
      guard let m = message as? [String: Any] else { continue }
      if m["id"] as? Int == id { response = m } else { notifications.append(m) }
    }
    return response
  }

  /// Sends a notification; returns the documents whose diagnostics became due.
  @discardableResult
  func notify(_ method: String, _ params: [String: Any]) -> [String] {
    let reply = server.handle(Self.value(["jsonrpc": "2.0", "method": method, "params": params]))
    notifications += reply.messages.compactMap { Self.object($0) as? [String: Any] }
    exitCode = reply.exitCode ?? exitCode
    return reply.changedDocuments
  }

  /// The diagnostics the server publishes for `uri` now.
  func diagnostics(_ uri: String) -> [[String: Any]] {
    guard let n = server.diagnostics(uri: uri), let m = Self.object(n) as? [String: Any],
      let params = m["params"] as? [String: Any]
    else { return [] }
    return params["diagnostics"] as? [[String: Any]] ?? []
  }

  /// `{ textDocument: { uri }, position: { line, character } }`.
  static func at(_ uri: String, _ line: Int, _ character: Int) -> [String: Any] {
    ["textDocument": ["uri": uri], "position": ["line": line, "character": character]]
  }
}

/// The zero-based line and column (UTF-16) of the `occurrence`-th `needle` on the first line
/// containing `context`.
func position(in text: String, line context: String, of needle: String) -> (Int, Int) {
  let lines = text.components(separatedBy: "\n")
  guard let i = lines.firstIndex(where: { $0.contains(context) }), let from = lines[i].range(of: context)?.lowerBound,
    let r = lines[i].range(of: needle, range: from..<lines[i].endIndex)
  else { return (-1, -1) }
  return (i, lines[i][..<r.lowerBound].utf16.count)
}
