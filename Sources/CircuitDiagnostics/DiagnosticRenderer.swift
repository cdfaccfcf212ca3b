/// Renders diagnostics as text: `file:line:col: error: message [id]`, the source line with a
/// gutter, a `^~~~` underline, and the notes.
public struct DiagnosticRenderer: Sendable {

  /// Whether to use ANSI colour.
  public var colored: Bool

  /// Whether to append the diagnostic's `[id]` to its header.
  public var showsIDs: Bool

  /// Creates a renderer.
  public init(colored: Bool = false, showsIDs: Bool = true) {
    self.colored = colored
    self.showsIDs = showsIDs
  }

  /// The most errors, and separately the most warnings, rendered in full; the rest are
  /// counted in one note.
  public static let maximumShown = 100

  /// The rendering of the diagnostics in `log`, in stable order (the first `maximumShown`
  /// errors and warnings; a note counts the rest), followed by a summary line when there are
  /// errors or warnings.
  public func render(_ log: DiagnosticLog) -> String {
    var out = ""
    var shownErrors = 0
    var shownWarnings = 0
    for d in log.sorted {
      switch d.severity {
      case .error:
        if shownErrors == Self.maximumShown { continue }
        shownErrors += 1
      case .warning:
        if shownWarnings == Self.maximumShown { continue }
        shownWarnings += 1
      case .note: break
      }
      out += render(d)
    }
    let warnings = log.warningCount
    let hidden = [
      (log.errorCount - shownErrors, "error"), (warnings - shownWarnings, "warning"),
    ].filter { $0.0 > 0 }.map { plural($0.0, "more " + $0.1) }
    if !hidden.isEmpty {
      out += paint("note:", bold: true, color: 36) + " \(hidden.joined(separator: " and ")) not shown\n"
    }
    if log.errorCount > 0 || warnings > 0 {
      var parts: [String] = []
      if log.errorCount > 0 { parts.append(plural(log.errorCount, "error")) }
      if warnings > 0 { parts.append(plural(warnings, "warning")) }
      out += parts.joined(separator: " and ") + " generated.\n"
    }
    return out
  }

  /// The rendering of one diagnostic with its notes.
  public func render(_ d: Diagnostic) -> String {
    var out = header(d.range, d.severity, d.message, id: d.id)
    out += excerpt(d.range, d.severity)
    for n in d.notes {
      if let r = n.range {
        out += header(r, .note, n.message, id: nil)
        out += excerpt(r, .note)
      } else {
        out += paint("note:", bold: true, color: 36) + " " + n.message + "\n"
      }
    }
    return out
  }

  /// `file:line:col: severity: message [id]`.
  private func header(_ r: SourceRange, _ s: Severity, _ msg: String, id: DiagnosticID?) -> String
  {
    let (l, c) = r.lineAndColumn
    let tag = showsIDs && id != nil ? " [\(id!.name)]" : ""
    let sev = paint("\(s):", bold: true, color: s == .error ? 31 : s == .warning ? 35 : 36)
    return paint("\(r.file.name):\(l):\(c):", bold: true, color: nil) + " \(sev) \(msg)\(tag)\n"
  }

  /// The longest source line shown whole; longer lines show `excerptWindow` bytes around
  /// the range's start, with `...` where they are cut.
  public static let maximumLineBytes = 512

  /// The bytes of a long line shown around the range's start.
  public static let excerptWindow = 256

  /// The source line of `r` with a gutter and an underline of the range on that line.
  private func excerpt(_ r: SourceRange, _ s: Severity) -> String {
    let (line, col) = r.lineAndColumn
    let bytes = r.file.lineBytes(line)
    let gutter = String(line)
    let pad = String(repeating: " ", count: gutter.count)
    let lineStart = r.file.lineStarts[line - 1]
    let lineEnd = lineStart + bytes.count
    let (shownStart, shownEnd) = shownBytes(of: r.file, lineStart, lineEnd, around: r.start)
    let cutBefore = shownStart > lineStart ? "..." : ""
    let cutAfter = shownEnd < lineEnd ? "..." : ""
    let text = cutBefore + String(decoding: r.file.bytes[shownStart..<shownEnd], as: UTF8.self) + cutAfter
    let endOnLine = min(max(r.end, r.start + 1), max(shownEnd, r.start + 1))
    // Columns are counted in characters for display so that multi-byte text lines up.
    let before =
      cutBefore.count
      + displayWidth(r.file.bytes[shownStart..<max(shownStart, min(lineStart + col - 1, shownEnd))])
    let width = max(
      1, displayWidth(r.file.bytes[min(r.start, shownEnd)..<min(endOnLine, shownEnd)]),
      endOnLine - r.start > 0 && r.start >= shownEnd ? 1 : 0)
    let marker = "^" + String(repeating: "~", count: max(0, width - 1))
    var out = "\(pad) |\n"
    out += "\(gutter) | \(sanitize(text))\n"
    out += "\(pad) | " + String(repeating: " ", count: before)
    out += paint(marker, bold: true, color: s == .error ? 31 : s == .warning ? 35 : 32) + "\n"
    return out
  }

  /// The byte range of the line `lineStart..<lineEnd` to show for a range starting at
  /// `offset`: the whole line, or a window around `offset` cut at UTF-8 character boundaries.
  private func shownBytes(of file: SourceFile, _ lineStart: Int, _ lineEnd: Int, around offset: Int)
    -> (Int, Int)
  {
    guard lineEnd - lineStart > Self.maximumLineBytes else { return (lineStart, lineEnd) }
    func isContinuation(_ i: Int) -> Bool { file.bytes[i] & 0xC0 == 0x80 }
    var start = max(lineStart, min(offset, lineEnd) - Self.excerptWindow / 2)
    while start < lineEnd && start > lineStart && isContinuation(start) { start += 1 }
    var end = min(lineEnd, start + Self.excerptWindow)
    while end < lineEnd && end > start && isContinuation(end) { end -= 1 }
    return (start, end)
  }

  /// The number of characters that `bytes` display as.
  private func displayWidth(_ bytes: ArraySlice<UInt8>) -> Int {
    String(decoding: bytes, as: UTF8.self).count
  }

  /// `text` with control characters (other than tab) shown as `?` so they cannot move the
  /// cursor or inject escape sequences.
  private func sanitize(_ text: String) -> String {
    String(
      text.unicodeScalars.map { s -> Character in
        if s == "\t" { return " " }
        return s.value < 0x20 || s.value == 0x7f ? "?" : Character(s)
      })
  }

  /// `text` wrapped in ANSI codes when colour is on.
  private func paint(_ text: String, bold: Bool, color: Int?) -> String {
    guard colored else { return text }
    var codes: [String] = []
    if bold { codes.append("1") }
    if let c = color { codes.append(String(c)) }
    return "\u{1B}[\(codes.joined(separator: ";"))m\(text)\u{1B}[0m"
  }

  /// `n thing` or `n things`.
  private func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }
}
