import Testing

@testable import TensorRuntime

/// `.npz` archives written by `np.savez_compressed` (DEFLATE members), valid and broken.
@Suite struct NPZTests {

  /// The compressed archive fixture.
  let archive: [UInt8]

  /// Loads the compressed archive fixture.
  init() throws { archive = try Fixtures.bytes("deflate_arrays.npz") }

  /// Every member decodes to NumPy's exact arrays, in order, with the usual narrowing warnings.
  @Test func readsCompressedArchive() throws {
    let entries = try NPZ.read(archive, fileName: "c.npz")
    #expect(entries.map(\.name) == ["mask", "big", "noise", "counts", "f64", "bytes", "empty"])
    let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })
    let mask = try #require(byName["mask"]).tensor
    #expect(mask.shape == [5, 8] && mask.bools == (0..<40).map { $0 % 3 == 0 })
    let big = try #require(byName["big"]).tensor
    #expect(big.shape == [4, 3000] && big.floats == (0..<12000).map { Float($0 % 3000) * 0.25 })
    #expect(try #require(byName["noise"]).tensor == (try Fixtures.tensor("deflate_noise")))
    let counts = try #require(byName["counts"])
    #expect(counts.tensor.shape == [2, 3] && counts.tensor.int32s == [-7, 0, .max, 5, 6, .min])
    #expect(counts.warnings == ["c.npz/counts.npy: int64 data was narrowed to int32"])
    let f64 = try #require(byName["f64"])
    #expect(f64.tensor.floats == (0..<9).map { Float(Double($0) * 0.25 - 1) })
    #expect(f64.warnings == ["c.npz/f64.npy: float64 data was narrowed to float32"])
    #expect(try #require(byName["bytes"]).tensor.int32s == (0..<768).map { Int32($0 % 256) })
    #expect(try #require(byName["empty"]).tensor.shape == [0, 3])
  }

  /// A decompressed member is byte-for-byte the `.npy` file `np.save` writes.
  @Test func memberBytesMatchNumpy() throws {
    let members = try ZipDirectory.members(of: archive, fileName: "c.npz")
    let noise = try #require(members.first { $0.name == "noise.npy" })
    #expect(noise.method == 8 && noise.compressedSize < noise.uncompressedSize)
    let data = try NPZ.memberData(noise, of: archive, memberName: "c.npz/noise.npy")
    #expect(data == (try Fixtures.bytes("deflate_noise.npy")))
  }

  /// Broken members give one-line errors naming the archive and the member.
  @Test func malformedMembers() throws {
    /// The error message for reading `bytes` as `c.npz`.
    func message(_ bytes: [UInt8]) -> String? { fileErrorMessage { _ = try NPZ.read(bytes, fileName: "c.npz") } }
    let entry = try #require(centralEntries(archive).first)  // mask.npy: 75 bytes → 168
    #expect(field(archive, entry + 20) == 75 && field(archive, entry + 24) == 168)
    #expect(message(patching(archive, at: entry + 20, to: 40)) == "c.npz/mask.npy: truncated file: DEFLATE stream ends before its final block")
    #expect(message(patching(archive, at: entry + 16, to: field(archive, entry + 16) ^ 1)) == "c.npz/mask.npy: CRC-32 mismatch")
    #expect(message(patching(archive, at: entry + 24, to: 169)) == "c.npz/mask.npy: member has 168 bytes but the zip directory declares 169")
    #expect(message(patching(archive, at: entry + 24, to: 167)) == "c.npz/mask.npy: corrupt DEFLATE data: output exceeds the expected 167 bytes")
    #expect(message(patching(archive, at: entry + 10, to: 12, width: 2)) == "c.npz/mask.npy: unsupported: compression method 12 (only stored and DEFLATE members are read)")
    #expect(message(patching(archive, at: entry + 8, to: 1, width: 2)) == "c.npz/mask.npy: unsupported: encrypted zip member")
    // Flipped bits in the dynamic-Huffman header of 'big'.
    let big = try #require(try ZipDirectory.members(of: archive, fileName: "c.npz").first { $0.name == "big.npy" })
    #expect(archive[big.dataStart] & 0b110 == 0b100, "big.npy starts with a dynamic block")
    for (bit, expected) in headerFlips {
      var flipped = archive
      flipped[big.dataStart + bit / 8] ^= 1 << UInt8(bit % 8)
      #expect(message(flipped) == "c.npz/big.npy: \(expected)", "bit \(bit)")
    }
  }

  /// Single-bit flips in the first header bits of 'big.npy' and the error each gives:
  /// BFINAL, BTYPE, HLIT, HDIST, HCLEN, the code-length code, and the literal/length lengths.
  let headerFlips: [(Int, String)] = [
    (0, "truncated file: DEFLATE stream ends before its final block"),
    (1, "corrupt DEFLATE data: invalid block type 3"),
    (2, "corrupt DEFLATE data: stored block length 60378 does not match its complement 50651"),
    (4, "corrupt DEFLATE data: 288 literal/length and 27 distance codes is too many"),
    (9, "corrupt DEFLATE data: code-length repeat runs past 311 lengths"),
    (10, "corrupt DEFLATE data: 286 literal/length and 31 distance codes is too many"),
    (13, "corrupt DEFLATE data: invalid code-length code lengths"),
    (40, "corrupt DEFLATE data: invalid code-length code lengths"),
    (71, "corrupt DEFLATE data: invalid literal/length or distance code lengths"),
    (72, "corrupt DEFLATE data: code-length repeat runs past 313 lengths"),
  ]

  /// Random byte flips of the archive either read every member with its size and CRC-32
  /// intact (so the original bytes) or throw a `TensorFileError`; none traps or hangs.
  ///
  /// Each round inflates and checks every member; the `.npy` parse (the slow part in debug
  /// builds, and not what is being fuzzed) runs only for rounds that pass those checks.
  @Test func fuzzCompressedArchive() throws {
    let original = try NPZ.read(archive, fileName: "c.npz").map(\.tensor)
    let members = try ZipDirectory.members(of: archive, fileName: "c.npz")
    let originalData = try members.map { member throws(TensorFileError) in
      try NPZ.memberData(member, of: archive, memberName: member.name)
    }
    var random = SplitMix64(seed: 20_240_601)
    var failures = 0
    for round in 0..<500 {
      var bytes = archive
      // Half the flips land in compressed data, half anywhere in the file.
      let target = members[random.next(below: members.count)]
      let position = round % 2 == 0
        ? target.dataStart + random.next(below: target.compressedSize)
        : random.next(below: bytes.count)
      bytes[position] ^= UInt8(1 + random.next(below: 255))
      do throws(TensorFileError) {
        let found = try ZipDirectory.members(of: bytes, fileName: "c.npz")
        let data = try found.map { member throws(TensorFileError) in
          try NPZ.memberData(member, of: bytes, memberName: member.name)
        }
        #expect(data == originalData, "round \(round): flip at \(position) passed the CRC with other data")
        #expect(try NPZ.read(bytes, fileName: "c.npz").map(\.tensor) == original, "round \(round)")
      } catch {
        failures += 1
      }
    }
    #expect(failures > 250)
  }

  /// Byte offsets of the central-directory entries of `bytes`, in order.
  func centralEntries(_ bytes: [UInt8]) -> [Int] {
    (0..<(bytes.count - 4)).filter { bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4B && bytes[$0 + 2] == 1 && bytes[$0 + 3] == 2 }
  }

  /// The little-endian field of `width` bytes at `offset`.
  func field(_ bytes: [UInt8], _ offset: Int, width: Int = 4) -> Int {
    Int(ByteCoding.unsigned(bytes, at: offset, width: width))
  }

  /// Returns `bytes` with the `width`-byte little-endian field at `offset` set to `value`.
  func patching(_ bytes: [UInt8], at offset: Int, to value: Int, width: Int = 4) -> [UInt8] {
    var result = bytes
    for i in 0..<width { result[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    return result
  }

}
