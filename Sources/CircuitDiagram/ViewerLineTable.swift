/// The drawings of a viewer page stored once: every distinct line of SVG (an element or a
/// closing tag, indentation dropped) is written once in a shared table, and each embedded
/// drawing becomes the runs of table indices it is made of. The levels and the states one
/// block toggle away share most of their elements, so the page holds each of them once
/// instead of once per drawing (ResNet's page: 2.2 MB of drawings → about a quarter).
struct ViewerLineTable {

  /// The distinct lines, in order of first use.
  private(set) var lines: [Substring] = []
  /// Each line's index in `lines`.
  private var index: [Substring: Int] = [:]

  /// The runs of `svg`'s lines as the page writes them: space-separated base-36 indices,
  /// `a-b` for the consecutive indices `a` through `b` (adding new lines to the table).
  mutating func runs(of svg: String) -> String {
    var ids: [Int] = []
    for raw in svg.split(separator: "\n", omittingEmptySubsequences: true) {
      let line = raw.drop { $0 == " " }
      guard !line.isEmpty else { continue }
      if let known = index[line] {
        ids.append(known)
      } else {
        index[line] = lines.count
        ids.append(lines.count)
        lines.append(line)
      }
    }
    var out: [String] = []
    var i = 0
    while i < ids.count {
      var j = i
      while j + 1 < ids.count && ids[j + 1] == ids[j] + 1 { j += 1 }
      let first = String(ids[i], radix: 36)
      out.append(j > i ? first + "-" + String(ids[j], radix: 36) : first)
      i = j + 1
    }
    return out.joined(separator: " ")
  }

  /// The table as the text of a `<script type="text/plain">`: one line per entry. The
  /// serializer escapes `<` in text and attributes, so no entry holds `</script`.
  var text: String { lines.joined(separator: "\n") }
}
