import Testing

@testable import TensorRuntime

/// `.npy` and `.npz` reading and writing, including every malformed-file case.
@Suite struct NPYTests {

  /// The writer produces NumPy's exact bytes for `arange(6).reshape(2, 3)` (header length 118).
  @Test func writerMatchesNumpyLayout() throws {
    let t = try Tensor(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5])
    let bytes = NPY.write(t)
    #expect(bytes.count == 152)
    #expect(Array(bytes[0..<10]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 0x76, 0])
    #expect(Array(bytes[128..<136]) == [0, 0, 0, 0, 0, 0, 0x80, 0x3F])
    for tensor in [t, Tensor(scalar: Int32(-3)), try Tensor(shape: [3], bools: [true, false, true])] {
      #expect(try NPY.read(NPY.write(tensor)).tensor == tensor)
    }
  }

  /// Every supported dtype reads correctly; f8 and i8 are narrowed with a warning.
  @Test func readsAllDtypes() throws {
    let f64 = try NPY.read(try Fixtures.bytes("file_f64.npy"), fileName: "f64.npy")
    #expect(f64.tensor.floats == [0, 0.25, 0.5, 0.75, 1, 1.25])
    #expect(f64.warnings == ["f64.npy: float64 data was narrowed to float32"])
    let i64 = try NPY.read(try Fixtures.bytes("file_i64.npy"))
    #expect(i64.tensor.int32s == [-3, 0, Int32.max] && i64.warnings.count == 1)
    #expect(try Fixtures.tensor("file_bool").bools == [true, false, false, true])
    #expect(try Fixtures.tensor("file_u8").int32s == [0, 7, 255])
    let scalar = try Fixtures.tensor("file_i32_scalar")
    #expect(scalar.shape == [] && scalar.int32s == [42])
    #expect(try Fixtures.tensor("file_f32_be").floats == [0, 1, 2, 3])
    #expect(try Fixtures.tensor("file_empty").shape == [0, 3])
  }

  /// Malformed `.npy` files give one-line errors naming the file and the problem.
  @Test func malformedNPY() throws {
    let good = NPY.write(try Tensor(shape: [2, 3], floats: [0, 1, 2, 3, 4, 5]))
    /// The error message for reading `bytes` as `x.npy`.
    func message(_ bytes: [UInt8]) -> String? { fileErrorMessage { _ = try NPY.read(bytes, fileName: "x.npy") } }
    #expect(message([]) == "x.npy: truncated file: 0 bytes is shorter than the 10-byte preamble")
    #expect(message(Array(good[0..<7])) == "x.npy: truncated file: 7 bytes is shorter than the 10-byte preamble")
    #expect(message([0x50, 0x4B, 3, 4] + good[4...]) == "x.npy: not a .npy file (wrong magic bytes)")
    #expect(message(Array(good[0..<140])) == "x.npy: truncated file: shape [2, 3] of '<f4' needs 24 data bytes but the file has 12")
    #expect(message(good + [0]) == "x.npy: shape [2, 3] of '<f4' needs 24 data bytes but the file has 25")
    var longHeader = good
    longHeader[8] = 0xFF
    longHeader[9] = 0xFF
    #expect(message(longHeader) == "x.npy: truncated file: header length 65535 runs past the end of the 152-byte file")
    var version = good
    version[6] = 9
    #expect(message(version) == "x.npy: unsupported: format version 9.0")
    #expect(message(replacing("'<f4'", with: "'<c8'", in: good)) == "x.npy: unsupported: dtype '<c8'")
    #expect(message(replacing("'<f4'", with: "'|O8'", in: good)) == "x.npy: unsupported: dtype '|O8'")
    #expect(message(replacing("'descr'", with: "'dtype'", in: good)) == "x.npy: malformed header: missing key 'descr'")
    #expect(message(replacing("(2, 3)", with: "(2, -3)", in: good))?.hasPrefix("x.npy: malformed header:") == true)
    #expect(message(replacing("{", with: "[", in: good)) == "x.npy: malformed header: expected '{' at offset 0")
    let fortran = fileErrorMessage { _ = try NPY.read(try Fixtures.bytes("file_fortran.npy"), fileName: "f.npy") }
    #expect(fortran == "f.npy: unsupported: fortran_order True (only C order is read)")
    let big = fileErrorMessage { _ = try NPY.read(try Fixtures.bytes("file_i64_big.npy"), fileName: "b.npy") }
    #expect(big == "b.npy: int64 value 1099511627776 at element 0 does not fit in int32")
  }

  /// Stored `.npz` archives (with NumPy's forced Zip64 headers) read in order, as do
  /// compressed ones (see `NPZTests`); broken archives never crash.
  @Test func npzArchives() throws {
    let entries = try NPZ.read(try Fixtures.bytes("file_stored.npz"), fileName: "s.npz")
    #expect(entries.map(\.name) == ["weights", "ids"])
    #expect(entries[0].tensor == (try Tensor(shape: [3, 2], floats: [0, 1, 2, 3, 4, 5])))
    #expect(entries[1].tensor.int32s == [1, 2])
    let compressed = try NPZ.read(try Fixtures.bytes("file_compressed.npz"), fileName: "c.npz")
    #expect(compressed.map(\.name) == ["weights"] && compressed[0].tensor.floats == [0, 1, 2, 3, 4, 5])
    let bytes = try Fixtures.bytes("file_stored.npz")
    for cut in [0, 3, 10, 100, bytes.count - 30, bytes.count - 1] {
      #expect(fileErrorMessage { _ = try NPZ.read(Array(bytes[0..<cut]), fileName: "t.npz") } != nil)
    }
    var corrupt = bytes
    corrupt[120] ^= 0xFF
    #expect(fileErrorMessage { _ = try NPZ.read(corrupt, fileName: "t.npz") } != nil)
    #expect(fileErrorMessage { _ = try NPZ.read([1, 2, 3, 4, 5], fileName: "t.npz") } == "t.npz: not a .npz (zip) file (wrong magic bytes)")
  }

  /// Returns `bytes` with the first occurrence of `old` replaced by the equally long `new`.
  func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
    let o = Array(old.utf8)
    let n = Array(new.utf8)
    var result = bytes
    for i in 0...(bytes.count - o.count) where Array(bytes[i..<(i + o.count)]) == o {
      result.replaceSubrange(i..<(i + o.count), with: n)
      break
    }
    return result
  }

}
