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

  /// Reads a `.npy` file; errors name `path`.
  public static func readNPY(at path: String) throws(TensorFileError) -> (tensor: Tensor, warnings: [String]) {
    try NPY.read(readBytes(at: path), fileName: path)
  }

  /// Writes a tensor as a `.npy` file.
  public static func writeNPY(_ tensor: Tensor, to path: String) throws(TensorFileError) {
    try writeBytes(NPY.write(tensor), to: path)
  }

  /// Reads every array of a `.npz` file; errors name `path`.
  public static func readNPZ(at path: String) throws(TensorFileError) -> [NPZEntry] {
    try NPZ.read(readBytes(at: path), fileName: path)
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
