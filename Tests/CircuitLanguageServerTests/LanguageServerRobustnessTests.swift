import CircuitDriver
import CircuitTestSupport
import Foundation
import Testing

/// The server on half-typed text: mutants of the examples (the robustness fuzzer's mutations)
/// opened and queried at random positions must get answers, never a trap or a hang.
@Suite struct LanguageServerRobustnessTests {

  /// `CIRCUIT_FUZZ_SCALE` (default 1) times the default number of mutants: `.ci/run` runs a
  /// long pass.
  static let scale = max(1, Int(ProcessInfo.processInfo.environment["CIRCUIT_FUZZ_SCALE"] ?? "") ?? 1)

  /// Mutants per file: 6 in a developer's `swift test`, 12 times the scale in the long pass
  /// (one seeded sequence per file, so the short pass's mutants and positions are its first).
  static let mutantsPerFile = scale > 1 ? 12 * scale : 6

  @Test func mutantsAreAnsweredNotCrashedOn() throws {
    let files = ["examples/bert.circuit", "examples/unet.circuit", "stdlib/nn.circuit"]
    var answered = 0
    for file in files {
      let original = Array(try #require(PackagePaths.read(file)).utf8)
      var r = SeededRandom(state: 0x15B_0000 &+ UInt64(file.utf8.count))
      let uri = "file://" + PackagePaths.path(file)
      let client = LSPClient()
      client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "version": 0, "text": String(decoding: original, as: UTF8.self)]])
      for k in 1...Self.mutantsPerFile {
        let mutant = String(decoding: SourceMutator.mutate(original, &r), as: UTF8.self)
        client.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": k], "contentChanges": [["text": mutant]]])
        let lineCount = mutant.split(separator: "\n", omittingEmptySubsequences: false).count
        LargeStack.run {
          _ = client.diagnostics(uri)
          for method in [
            "textDocument/hover", "textDocument/definition", "textDocument/completion", "textDocument/references",
            "textDocument/signatureHelp", "textDocument/rename", "circuit/diagram", "textDocument/inlayHint",
          ] {
            let (line, character) = (r.below(lineCount + 1), r.below(60))
            var params = LSPClient.at(uri, line, character)
            params["context"] = ["includeDeclaration": true]
            params["newName"] = "renamed"
            let response = client.request(method, params)
            if response["result"] != nil || response["error"] != nil { answered += 1 }
          }
          if client.request("textDocument/documentSymbol", ["textDocument": ["uri": uri]])["result"] is [Any] { answered += 1 }
        }
      }
    }
    #expect(answered == 3 * Self.mutantsPerFile * 9)
  }

  @Test func positionsCountUTF16UnitsAndSurviveInvalidBytes() {
    let uri = "file:///virtual/u.circuit"
    let client = LSPClient(reader: .inMemory([:]))
    // '𝔸' is two UTF-16 units (4 bytes), 'λ' one (2 bytes): Y is at unit 18, byte 21.
    let text = "# λ𝔸\ncircuit main(X: [t=2]) -> [t] { # λ𝔸 λ\n    group \"𝔸λ\" { Y = X }\n  return  Y # 𝔸\n}\n"
    client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "version": 1, "text": text]])
    let hover = client.request("textDocument/hover", LSPClient.at(uri, 2, 18))["result"] as? [String: Any]
    let range = hover?["range"] as? [String: Any]
    #expect((range?["start"] as? [String: Any])?["character"] as? Int == 18)
    #expect((range?["end"] as? [String: Any])?["character"] as? Int == 19)
    #expect(((hover?["contents"] as? [String: Any])?["value"] as? String)?.contains("Y : [t=2]") == true, "\(String(describing: hover))")
    client.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": uri, "version": 2],
        "contentChanges": [["range": ["start": ["line": 0, "character": 2], "end": ["line": 0, "character": 5]], "text": "ok"]],
      ])
    let symbols = client.request("textDocument/documentSymbol", ["textDocument": ["uri": uri]])["result"] as? [[String: Any]]
    #expect(symbols?.first?["name"] as? String == "main")
    let edits = client.request("textDocument/formatting", ["textDocument": ["uri": uri]])["result"] as? [[String: Any]]
    #expect((edits?.first?["newText"] as? String)?.hasPrefix("# ok\ncircuit main") == true, "\(String(describing: edits))")
  }
}
