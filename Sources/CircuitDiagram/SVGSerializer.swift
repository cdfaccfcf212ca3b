/// Writes an `SVGElement` tree as text: one element per line, two-space indentation, every
/// attribute value and text escaped by the one escaper, `\n` line endings and a final newline.
public enum SVGSerializer {

  /// The document text of `root`.
  public static func serialize(_ root: SVGElement) -> String {
    var out = ""
    write(root, indent: 0, into: &out)
    return out
  }

  /// Appends `e` at `indent`.
  private static func write(_ e: SVGElement, indent: Int, into out: inout String) {
    let pad = String(repeating: "  ", count: indent)
    out += pad + "<" + e.name
    for (k, v) in e.attributes { out += " \(k)=\"\(escape(v))\"" }
    if e.children.isEmpty {
      out += "/>\n"
      return
    }
    let textOnly = e.children.allSatisfy { if case .text = $0 { true } else { false } }
    if textOnly {
      out += ">"
      for case .text(let t) in e.children { out += escape(t) }
      out += "</\(e.name)>\n"
      return
    }
    out += ">\n"
    for c in e.children {
      switch c {
      case .element(let child): write(child, indent: indent + 1, into: &out)
      case .text(let t): out += pad + "  " + escape(t) + "\n"
      }
    }
    out += pad + "</\(e.name)>\n"
  }

  /// Escapes markup characters and drops characters XML 1.0 does not allow, so that no
  /// name from a source file can inject markup.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n", "\r": out += " "
      default:
        let v = c.value
        if v < 0x20 || v == 0x7F || (0xFFFE...0xFFFF).contains(v) { continue }
        out.unicodeScalars.append(c)
      }
    }
    return out
  }
}
