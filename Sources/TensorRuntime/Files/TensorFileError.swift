/// A problem reading or writing a tensor file (`.npy`, `.npz`, safetensors).
///
/// Every case names the file, and `description` is one line: `<file>: <problem>`.
public enum TensorFileError: Error, Sendable, Equatable, CustomStringConvertible {

  /// The file ends before a required part.
  case truncated(file: String, detail: String)

  /// The file does not start with the format's magic bytes.
  case wrongMagic(file: String, format: String)

  /// The header (npy dict, zip directory, safetensors JSON) is malformed.
  case malformedHeader(file: String, detail: String)

  /// A well-formed file uses a feature this reader does not support.
  case unsupported(file: String, detail: String)

  /// A tensor entry is inconsistent (shape, dtype, offsets, values).
  case invalidTensor(file: String, detail: String)

  /// The operating system refused to read or write the file.
  case io(file: String, detail: String)

  /// The file the error is about.
  public var file: String {
    switch self {
    case .truncated(let file, _), .wrongMagic(let file, _), .malformedHeader(let file, _),
      .unsupported(let file, _), .invalidTensor(let file, _), .io(let file, _):
      return file
    }
  }

  /// The one-line message `<file>: <problem>`.
  public var description: String {
    switch self {
    case .truncated(let file, let detail): return "\(file): truncated file: \(detail)"
    case .wrongMagic(let file, let format): return "\(file): not a \(format) file (wrong magic bytes)"
    case .malformedHeader(let file, let detail): return "\(file): malformed header: \(detail)"
    case .unsupported(let file, let detail): return "\(file): unsupported: \(detail)"
    case .invalidTensor(let file, let detail): return "\(file): \(detail)"
    case .io(let file, let detail): return "\(file): \(detail)"
    }
  }

}
