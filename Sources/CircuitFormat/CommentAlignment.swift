/// Places comments: a comment alone on its line at the line's indentation, and the trailing
/// comments of a run of consecutive lines that have one (within one top-level item) in one
/// column, as gofmt does.
///
/// The column is one past the longest code line of the run, or the leftmost column the
/// source gave the run's comments when that is further right (hand alignment, also across
/// runs, is kept). A line whose code reaches past `widestAligned` is not aligned: its comment
/// follows one space.
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
    /// The top-level item the line belongs to (runs do not cross items).
    var group: Int
  }

  /// The final text of each line.
  static func place(_ pieces: [Piece]) -> [String] {
    var columns = [Int](repeating: 0, count: pieces.count)
    var run: [Int] = []
    /// Gives the run's lines their column and starts a new run.
    func close() {
      let members = run.filter { !isOutlier(pieces[$0]) }
      let needed = members.map { pieces[$0].code.count + 1 }.max() ?? 0
      let column = max(needed, members.map { pieces[$0].originalCommentColumn }.min() ?? 0)
      for k in members { columns[k] = column }
      run = []
    }
    for (k, piece) in pieces.enumerated() {
      let trailing = piece.comment != nil && !piece.code.isEmpty
      if let last = run.last, !trailing || pieces[last].group != piece.group { close() }
      if trailing { run.append(k) }
    }
    close()
    return pieces.enumerated().map { k, piece in
      guard let comment = piece.comment else { return piece.code }
      if piece.code.isEmpty { return piece.commentIndent + comment }
      let gap = max(1, columns[k] - piece.code.count)
      return piece.code + String(repeating: " ", count: gap) + comment
    }
  }

  /// Whether the piece's code is too long to align its comment with the others.
  static func isOutlier(_ piece: Piece) -> Bool { piece.code.count + 1 > widestAligned }
}
