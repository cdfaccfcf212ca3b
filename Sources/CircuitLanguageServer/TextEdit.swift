import CircuitDiagnostics
import TensorRuntime

/// Applies the protocol's content changes to a document's text.
enum TextEdit {

  /// `text` after `change`: the whole new text, or a replacement of its `range`.
  static func apply(_ change: JSONValue, to text: String) -> String {
    guard let newText = change["text"]?.string else { return text }
    guard let range = change["range"], let start = range["start"], let end = range["end"] else { return newText }
    let lines = LineMap(file: SourceFile(name: "", text: text))
    let a = lines.offset(line: start["line"]?.int ?? 0, character: start["character"]?.int ?? 0)
    let b = lines.offset(line: end["line"]?.int ?? 0, character: end["character"]?.int ?? 0)
    var bytes = Array(text.utf8)
    bytes.replaceSubrange(min(a, b)..<max(a, b), with: Array(newText.utf8))
    return String(decoding: bytes, as: UTF8.self)
  }
}
