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

  /// Writes `bytes` to `path` atomically, replacing any regular file there (`AtomicFile`).
  ///
  /// - Throws: `TensorFileError.io` naming `path` on failure; the old file is then intact.
  public static func writeBytes(_ bytes: [UInt8], to path: String) throws(TensorFileError) {
    try AtomicFile.write(bytes, to: path)
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

  /// Reads every array of a `.npz` file; the file and its arrays uncompressed each take at
  /// most `limit` bytes. Errors name `path`.
  public static func readNPZ(at path: String, limit: Int = Int.max) throws(TensorFileError) -> [NPZEntry] {
    try NPZ.read(readBytes(at: path, limit: limit), fileName: path, maximumBytes: limit)
  }

  /// Reads the arrays of a `.npy` file (one, named after the file) or of a `.npz` archive
  /// (every member), told apart by their first bytes; the file and the arrays uncompressed
  /// each take at most `limit` bytes.
  public static func readArrays(at path: String, limit: Int = Int.max)
    throws(TensorFileError) -> (arrays: [NPZEntry], isArchive: Bool)
  {
    let bytes = try readBytes(at: path, limit: limit)
    if ZipDirectory.isArchive(bytes) {
      return (try NPZ.read(bytes, fileName: path, maximumBytes: limit), true)
    }
    let (tensor, warnings) = try NPY.read(bytes, fileName: path)
    let base = path.split(separator: "/").last.map(String.init) ?? path
    let name = base.hasSuffix(".npy") ? String(base.dropLast(4)) : base
    return ([NPZEntry(name: name, tensor: tensor, warnings: warnings)], false)
  }

  /// Reads a file of named tensors, a safetensors file or a `.npz` archive (told apart by
  /// their first bytes, not the file name); the file and the arrays of an archive
  /// uncompressed each take at most `limit` bytes.
  public static func readNamedTensors(at path: String, limit: Int = Int.max)
    throws(TensorFileError) -> SafeTensorsFile
  {
    let bytes = try readBytes(at: path, limit: limit)
    guard ZipDirectory.isArchive(bytes) else {
      return try SafeTensors.read(bytes, fileName: path)
    }
    let entries = try NPZ.read(bytes, fileName: path, maximumBytes: limit)
    return SafeTensorsFile(
      tensors: entries.map { ($0.name, $0.tensor) }, metadata: [], warnings: entries.flatMap(\.warnings))
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
