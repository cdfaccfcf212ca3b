import CircuitDriver
import CircuitFormat
import CircuitDiagnostics
import CircuitTestSupport
import Foundation
import Testing

/// A scripted session on `examples/bert.circuit` through the server core: open, an error
/// typed and fixed, hover, definition, references, completion, symbols, rename, formatting,
/// the diagram, shutdown and exit.
@Suite struct LanguageServerSessionTests {

  /// The example's path, URI and text.
  static let path = PackagePaths.path("examples/bert.circuit")
  static let uri = "file://" + path
  static let text = PackagePaths.read("examples/bert.circuit") ?? ""

  /// The Markdown of a hover at `needle` on the line containing `context`.
  func hover(_ client: LSPClient, _ context: String, _ needle: String) -> String {
    let (l, c) = position(in: Self.text, line: context, of: needle)
    let result = client.request("textDocument/hover", LSPClient.at(Self.uri, l, c))["result"] as? [String: Any]
    return (result?["contents"] as? [String: Any])?["value"] as? String ?? "(no hover)"
  }

  /// The `(uri, line)` of each location in a response.
  func locations(_ response: [String: Any]) -> [(String, Int)] {
    let result = response["result"]
    let list = result as? [[String: Any]] ?? (result as? [String: Any]).map { [$0] } ?? []
    return list.map { loc in
      let start = (loc["range"] as? [String: Any])?["start"] as? [String: Any]
      return (loc["uri"] as? String ?? "", start?["line"] as? Int ?? -1)
    }
  }

  /// A client with the example opened.
  func opened() throws -> LSPClient {
    let client = LSPClient()
    let initialize = client.request("initialize", ["capabilities": [:] as [String: Any]])
    let capabilities = (initialize["result"] as? [String: Any])?["capabilities"] as? [String: Any]
    #expect(capabilities?["hoverProvider"] as? Bool == true)
    #expect(capabilities?["documentFormattingProvider"] as? Bool == true)
    client.notify("initialized", [:])
    let due = client.notify(
      "textDocument/didOpen",
      ["textDocument": ["uri": Self.uri, "languageId": "circuit", "version": 1, "text": Self.text]])
    #expect(due == [Self.uri])
    return client
  }

  @Test func diagnosticsFollowTheUnsavedText() throws {
    let client = try opened()
    #expect(client.diagnostics(Self.uri).isEmpty)
    let broken = Self.text.replacingOccurrences(of: "return X + weight[p = 0..<t -> t]", with: "return X + ")
    client.notify(
      "textDocument/didChange",
      ["textDocument": ["uri": Self.uri, "version": 2], "contentChanges": [["text": broken]]])
    let errors = client.diagnostics(Self.uri)
    #expect(errors.count == 1)
    let first = errors.first ?? [:]
    let start = (first["range"] as? [String: Any])?["start"] as? [String: Any]
    #expect(start?["line"] as? Int == 36 && first["severity"] as? Int == 1, "\(first)")
    // Symbols and hover still answer for what parsed.
    let symbols = client.request("textDocument/documentSymbol", ["textDocument": ["uri": Self.uri]])["result"] as? [[String: Any]]
    #expect(symbols?.compactMap { $0["name"] as? String }.contains("BertSelfAttention") == true)
    #expect(hover(client, "Q = query", "Q").contains("[t=16 h=4 k=16]"))
    // An incremental edit that restores the line fixes it.
    let (line, _) = position(in: broken, line: "return X + ", of: "return")
    let lineText = broken.components(separatedBy: "\n")[line]
    client.notify(
      "textDocument/didChange",
      [
        "textDocument": ["uri": Self.uri, "version": 3],
        "contentChanges": [
          [
            "range": ["start": ["line": line, "character": lineText.utf16.count], "end": ["line": line, "character": lineText.utf16.count]],
            "text": "weight[p = 0..<t -> t]",
          ]
        ],
      ])
    #expect(client.diagnostics(Self.uri).isEmpty)
  }

  @Test func notesBecomeRelatedInformation() {
    let path = "/virtual/mismatch.circuit"
    let client = LSPClient(reader: .inMemory([:]))
    let text = "circuit main(X: [t=4], Y: [t=5]) -> [t] {\n    return X + Y\n}\n"
    client.notify("textDocument/didOpen", ["textDocument": ["uri": "file://" + path, "version": 1, "text": text]])
    let diagnostics = client.diagnostics("file://" + path)
    let related = diagnostics.first?["relatedInformation"] as? [[String: Any]] ?? []
    #expect(diagnostics.count == 1 && related.count >= 2, "\(diagnostics)")
    #expect(related.compactMap { $0["message"] as? String }.contains { $0.hasPrefix("left operand") })
  }

  @Test func hoverShowsTypesWithSizesSignaturesAndDocumentation() throws {
    let client = try opened()
    #expect(hover(client, "Q = query", "Q") == "```circuit\nQ : [t h k=m/h]\n```\nwith `sizes { }`: `[t=16 h=4 k=16]`")
    #expect(hover(client, "K = rename[t -> s](K)", "K)").contains("K : [t h k=m/h]"))
    let linear = hover(client, "Q = query", "LinearBias")
    #expect(linear.contains("circuit LinearBias(X: [i]) -> [o]") && linear.contains("parameters: 2 tensors, i*o + o values"), "\(linear)")
    let embeddings = hover(client, "E = embeddings", "BertEmbeddings")
    #expect(embeddings.contains("(68,352 with `sizes { }`)") && embeddings.contains("Word + position"), "\(embeddings)")
    #expect(hover(client, "return merge[h k -> m](C)", "merge").contains("merges axes"))
    #expect(hover(client, "circuit BertSelfAttention", "m]") .contains("axis m = 64"))
    #expect(hover(client, "circuit BertSelfAttention", "h]").contains("size parameter of `BertSelfAttention`"))
    #expect(hover(client, "param weight: [p=npos m]", "weight").contains("param weight: [p=npos m]"))
    #expect(hover(client, "size m' = m", "m'").contains("size m'"))
    #expect(hover(client, "for l in 0..<N", "l").contains("loop variable"))
    #expect(hover(client, "Q = query", "i:").contains("the axis `i` of `LinearBias`, bound at this call"))
    #expect(hover(client, "E = position_embeddings", "position_embeddings").contains("the instance `position_embeddings` of `PositionEmbedding`"))
    #expect(hover(client, "return LayerNorm: LayerNorm(E, eps", "eps").contains("eps: f32 = 1e-05"))
  }

  @Test func definitionAndReferences() throws {
    let client = try opened()
    func at(_ context: String, _ needle: String) -> [String: Any] {
      let (l, c) = position(in: Self.text, line: context, of: needle)
      return LSPClient.at(Self.uri, l, c)
    }
    #expect(locations(client.request("textDocument/definition", at("E = embeddings", "BertEmbeddings"))).map(\.1) == [40])
    let linear = locations(client.request("textDocument/definition", at("Q = query", "LinearBias")))
    #expect(linear.count == 1 && linear[0].0.hasSuffix("/stdlib/nn.circuit"), "\(linear)")
    let module = locations(client.request("textDocument/definition", at("import nn", "nn")))
    #expect(module.first?.0.hasSuffix("/stdlib/nn.circuit") == true)
    #expect(locations(client.request("textDocument/definition", at("K = rename[t -> s](K)", "K)"))).map(\.1) == [54])
    let axis = locations(client.request("textDocument/definition", at("Q = query", "o:")))
    #expect(axis.count == 1 && axis[0].0.hasSuffix("/stdlib/nn.circuit") && axis[0].1 == 31, "\(axis)")
    var renameAxis = at("Q = query", "o:")
    renameAxis["newName"] = "out"
    #expect(client.request("textDocument/rename", renameAxis)["error"] != nil)
    var references = at("keep = exp", "keep")
    references["context"] = ["includeDeclaration": true]
    #expect(locations(client.request("textDocument/references", references)).map(\.1) == [101, 102, 102])
    references["context"] = ["includeDeclaration": false]
    #expect(locations(client.request("textDocument/references", references)).map(\.1) == [102, 102])
    var calls = at("circuit BertOutput", "BertOutput")
    calls["context"] = ["includeDeclaration": true]
    #expect(locations(client.request("textDocument/references", calls)).map(\.1) == [82, 91])
  }

  @Test func completionListsAxesCircuitsBuiltinsAndKeywords() throws {
    let client = try opened()
    let (l, c) = position(in: Self.text, line: "return merge[h k -> m](C)", of: "h k")
    let result = client.request("textDocument/completion", LSPClient.at(Self.uri, l, c))["result"] as? [String: Any]
    let items = result?["items"] as? [[String: Any]] ?? []
    let labels = Set(items.compactMap { $0["label"] as? String })
    for expected in ["h", "k", "m", "t", "Q", "mask", "BertOutput", "LinearBias", "softmax", "circuit", "return", "npos"] {
      #expect(labels.contains(expected), "missing \(expected)")
    }
    let axis = items.first { $0["label"] as? String == "m" }
    #expect(axis?["detail"] as? String == "axis = 64")
  }

  @Test func signatureHelpWhileTypingACall() throws {
    let client = try opened()
    let typed = Self.text.replacingOccurrences(of: "    return output: BertSelfOutput(C, X)", with: "    return output: BertSelfOutput(C, ")
    client.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 2], "contentChanges": [["text": typed]]])
    let (l, c) = position(in: typed, line: "return output: BertSelfOutput(C, ", of: "C, ")
    let help = client.request("textDocument/signatureHelp", LSPClient.at(Self.uri, l, c + 3))["result"] as? [String: Any]
    let signature = (help?["signatures"] as? [[String: Any]])?.first
    #expect(signature?["label"] as? String == "BertSelfOutput(C: [t m], X: [t m]) -> [t m]")
    #expect(help?["activeParameter"] as? Int == 1)
    let (l2, c2) = position(in: typed, line: "return LayerNorm: LayerNorm(X + D", of: "X + D")
    let norm = client.request("textDocument/signatureHelp", LSPClient.at(Self.uri, l2, c2))["result"] as? [String: Any]
    let parameters = ((norm?["signatures"] as? [[String: Any]])?.first?["parameters"] as? [[String: Any]])?.compactMap { $0["label"] as? String }
    #expect(parameters == ["X: [m]", "eps: f32 = 1e-05"])
    #expect(norm?["activeParameter"] as? Int == 0)
  }

  @Test func inlayHintsGiveTheShapeOfEveryAssignedWire() throws {
    let client = try opened()
    let (l, _) = position(in: Self.text, line: "circuit BertSelfAttention", of: "circuit")
    let range: [String: Any] = ["start": ["line": l, "character": 0], "end": ["line": l + 12, "character": 0]]
    let hints = client.request("textDocument/inlayHint", ["textDocument": ["uri": Self.uri], "range": range])["result"] as? [[String: Any]] ?? []
    let labels = hints.compactMap { $0["label"] as? String }
    #expect(labels == [": [t h k=m/h]", ": [t h k=m/h]", ": [t h k=m/h]", ": [s=t h k=m/h]", ": [s=t h k=m/h]", ": [s=t]", ": [t k=m/h h]"], "\(labels)")
    let first = hints.first?["position"] as? [String: Any]
    #expect(first?["line"] as? Int == l + 2 && first?["character"] as? Int == 5)
    #expect(hints.first?["tooltip"] as? String == "with sizes { }: [t=16 h=4 k=16]")
  }

  @Test func documentSymbolsListCircuitsAndTheirMembers() throws {
    let client = try opened()
    let symbols = client.request("textDocument/documentSymbol", ["textDocument": ["uri": Self.uri]])["result"] as? [[String: Any]] ?? []
    #expect(symbols.compactMap { $0["name"] as? String } == [
      "nn", "attention", "sizes", "PositionEmbedding", "BertEmbeddings", "BertSelfAttention", "BertSelfOutput",
      "BertAttention", "BertIntermediate", "BertOutput", "BertEncoder", "main",
    ])
    let position = symbols.first { $0["name"] as? String == "PositionEmbedding" }
    let children = (position?["children"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(children == ["npos", "X", "weight"])
    #expect((position?["detail"] as? String)?.hasPrefix("circuit PositionEmbedding[npos](X: [t m])") == true)
  }

  @Test func renameEditsEveryUseAndTheResultChecks() throws {
    let client = try opened()
    let (l, c) = position(in: Self.text, line: "circuit BertOutput", of: "BertOutput")
    var params = LSPClient.at(Self.uri, l, c)
    params["newName"] = "BertFeedForwardOutput"
    let result = client.request("textDocument/rename", params)["result"] as? [String: Any]
    let edits = (result?["changes"] as? [String: Any])?[Self.uri] as? [[String: Any]] ?? []
    #expect(edits.count == 2)
    var renamed = Self.text
    for edit in edits.reversed() {
      let start = (edit["range"] as? [String: Any])?["start"] as? [String: Any]
      let line = start?["line"] as? Int ?? 0
      var lines = renamed.components(separatedBy: "\n")
      lines[line] = lines[line].replacingOccurrences(of: "BertOutput(", with: "BertFeedForwardOutput(")
      renamed = lines.joined(separator: "\n")
    }
    client.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 2], "contentChanges": [["text": renamed]]])
    #expect(client.diagnostics(Self.uri).isEmpty)
    var stdlib = LSPClient.at(Self.uri, position(in: Self.text, line: "Q = query", of: "LinearBias").0, position(in: Self.text, line: "Q = query", of: "LinearBias").1)
    stdlib["newName"] = "Dense"
    let refused = client.request("textDocument/rename", stdlib)["error"] as? [String: Any]
    #expect((refused?["message"] as? String)?.contains("standard library") == true)
    var bad = LSPClient.at(Self.uri, l, c)
    bad["newName"] = "two words"
    #expect(client.request("textDocument/rename", bad)["error"] != nil)
  }

  @Test func formattingDiagramAndShutdown() throws {
    let client = try opened()
    let format = client.request("textDocument/formatting", ["textDocument": ["uri": Self.uri], "options": ["tabSize": 4, "insertSpaces": true]])
    #expect((format["result"] as? [Any])?.isEmpty == true)
    let messy = Self.text.replacingOccurrences(of: "    return X + weight", with: "  return X+ weight")
    client.notify("textDocument/didChange", ["textDocument": ["uri": Self.uri, "version": 2], "contentChanges": [["text": messy]]])
    let edits = client.request("textDocument/formatting", ["textDocument": ["uri": Self.uri]])["result"] as? [[String: Any]] ?? []
    #expect(edits.count == 1)
    let expected = try #require(try? Formatter.format(SourceFile(name: "b", text: messy)).get())
    #expect(edits.first?["newText"] as? String == expected)

    let (l, c) = position(in: Self.text, line: "Q = query", of: "Q")
    let diagram = client.request("circuit/diagram", LSPClient.at(Self.uri, l, c))["result"] as? [String: Any]
    #expect(diagram?["circuit"] as? String == "BertSelfAttention")
    #expect((diagram?["svg"] as? String)?.hasPrefix("<svg") == true)

    #expect(client.request("shutdown")["result"] is NSNull)
    #expect(client.request("textDocument/hover", LSPClient.at(Self.uri, l, c))["error"] != nil)
    client.notify("exit", [:])
    #expect(client.exitCode == 0)
  }
}

/// Circuits across open documents: a library file and a file importing it.
@Suite struct CrossFileTests {

  @Test func referencesAndRenameReachOpenImporters() {
    let client = LSPClient(reader: .inMemory([:], currentDirectory: "/virtual"))
    let lib = "file:///virtual/lib.circuit"
    let app = "file:///virtual/app.circuit"
    client.notify("textDocument/didOpen", ["textDocument": ["uri": lib, "version": 1, "text": "circuit Block(X: [t]) -> [t] {\n    return relu(X)\n}\n"]])
    let due = client.notify(
      "textDocument/didOpen",
      ["textDocument": ["uri": app, "version": 1, "text": "import \"./lib.circuit\"\n\ncircuit main(X: [t=4]) -> [t] {\n    return Block(Block(X))\n}\n"]])
    #expect(due == [app, lib])
    #expect(client.diagnostics(app).isEmpty && client.diagnostics(lib).isEmpty)
    var params = LSPClient.at(lib, 0, 9)
    params["context"] = ["includeDeclaration": true]
    let references = client.request("textDocument/references", params)["result"] as? [[String: Any]] ?? []
    #expect(references.compactMap { $0["uri"] as? String } == [lib, app, app])
    params["newName"] = "Layer"
    let changes = (client.request("textDocument/rename", params)["result"] as? [String: Any])?["changes"] as? [String: Any]
    #expect((changes?[lib] as? [Any])?.count == 1 && (changes?[app] as? [Any])?.count == 2, "\(String(describing: changes))")
    client.notify(
      "textDocument/didChange",
      ["textDocument": ["uri": lib, "version": 2], "contentChanges": [["text": "circuit Block(X: [t]) -> [t] {\n    return relu(Z)\n}\n"]]])
    let imported = client.diagnostics(app)
    #expect(imported.count == 1, "\(imported)")
    #expect((imported.first?["message"] as? String)?.hasPrefix("1 error in the imported file") == true, "\(imported)")
    let related = imported.first?["relatedInformation"] as? [[String: Any]]
    #expect((related?.first?["location"] as? [String: Any])?["uri"] as? String == lib)
    client.notify(
      "textDocument/didChange",
      ["textDocument": ["uri": lib, "version": 3], "contentChanges": [["text": "circuit Block(X: [t]) -> [t] {\n    return relu(X)\n}\n"]]])
    let definition = client.request("textDocument/definition", LSPClient.at(app, 3, 11))["result"] as? [String: Any]
    #expect(definition?["uri"] as? String == lib)
    let importTarget = client.request("textDocument/definition", LSPClient.at(app, 0, 10))["result"] as? [String: Any]
    #expect(importTarget?["uri"] as? String == lib)
  }
}
