/// One array of an `.npz` archive.
public struct NPZEntry: Sendable, Equatable {

  /// The array name (the member name without `.npy`).
  public var name: String

  /// The decoded array.
  public var tensor: Tensor

  /// Narrowing warnings from the `.npy` reader.
  public var warnings: [String]

}

/// Reading NumPy `.npz` archives (ZIP files of `.npy` members, as written by `np.savez`).
///
/// Stored (uncompressed) members are supported, including NumPy's forced Zip64 local
/// headers. DEFLATE members (`np.savez_compressed`) are reported as unsupported compression.
public enum NPZ {

  /// Decodes every member of an `.npz` archive, in central-directory order.
  ///
  /// - Throws: `TensorFileError` naming `fileName` (and the member, as `file.npz/name.npy`)
  ///   for a missing end-of-directory record, a truncated or inconsistent directory, an
  ///   unsupported compression method, a CRC mismatch, or any `.npy` problem. Never traps.
  public static func read(
    _ bytes: [UInt8], fileName: String = "<npz>"
  ) throws(TensorFileError) -> [NPZEntry] {
    var result: [NPZEntry] = []
    for member in try ZipDirectory.members(of: bytes, fileName: fileName) {
      let memberName = "\(fileName)/\(member.name)"
      guard member.method == 0 else {
        let method = member.method == 8 ? "DEFLATE" : "method \(member.method)"
        throw .unsupported(
          file: memberName, detail: "\(method) compression (only stored members are read)")
      }
      let data = Array(bytes[member.dataStart..<(member.dataStart + member.compressedSize)])
      guard CRC32.checksum(data) == member.crc else {
        throw .invalidTensor(file: memberName, detail: "CRC-32 mismatch")
      }
      let (tensor, warnings) = try NPY.read(data, fileName: memberName)
      let name = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
      result.append(NPZEntry(name: name, tensor: tensor, warnings: warnings))
    }
    return result
  }

}

/// The IEEE CRC-32 used by ZIP.
enum CRC32 {

  /// The 256-entry lookup table for the reflected polynomial 0xEDB88320.
  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// Returns the CRC-32 of `bytes`.
  static func checksum(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }

}
