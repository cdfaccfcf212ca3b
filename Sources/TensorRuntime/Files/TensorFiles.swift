#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin path-based helpers over the byte-level `NPY`, `NPZ` and `SafeTensors` APIs.
///
/// These are the only functions in the module that touch the file system.
public enum TensorFiles {

  /// Reads a whole regular file into memory: exactly the size `fstat` reports, never more.
  ///
  /// A device, FIFO or directory (`/dev/zero`, a pipe) has no declared size and is refused
  /// before anything is read, as is a file larger than `limit` bytes; a file that changes
  /// size while it is read is an error.
  /// - Throws: `TensorFileError.io` naming `path` if it cannot be opened, read or allocated;
  ///   `.unsupported` if it is not a regular file or exceeds `limit`.
  public static func readBytes(at path: String, limit: Int = Int.max) throws(TensorFileError) -> [UInt8] {
    guard let handle = fopen(path, "rb") else {
      throw .io(file: path, detail: "cannot open for reading (errno \(errno))")
    }
    defer { fclose(handle) }
    var status = stat()
    guard fstat(fileno(handle), &status) == 0 else {
      throw .io(file: path, detail: "cannot read its size (errno \(errno))")
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      throw .unsupported(
        file: path, detail: "not a regular file (a device, pipe or directory has no size to read up to)")
    }
    let size = Int(status.st_size)
    guard size <= limit else {
      throw .unsupported(file: path, detail: "the file has \(size) bytes, more than the \(limit) bytes of memory allowed")
    }
    do throws(TensorError) {
      try Allocation.reserve(count: size + 1, of: .bool, for: "the contents of \(path)")
    } catch {
      throw .io(file: path, detail: "\(error)")
    }
    // One byte more than declared detects a file that grew since `fstat`.
    var bytes = [UInt8](repeating: 0, count: size + 1)
    let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
    if ferror(handle) != 0 { throw .io(file: path, detail: "read failed (errno \(errno))") }
    guard got == size else {
      throw .io(file: path, detail: "the file changed size while it was read (\(size) bytes declared, \(got) read)")
    }
    bytes.removeLast()
    return bytes
  }

  /// Writes `bytes` to `path`, replacing any existing file.
  ///
  /// - Throws: `TensorFileError.io` naming `path` on failure.
  public static func writeBytes(_ bytes: [UInt8], to path: String) throws(TensorFileError) {
    guard let handle = fopen(path, "wb") else {
      throw .io(file: path, detail: "cannot open for writing (errno \(errno))")
    }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    let closed = fclose(handle)
    guard written == bytes.count, closed == 0 else {
      throw .io(file: path, detail: "write failed (errno \(errno))")
    }
  }

  /// Reads a `.npy` file of at most `limit` bytes; errors name `path`.
  public static func readNPY(
    at path: String, limit: Int = Int.max
  ) throws(TensorFileError) -> (tensor: Tensor, warnings: [String]) {
    try NPY.read(readBytes(at: path, limit: limit), fileName: path)
  }

  /// Writes a tensor as a `.npy` file.
  public static func writeNPY(_ tensor: Tensor, to path: String) throws(TensorFileError) {
    try writeBytes(NPY.write(tensor), to: path)
  }

  /// Reads every array of a `.npz` file; errors name `path`.
  public static func readNPZ(at path: String) throws(TensorFileError) -> [NPZEntry] {
    try NPZ.read(readBytes(at: path), fileName: path)
  }

  /// Reads a safetensors file of at most `limit` bytes; errors name `path`.
  public static func readSafeTensors(
    at path: String, limit: Int = Int.max
  ) throws(TensorFileError) -> SafeTensorsFile {
    try SafeTensors.read(readBytes(at: path, limit: limit), fileName: path)
  }

  /// Writes named tensors as a safetensors file.
  public static func writeSafeTensors(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [(key: String, value: String)] = [],
    to path: String
  ) throws(TensorFileError) {
    try writeBytes(SafeTensors.write(tensors, metadata: metadata, fileName: path), to: path)
  }

}
