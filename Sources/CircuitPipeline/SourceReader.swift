/// The file access a `Compilation` needs, injected by its caller so that the pipeline stays
/// pure: the driver passes one backed by the file system, tests and tools may pass one backed
/// by memory.
public struct SourceReader: Sendable {

  /// The failure to read a file: one line naming the file and the problem.
  public struct Failure: Error, CustomStringConvertible, Sendable {

    /// The line, e.g. `x.circuit: No such file or directory`.
    public let description: String

    /// Creates a failure with its line.
    public init(description: String) { self.description = description }
  }

  /// The bytes of the file at a path.
  public let read: @Sendable (String) throws(Failure) -> [UInt8]

  /// Whether a regular file exists at a path.
  public let isFile: @Sendable (String) -> Bool

  /// The directory that absolute paths are shown relative to (the working directory).
  public let currentDirectory: String

  /// Creates a reader from its three services.
  public init(
    currentDirectory: String, isFile: @escaping @Sendable (String) -> Bool,
    read: @escaping @Sendable (String) throws(Failure) -> [UInt8]
  ) {
    self.currentDirectory = currentDirectory
    self.isFile = isFile
    self.read = read
  }

  /// A reader of the given files only (path → text), for tests and editors.
  public static func inMemory(_ files: [String: String], currentDirectory: String = "/")
    -> SourceReader
  {
    SourceReader(currentDirectory: currentDirectory, isFile: { files[$0] != nil }) {
      path throws(Failure) in
      guard let text = files[path] else {
        throw Failure(description: "\(path): No such file or directory")
      }
      return Array(text.utf8)
    }
  }
}
