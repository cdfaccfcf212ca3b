import CircuitTestSupport
import Foundation
import Testing

/// `circuit lsp` as editors run it: a child process talking framed JSON-RPC on its standard
/// input and output, publishing diagnostics after the debounce pause.
@Suite struct LspProcessTests {

  /// The built tool (tests run after `swift build`).
  static let tool = PackagePaths.path(".build/debug/circuit")

  /// Frames a message.
  static func frame(_ object: [String: Any]) throws -> Data {
    let body = try JSONSerialization.data(withJSONObject: object)
    return Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body
  }

  /// Reads framed messages from `handle` until `count` arrived or the stream ends.
  static func read(_ count: Int, from handle: FileHandle) throws -> [[String: Any]] {
    var buffer = Data()
    var messages: [[String: Any]] = []
    while messages.count < count {
      if let headerEnd = buffer.range(of: Data("\r\n\r\n".utf8)) {
        let header = String(decoding: buffer[..<headerEnd.lowerBound], as: UTF8.self)
        let length = Int(header.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        if buffer.count - headerEnd.upperBound >= length {
          let body = buffer[headerEnd.upperBound..<headerEnd.upperBound + length]
          messages.append(try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:])
          buffer = Data(buffer[(headerEnd.upperBound + length)...])
          continue
        }
      }
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      buffer += chunk
    }
    return messages
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: tool)))
  func framedSessionWithTheRealProcess() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.tool)
    process.arguments = ["lsp", "--debounce", "200", "--stdlib", PackagePaths.path("stdlib")]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let uri = "file://" + PackagePaths.path("examples/bert.circuit")
    let text = try #require(PackagePaths.read("examples/bert.circuit"))
    let broken = text.replacingOccurrences(of: "return X + weight[p = 0..<t -> t]", with: "return X + ")
    var script = Data()
    script += try Self.frame(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": [:] as [String: Any]])
    script += try Self.frame(["jsonrpc": "2.0", "method": "initialized", "params": [:] as [String: Any]])
    script += try Self.frame([
      "jsonrpc": "2.0", "method": "textDocument/didOpen",
      "params": ["textDocument": ["uri": uri, "languageId": "circuit", "version": 1, "text": broken]],
    ])
    script += try Self.frame([
      "jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
      "params": ["textDocument": ["uri": uri], "position": ["line": 53, "character": 4]],
    ])
    input.fileHandleForWriting.write(script)
    let first = try Self.read(3, from: output.fileHandleForReading)
    #expect(first.count == 3)
    #expect(first.first?["id"] as? Int == 1)
    let hover = first.first { $0["id"] as? Int == 2 }?["result"] as? [String: Any]
    #expect(((hover?["contents"] as? [String: Any])?["value"] as? String)?.contains("Q : [t h k=m/h]") == true)
    let published = first.first { $0["method"] as? String == "textDocument/publishDiagnostics" }
    let diagnostics = (published?["params"] as? [String: Any])?["diagnostics"] as? [[String: Any]] ?? []
    #expect(diagnostics.count == 1)

    var rest = Data()
    rest += try Self.frame([
      "jsonrpc": "2.0", "method": "textDocument/didChange",
      "params": ["textDocument": ["uri": uri, "version": 2], "contentChanges": [["text": text]]],
    ])
    input.fileHandleForWriting.write(rest)
    let fixed = try Self.read(1, from: output.fileHandleForReading)
    let params = fixed.first?["params"] as? [String: Any]
    #expect(params?["version"] as? Int == 2 && (params?["diagnostics"] as? [Any])?.isEmpty == true, "\(fixed)")

    // Three quick changes: the hover after them is answered at once; the diagnostics come
    // once, for the last version, after the pause.
    var burst = Data()
    for version in 3...5 {
      let edited = version == 5 ? broken : text + "\n# edit \(version)\n"
      burst += try Self.frame([
        "jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": ["textDocument": ["uri": uri, "version": version], "contentChanges": [["text": edited]]],
      ])
    }
    burst += try Self.frame([
      "jsonrpc": "2.0", "id": 4, "method": "textDocument/hover",
      "params": ["textDocument": ["uri": uri], "position": ["line": 53, "character": 4]],
    ])
    input.fileHandleForWriting.write(burst)
    let debounced = try Self.read(2, from: output.fileHandleForReading)
    #expect(debounced.first?["id"] as? Int == 4, "\(debounced)")
    let finalParams = debounced.last?["params"] as? [String: Any]
    #expect(finalParams?["version"] as? Int == 5 && (finalParams?["diagnostics"] as? [Any])?.count == 1, "\(debounced)")

    var end = Data()
    end += try Self.frame(["jsonrpc": "2.0", "id": 3, "method": "shutdown"])
    end += try Self.frame(["jsonrpc": "2.0", "method": "exit"])
    input.fileHandleForWriting.write(end)
    let last = try Self.read(1, from: output.fileHandleForReading)
    #expect(last.first?["id"] as? Int == 3)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: tool)))
  func malformedInputGetsErrorsAndExitWithoutShutdownFails() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.tool)
    process.arguments = ["lsp"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    var script = Data("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 8\r\n\r\n{\"id\": 1".utf8)
    script += try Self.frame(["jsonrpc": "2.0", "id": 2, "method": "no/such/method"])
    script += try Self.frame(["jsonrpc": "2.0", "method": "exit"])
    input.fileHandleForWriting.write(script)
    let answers = try Self.read(2, from: output.fileHandleForReading)
    let codes = answers.compactMap { ($0["error"] as? [String: Any])?["code"] as? Int }
    #expect(codes == [-32700, -32601], "\(answers)")
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
  }
}
