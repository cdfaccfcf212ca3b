extension Subcommand {

  /// The help text in argument-parser's layout: OVERVIEW, the discussion, USAGE, ARGUMENTS,
  /// OPTIONS (each listed option, then `-h, --help`) and the footer.
  var helpText: String {
    var text = "OVERVIEW: \(overview)\n\n"
    if let discussion { text += discussion + "\n\n" }
    text += "USAGE: \(usage)\n\n"
    if !arguments.isEmpty {
      text += "ARGUMENTS:\n" + arguments.map { HelpLayout.line($0.label, $0.help) }.joined() + "\n"
    }
    text += "OPTIONS:\n"
    for option in options where option.isListed { text += HelpLayout.line(option.label, option.help) }
    text += HelpLayout.line("-h, --help", "Show help information.")
    if let footer { text += "\n" + footer + "\n" }
    return text
  }
}

/// The two-column layout of help lines.
enum HelpLayout {

  /// The column where descriptions start.
  static let descriptionColumn = 26

  /// `  label` padded to the description column (at least two spaces), then `help`, its
  /// further lines indented to the column.
  static func line(_ label: String, _ help: String) -> String {
    let head = "  " + label
    let pad = String(repeating: " ", count: max(2, descriptionColumn - head.count))
    let indent = "\n" + String(repeating: " ", count: descriptionColumn)
    return head + pad + help.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: indent) + "\n"
  }
}
