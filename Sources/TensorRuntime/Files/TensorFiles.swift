#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Thin path-based helpers over the byte-level `NPY`, `NPZ` and `SafeTensors` APIs.
///
/// These are the only functions in the module that touch the file system.
public enum TensorFiles {

  /// Reads a whole file into memory.
  ///
  /// - Throws: `TensorFileError.io` naming `path` if it cannot be opened or read.
  public static func readBytes(at path: String) throws(TensorFileError) -> [UInt8] {
    guard let handle = fopen(path, "rb") else {
      throw .io(file: path, detail: "cannot open for reading (errno \(errno))")
    }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
      if got > 0 { bytes += chunk[0..<got] }
      if got < chunk.count {
        if ferror(handle) != 0 { throw .io(file: path, detail: "read failed (errno \(errno))") }
        return bytes
      }
    }
  }

  /// Writes `bytes` to `path` atomically, replacing any regular file there (`AtomicFile`).
  ///
  /// - Throws: `TensorFileError.io` naming `path` on failure; the old file is then intact.
  public static func writeBytes(_ bytes: [UInt8], to path: String) throws(TensorFileError) {
    try AtomicFile.write(bytes, to: path)
  }

  /// Reads a `.npy` file; errors name `path`.
  public static func readNPY(at path: String) throws(TensorFileError) -> (tensor: Tensor, warnings: [String]) {
    try NPY.read(readBytes(at: path), fileName: path)
  }

  /// Writes a tensor as a `.npy` file.
  public static func writeNPY(_ tensor: Tensor, to path: String) throws(TensorFileError) {
    try writeBytes(NPY.write(tensor), to: path)
  }

  /// Reads every array of a `.npz` file, at most `maximumBytes` uncompressed; errors name
  /// `path`.
  public static func readNPZ(at path: String, maximumBytes: Int = Int.max) throws(TensorFileError) -> [NPZEntry] {
    try NPZ.read(readBytes(at: path), fileName: path, maximumBytes: maximumBytes)
  }

  /// Reads the arrays of a `.npy` file (one, named after the file) or of a `.npz` archive
  /// (every member, at most `maximumBytes` uncompressed), told apart by their first bytes.
  public static func readArrays(at path: String, maximumBytes: Int = Int.max)
    throws(TensorFileError) -> (arrays: [NPZEntry], isArchive: Bool)
  {
    let bytes = try readBytes(at: path)
    if ZipDirectory.isArchive(bytes) {
      return (try NPZ.read(bytes, fileName: path, maximumBytes: maximumBytes), true)
    }
    let (tensor, warnings) = try NPY.read(bytes, fileName: path)
    let base = path.split(separator: "/").last.map(String.init) ?? path
    let name = base.hasSuffix(".npy") ? String(base.dropLast(4)) : base
    return ([NPZEntry(name: name, tensor: tensor, warnings: warnings)], false)
  }

  /// Reads a file of named tensors, a safetensors file or a `.npz` archive (told apart by
  /// their first bytes, not the file name), at most `maximumBytes` of `.npz` arrays.
  public static func readNamedTensors(at path: String, maximumBytes: Int = Int.max)
    throws(TensorFileError) -> SafeTensorsFile
  {
    let bytes = try readBytes(at: path)
    guard ZipDirectory.isArchive(bytes) else {
      return try SafeTensors.read(bytes, fileName: path)
    }
    let entries = try NPZ.read(bytes, fileName: path, maximumBytes: maximumBytes)
    return SafeTensorsFile(
      tensors: entries.map { ($0.name, $0.tensor) }, metadata: [], warnings: entries.flatMap(\.warnings))
  }

  /// Reads a safetensors file; errors name `path`.
  public static func readSafeTensors(at path: String) throws(TensorFileError) -> SafeTensorsFile {
    try SafeTensors.read(readBytes(at: path), fileName: path)
  }

  /// Writes named tensors as a safetensors file.
  public static func writeSafeTensors(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [(key: String, value: String)] = [],
    to path: String
  ) throws(TensorFileError) {
    try writeBytes(SafeTensors.write(tensors, metadata: metadata, fileName: path), to: path)
  }

}
