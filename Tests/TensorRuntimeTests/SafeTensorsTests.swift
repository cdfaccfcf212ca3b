import Testing

@testable import TensorRuntime

/// safetensors reading, writing and header validation.
@Suite struct SafeTensorsTests {

  /// Builds a file from a header string (padded to 8 bytes) and a data buffer.
  static func file(_ header: String, data: [UInt8]) -> [UInt8] {
    var text = Array(header.utf8)
    text += [UInt8](repeating: 0x20, count: (8 - text.count % 8) % 8)
    var bytes: [UInt8] = []
    ByteCoding.append(UInt64(text.count), width: 8, to: &bytes)
    return bytes + text + data
  }

  /// The message of reading `bytes` as `weights.safetensors`.
  static func message(_ bytes: [UInt8]) -> String? {
    fileErrorMessage { _ = try SafeTensors.read(bytes, fileName: "weights.safetensors") }
  }

  /// The writer reproduces the reference test vector byte for byte.
  @Test func writerMatchesReferenceVector() throws {
    let t = try Tensor(shape: [1, 2, 3], floats: [0, 1, 2, 3, 4, 5])
    let bytes = try SafeTensors.write([("attn.0", t)])
    #expect(Array(bytes[0..<10]) == [0x40, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x22])
    #expect(bytes.count == 72 + 24)
    let padded = try SafeTensors.write([("attn0", try t.reshaped(to: [1, 1, 2, 3]))])
    #expect(padded[0] == 0x48)
    #expect(try SafeTensors.write([]) == [8, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D, 32, 32, 32, 32, 32, 32])
  }

  /// Round trip with mixed types and metadata.
  @Test func roundTrip() throws {
    let tensors: [(name: String, tensor: Tensor)] = [
      ("mask", try Tensor(shape: [3], bools: [true, false, true])),
      ("w", try Tensor(shape: [2, 2], floats: [1, 2, 3, 4])),
      ("ids", Tensor(scalar: Int32(9))),
    ]
    let bytes = try SafeTensors.write(tensors, metadata: [("format", "pt")])
    let read = try SafeTensors.read(bytes)
    #expect(read.tensors.map(\.name) == ["ids", "w", "mask"])
    for (name, tensor) in tensors { #expect(read.tensor(named: name) == tensor) }
    #expect(read.metadata.map(\.value) == ["pt"] && read.warnings.isEmpty)
  }

  /// A numpy-built file with F32, F16, BF16, I64, I32 and BOOL reads with widening/narrowing.
  @Test func readsMixedDtypes() throws {
    let file = try SafeTensors.read(try Fixtures.bytes("mixed.safetensors"), fileName: "m.safetensors")
    #expect(file.tensor(named: "w")?.floats == [0, 1, 2, 3])
    #expect(file.tensor(named: "h")?.floats == [1, -2.5, 65504, 6.0975552e-05])
    #expect(file.tensor(named: "bf")?.floats == [1, -3, 0.15625])
    #expect(file.tensor(named: "ids")?.int32s == [5, -6])
    #expect(file.tensor(named: "n")?.shape == [] && file.tensor(named: "n")?.int32s == [7])
    #expect(file.tensor(named: "mask")?.bools == [true, false, true])
    #expect(file.warnings == ["m.safetensors: tensor 'ids': int64 data was narrowed to int32"])
    #expect(file.metadata.first?.key == "format")
  }

  /// Every malformed-file case gives a one-line error naming the file and the problem.
  @Test func malformedFiles() throws {
    let data = [UInt8](repeating: 0, count: 24)
    let tensor = #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#
    #expect(Self.message(Self.file(tensor, data: data)) == nil)
    #expect(Self.message([1, 2, 3]) == "weights.safetensors: truncated file: 3 bytes is shorter than the 8-byte header length")
    #expect(Self.message([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
      == "weights.safetensors: malformed header: header length 18446744073709551615 exceeds the limit of 100000000 bytes")
    #expect(Self.message([64, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D])
      == "weights.safetensors: truncated file: header length 64 runs past the end of the 10-byte file")
    let whole = Self.file(tensor, data: data)
    #expect(Self.message(Array(whole[0..<(whole.count - 8)]))
      == "weights.safetensors: tensor 'w' data_offsets [0, 24] exceed the data buffer of 16 bytes")
    #expect(Self.message(Self.file(#"{"w":{"dtype":"F32","shape":[10,10],"data_offsets":[0,400]}}"#, data: [UInt8](repeating: 0, count: 256)))
      == "weights.safetensors: tensor 'w' data_offsets [0, 400] exceed the data buffer of 256 bytes")
    #expect(Self.message(Self.file("[1, 2]", data: []))
      == "weights.safetensors: malformed header: the header does not start with '{'")
    #expect(Self.message(Self.file(#"{"w": {"dtype": "F32",}"#, data: []))
      == "weights.safetensors: malformed header: invalid JSON: expected a string key at byte 22")
    #expect(Self.message(Self.file(#"{"w":{"dtype":"F99","shape":[6],"data_offsets":[0,24]}}"#, data: data))
      == "weights.safetensors: tensor 'w' has unsupported dtype 'F99'")
    #expect(Self.message(Self.file(#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,24]}}"#, data: data))
      == "weights.safetensors: tensor 'w' has shape [2, 2] of F32 needing 16 bytes but data_offsets [0, 24] span 24 bytes")
    #expect(Self.message(Self.file(#"{"w":{"dtype":"F32","shape":[-2,3],"data_offsets":[0,24]}}"#, data: data))
      == "weights.safetensors: tensor 'w' shape contains a value that is not a non-negative integer")
    #expect(Self.message(Self.file(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[24,0]}}"#, data: data))
      == "weights.safetensors: tensor 'w' data_offsets [24, 0] end before they begin")
    #expect(Self.message(Self.file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, data: data))
      == "weights.safetensors: tensor 'b' data_offsets [8, 24] overlap tensor 'a' data_offsets [0, 16]")
    #expect(Self.message(Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}"#, data: data))
      == "weights.safetensors: the data buffer has a gap between bytes 8 and 16 (before tensor 'b')")
    #expect(Self.message(Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}"#, data: data))
      == "weights.safetensors: the data buffer has a gap between bytes 0 and 8 (before tensor 'a')")
    #expect(Self.message(Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: data))
      == "weights.safetensors: the data buffer has 16 bytes after the last tensor (tensors cover 8 of 24 bytes)")
    #expect(Self.message(Self.file(#"{"a":{"dtype":"F32","shape":[6],"data_offsets":[0,24]},"a":{"dtype":"F32","shape":[0],"data_offsets":[24,24]}}"#, data: data))
      == "weights.safetensors: malformed header: duplicate key 'a'")
    #expect(Self.message(Self.file(#"{"__metadata__":{"n":1},"w":{"dtype":"F32","shape":[6],"data_offsets":[0,24]}}"#, data: data))
      == "weights.safetensors: malformed header: '__metadata__' value for 'n' is not a string")
    #expect(Self.message(Self.file(#"{"w":{"dtype":"F32","shape":[6]}}"#, data: data))
      == "weights.safetensors: tensor 'w' has no 'data_offsets'")
    #expect(Self.message(Self.file(#"{"w":[1]}"#, data: []))
      == "weights.safetensors: tensor 'w' entry is not an object")
    #expect(Self.message(Self.file(#"{"w":{"dtype":"F32","shape":[99999999999,99999999999],"data_offsets":[0,24]}}"#, data: data))
      == "weights.safetensors: tensor 'w' shape [99999999999, 99999999999] is invalid: invalid shape [99999999999, 99999999999]: element count overflows")
  }

  /// Every truncation of a valid file throws rather than crashing.
  @Test func everyTruncationThrows() throws {
    let bytes = try Fixtures.bytes("mixed.safetensors")
    for cut in 0..<bytes.count {
      #expect(Self.message(Array(bytes[0..<cut])) != nil)
    }
  }

}
