/// A minimal ZIP central-directory reader (with Zip64 sizes and offsets).
enum ZipDirectory {

  /// Whether `bytes` start like a ZIP archive: a local file header (`PK\u{3}\u{4}`) or, for
  /// an empty archive, the end-of-directory record (`PK\u{5}\u{6}`). Neither can begin a
  /// safetensors file, whose first 8 bytes are a header length of at most 100 MB (the first
  /// reads as 67 MB: a header of exactly that size is the one ambiguity, and is not written).
  static func isArchive(_ bytes: [UInt8]) -> Bool {
    bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
  }

  /// One member of the archive, with its data located.
  struct Member {

    /// The member's file name.
    let name: String

    /// The compression method (0 stored, 8 deflate).
    let method: Int

    /// The CRC-32 of the uncompressed data.
    let crc: UInt32

    /// Compressed size in bytes.
    let compressedSize: Int

    /// Uncompressed size in bytes, as declared by the directory.
    let uncompressedSize: Int

    /// The general-purpose flags (bit 0: encrypted).
    let flags: Int

    /// Offset of the member's data in the archive.
    let dataStart: Int

  }

  /// Lists the members of the archive `bytes`, validating every offset.
  static func members(of bytes: [UInt8], fileName: String) throws(TensorFileError) -> [Member] {
    /// Throws unless the `width` bytes at `offset` lie inside the archive.
    func require(_ offset: Int, _ width: Int, _ what: String) throws(TensorFileError) {
      guard offset >= 0, offset <= bytes.count, width <= bytes.count - offset else {
        throw .truncated(file: fileName, detail: "\(what) at byte \(offset) is past the end")
      }
    }
    /// Reads a `width`-byte (at most 8) little-endian field at `offset`, or throws if past the end.
    func read(_ offset: Int, _ width: Int, _ what: String) throws(TensorFileError) -> Int {
      try require(offset, width, what)
      let value = ByteCoding.unsigned(bytes, at: offset, width: width)
      // Zip64 fields are 8 bytes wide; anything near Int.max would overflow offset arithmetic.
      guard value < 1 << 48 else {
        throw .malformedHeader(file: fileName, detail: "\(what) \(value) at byte \(offset) is out of range")
      }
      return Int(value)
    }
    guard bytes.count >= 4 else {
      throw .truncated(file: fileName, detail: "\(bytes.count) bytes is too short for a zip archive")
    }
    guard bytes[0] == 0x50, bytes[1] == 0x4B else { throw .wrongMagic(file: fileName, format: ".npz (zip)") }
    var eocd = -1
    var position = bytes.count - 22
    while position >= max(0, bytes.count - 22 - 65_535) {
      if try read(position, 4, "end record") == 0x0605_4B50 {
        eocd = position
        break
      }
      position -= 1
    }
    guard eocd >= 0 else {
      throw .truncated(file: fileName, detail: "no zip end-of-central-directory record")
    }
    var count = try read(eocd + 10, 2, "entry count")
    var directory = try read(eocd + 16, 4, "directory offset")
    if (count == 0xFFFF || directory == 0xFFFF_FFFF) && eocd >= 20,
      try read(eocd - 20, 4, "zip64 locator") == 0x0706_4B50
    {
      let record = try read(eocd - 12, 8, "zip64 record offset")
      guard try read(record, 4, "zip64 record") == 0x0606_4B50 else {
        throw .malformedHeader(file: fileName, detail: "bad zip64 end-of-directory record")
      }
      count = try read(record + 32, 8, "zip64 entry count")
      directory = try read(record + 48, 8, "zip64 directory offset")
    }
    var members: [Member] = []
    var cursor = directory
    for _ in 0..<min(count, bytes.count / 46 + 1) {
      guard try read(cursor, 4, "directory entry") == 0x0201_4B50 else {
        throw .malformedHeader(file: fileName, detail: "bad central directory entry at byte \(cursor)")
      }
      let flags = try read(cursor + 8, 2, "flags")
      let method = try read(cursor + 10, 2, "method")
      let crc = UInt32(try read(cursor + 16, 4, "crc"))
      var compressed = try read(cursor + 20, 4, "size")
      var uncompressed = try read(cursor + 24, 4, "size")
      let nameLength = try read(cursor + 28, 2, "name length")
      let extraLength = try read(cursor + 30, 2, "extra length")
      let commentLength = try read(cursor + 32, 2, "comment length")
      var local = try read(cursor + 42, 4, "local header offset")
      try require(cursor + 46, nameLength, "name")
      let name = String(decoding: bytes[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
      // Zip64 extra field: values replace the 32-bit fields that are 0xFFFFFFFF, in order.
      var extra = cursor + 46 + nameLength
      let extraEnd = extra + extraLength
      while extra + 4 <= extraEnd {
        let tag = try read(extra, 2, "extra tag")
        let size = try read(extra + 2, 2, "extra size")
        if tag == 0x0001 {
          var field = extra + 4
          if uncompressed == 0xFFFF_FFFF { uncompressed = try read(field, 8, "zip64 size"); field += 8 }
          if compressed == 0xFFFF_FFFF { compressed = try read(field, 8, "zip64 size"); field += 8 }
          if local == 0xFFFF_FFFF { local = try read(field, 8, "zip64 offset") }
        }
        extra += 4 + size
      }
      guard try read(local, 4, "local header") == 0x0403_4B50 else {
        throw .malformedHeader(file: fileName, detail: "bad local header for member '\(name)'")
      }
      let start = local + 30 + (try read(local + 26, 2, "name length"))
        + (try read(local + 28, 2, "extra length"))
      guard start + compressed <= bytes.count, compressed >= 0 else {
        throw .truncated(file: fileName, detail: "member '\(name)' data runs past the end")
      }
      members.append(
        Member(
          name: name, method: method, crc: crc, compressedSize: compressed,
          uncompressedSize: uncompressed, flags: flags, dataStart: start))
      cursor = extraEnd + commentLength
    }
    return members
  }

}
