/// One array of an `.npz` archive.
public struct NPZEntry: Sendable, Equatable {

  /// The array name (the member name without `.npy`).
  public var name: String

  /// The decoded array.
  public var tensor: Tensor

  /// Narrowing warnings from the `.npy` reader.
  public var warnings: [String]

  /// An array with its name.
  public init(name: String, tensor: Tensor, warnings: [String] = []) {
    self.name = name
    self.tensor = tensor
    self.warnings = warnings
  }

}

/// Reading NumPy `.npz` archives (ZIP files of `.npy` members, as written by `np.savez`
/// and `np.savez_compressed`).
///
/// Stored (method 0) and DEFLATE (method 8) members are supported, including NumPy's forced
/// Zip64 local headers. Every member's size and CRC-32 are checked against the directory.
public enum NPZ {

  /// Decodes every member of an `.npz` archive, in central-directory order.
  ///
  /// - Throws: `TensorFileError` naming `fileName` (and the member, as `file.npz/name.npy`)
  ///   for a missing end-of-directory record, a truncated or inconsistent directory, an
  ///   unsupported compression method or encryption, corrupt or truncated DEFLATE data, a
  ///   size or CRC mismatch, or any `.npy` problem. Never traps.
  ///
  /// `maximumBytes` bounds the members' uncompressed sizes added up, as the directory
  /// declares them; an archive over it is refused before anything is decompressed (a small
  /// archive can declare gigabytes of zeros).
  public static func read(
    _ bytes: [UInt8], fileName: String = "<npz>", maximumBytes: Int = Int.max
  ) throws(TensorFileError) -> [NPZEntry] {
    var result: [NPZEntry] = []
    let members = try ZipDirectory.members(of: bytes, fileName: fileName)
    var total = 0
    for member in members {
      let (sum, overflow) = total.addingReportingOverflow(member.uncompressedSize)
      guard !overflow, sum <= maximumBytes else {
        throw .unsupported(
          file: fileName,
          detail: "its arrays take more than \(maximumBytes) bytes uncompressed (the limit for one file)")
      }
      total = sum
    }
    for member in members {
      let memberName = "\(fileName)/\(member.name)"
      let data = try memberData(member, of: bytes, memberName: memberName)
      let (tensor, warnings) = try NPY.read(data, fileName: memberName)
      let name = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
      result.append(NPZEntry(name: name, tensor: tensor, warnings: warnings))
    }
    return result
  }

  /// Returns the uncompressed bytes of `member`, checked against its declared size and CRC-32.
  static func memberData(
    _ member: ZipDirectory.Member, of bytes: [UInt8], memberName: String
  ) throws(TensorFileError) -> [UInt8] {
    guard member.flags & 1 == 0 else {
      throw .unsupported(file: memberName, detail: "encrypted zip member")
    }
    let raw = bytes[member.dataStart..<(member.dataStart + member.compressedSize)]
    let data: [UInt8]
    switch member.method {
    case 0:
      data = Array(raw)
    case 8:
      guard member.uncompressedSize <= Inflate.maximumOutputSize else {
        throw .unsupported(
          file: memberName,
          detail: "member size \(member.uncompressedSize) exceeds the \(Inflate.maximumOutputSize)-byte limit")
      }
      data = try Inflate.decompress(
        Array(raw), limit: member.uncompressedSize, fileName: memberName)
    default:
      throw .unsupported(
        file: memberName, detail: "compression method \(member.method) (only stored and DEFLATE members are read)")
    }
    guard data.count == member.uncompressedSize else {
      throw .invalidTensor(
        file: memberName,
        detail: "member has \(data.count) bytes but the zip directory declares \(member.uncompressedSize)")
    }
    guard CRC32.checksum(data) == member.crc else {
      throw .invalidTensor(file: memberName, detail: "CRC-32 mismatch")
    }
    return data
  }

}
