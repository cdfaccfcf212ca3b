/// A failure to compile, load or call generated code: an environment error, never a crash.
public enum NativeError: Error, Sendable, CustomStringConvertible {

  /// The compiler could not be started.
  case compilerNotFound(compiler: String, sourcePath: String)

  /// The compiler ran and failed.
  case compilerFailed(compiler: String, status: Int32, stderr: String, sourcePath: String)

  /// `dlopen` or `dlsym` failed.
  case loadFailed(path: String, message: String)

  /// A file or directory could not be written.
  case io(String)

  /// Memory for an input, parameter or output copy could not be allocated.
  case outOfMemory(bytes: Int)

  /// The generated function reported a failure (1: index out of range, 2: out of memory).
  case callFailed(status: Int32)

  /// A sentence for `Error:`.
  public var description: String {
    switch self {
    case .compilerNotFound(let cc, let source):
      return "cannot run the C compiler '\(cc)' (set CC to a C compiler); the C source is kept at \(source)"
    case .compilerFailed(let cc, let status, let stderr, let source):
      let text = stderr.isEmpty ? "" : ":\n" + stderr.split(separator: "\n", omittingEmptySubsequences: false)
        .prefix(40).joined(separator: "\n")
      return "the C compiler '\(cc)' failed with exit status \(status); the C source is kept at \(source)\(text)"
    case .loadFailed(let path, let message):
      return "cannot load \(path): \(message)"
    case .io(let message):
      return message
    case .outOfMemory(let bytes):
      return "out of memory: the system refused \(bytes) bytes for the native call's buffers"
    case .callFailed(let status):
      return status == 1
        ? "an index is out of range in a gather (native code)"
        : "native code failed with status \(status) (out of memory?)"
    }
  }
}
