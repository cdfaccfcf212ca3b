/// A half-open range of bytes in a source file.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {

  /// The file the range is in.
  public let file: SourceFile

  /// The first byte of the range.
  public let start: Int

  /// One past the last byte of the range.
  public let end: Int

  /// Creates the range `start..<end` of `file`.
  public init(_ file: SourceFile, _ start: Int, _ end: Int) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// The empty range at `offset`.
  public static func point(_ file: SourceFile, _ offset: Int) -> SourceRange {
    SourceRange(file, offset, offset)
  }

  /// The smallest range covering `self` and `other` (which must be in the same file).
  public func extended(toCover other: SourceRange) -> SourceRange {
    guard other.file == file else { return self }
    return SourceRange(file, min(start, other.start), max(end, other.end))
  }

  /// The 1-based line and column of the range's start.
  public var lineAndColumn: (line: Int, column: Int) { file.lineAndColumn(of: start) }

  /// `file:line:col`.
  public var description: String {
    let (l, c) = lineAndColumn
    return "\(file.name):\(l):\(c)"
  }
}
