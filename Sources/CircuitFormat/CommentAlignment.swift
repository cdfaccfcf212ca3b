/// Places comments: a comment alone on its line at the line's indentation, and the trailing
/// comments of one group (a top-level item) in one column.
///
/// The column is one past the longest commented code line of the group, or the leftmost
/// column the source gave them when that is further right (hand alignment is kept). A
/// line whose code reaches past `widestAligned` is not aligned: its comment follows one space.
enum CommentAlignment {

  /// Code lines longer than this keep their trailing comment one space after the code.
  static let widestAligned = 90

  /// A line before comment placement.
  struct Piece {
    /// The indented code ("" for a comment-only or blank line).
    var code: String
    /// The indentation of a comment alone on the line.
    var commentIndent: String
    /// The comment, if any.
    var comment: String?
    /// The comment's column in the source.
    var originalCommentColumn: Int
    /// The alignment group (a top-level item).
    var group: Int
  }

  /// The final text of each line.
  static func place(_ pieces: [Piece]) -> [String] {
    var columns: [Int: Int] = [:]
    var groups: [Int: [Piece]] = [:]
    for piece in pieces where piece.comment != nil && !piece.code.isEmpty && !isOutlier(piece) {
      groups[piece.group, default: []].append(piece)
    }
    for (group, members) in groups {
      let needed = members.map { $0.code.count + 1 }.max() ?? 0
      columns[group] = max(needed, members.map(\.originalCommentColumn).min() ?? 0)
    }
    return pieces.map { piece in
      guard let comment = piece.comment else { return piece.code }
      if piece.code.isEmpty { return piece.commentIndent + comment }
      let column = isOutlier(piece) ? 0 : columns[piece.group] ?? 0
      let gap = max(1, column - piece.code.count)
      return piece.code + String(repeating: " ", count: gap) + comment
    }
  }

  /// Whether the piece's code is too long to align its comment with the others.
  static func isOutlier(_ piece: Piece) -> Bool { piece.code.count + 1 > widestAligned }
}
