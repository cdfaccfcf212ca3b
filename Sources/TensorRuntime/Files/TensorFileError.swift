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

  /// The one-line message `<file>: <problem>`, with control characters (which may come
  /// from the file: a dtype, a tensor name) shown as escapes so they cannot garble the terminal.
  public var description: String { rawDescription.escapingControlCharacters() }

  /// The message as built, before escaping.
  var rawDescription: String {
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

extension String {

  /// The text with C0 and C1 control characters and DEL (except those in `kept`) shown as
  /// `\u{…}` escapes: for echoing bytes that came from a file without garbling a terminal.
  public func escapingControlCharacters(keeping kept: Set<Unicode.Scalar> = []) -> String {
    var out = ""
    for scalar in unicodeScalars {
      if (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)) && !kept.contains(scalar) {
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
