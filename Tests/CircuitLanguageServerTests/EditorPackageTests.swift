import CircuitTestSupport
import Foundation
import Testing

/// The VS Code package under `editors/vscode`: its manifest names the grammar of `grammar/`
/// (linked, not copied) and a client that exists.
@Suite struct EditorPackageTests {

  @Test func manifestPointsAtTheGrammarAndTheClient() throws {
    let manifest = try #require(PackagePaths.read("editors/vscode/package.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])
    let contributes = try #require(json["contributes"] as? [String: Any])
    let grammar = try #require((contributes["grammars"] as? [[String: Any]])?.first)
    let path = try #require(grammar["path"] as? String)
    let linked = try #require(PackagePaths.read("editors/vscode/" + path))
    #expect(linked == PackagePaths.read("grammar/circuit.tmLanguage.json"))
    let grammarJSON = try #require(try JSONSerialization.jsonObject(with: Data(linked.utf8)) as? [String: Any])
    #expect(grammar["scopeName"] as? String == grammarJSON["scopeName"] as? String)
    let language = (contributes["languages"] as? [[String: Any]])?.first
    #expect(language?["extensions"] as? [String] == [".circuit"])
    #expect(grammar["language"] as? String == language?["id"] as? String)
    let main = try #require(json["main"] as? String)
    let client = try #require(PackagePaths.read("editors/vscode/" + main))
    #expect(client.contains("'lsp'") && client.contains("circuit/diagram"))
  }
}
