/// Writes C text line by line with the current indentation (two spaces a level) and braced
/// blocks, instead of concatenating strings with hand-counted spaces.
struct CWriter {

  /// The text written so far.
  private(set) var text = ""

  /// The indentation level of the next line.
  var level: Int

  /// A writer starting at indentation `level`.
  init(level: Int = 0) { self.level = level }

  /// Writes `line` (possibly several lines, each indented) and a newline.
  mutating func line(_ line: String) {
    for l in line.split(separator: "\n", omittingEmptySubsequences: false) {
      text += l.isEmpty ? "\n" : String(repeating: "  ", count: level) + l + "\n"
    }
  }

  /// Writes `opener {`, the lines `body` writes one level deeper, and `}` (then `closer`).
  mutating func block(_ opener: String, closer: String = "", _ body: (inout CWriter) -> Void) {
    line(opener + " {")
    level += 1
    body(&self)
    level -= 1
    line("}" + closer)
  }

  /// Appends `text` as it is (already indented, ending in a newline).
  mutating func raw(_ text: String) { self.text += text }
}
