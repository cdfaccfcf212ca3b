import Testing

@testable import TensorRuntime

/// The DEFLATE decoder on its own: raw streams from python's zlib and hand-built bad streams.
@Suite struct InflateTests {

  /// The text every raw-stream fixture encodes.
  let text: [UInt8]

  /// Loads the plain text fixture.
  init() throws { text = try Fixtures.bytes("deflate_text.bin") }

  /// Stored, fixed-Huffman and dynamic-Huffman streams (checked by their first block type)
  /// all decode to the exact original bytes.
  @Test func decodesEveryBlockType() throws {
    for (name, blockType) in [("deflate_stored.raw", 0), ("deflate_fixed.raw", 1), ("deflate_dynamic.raw", 2)] {
      let stream = try Fixtures.bytes(name)
      #expect(Int(stream[0] >> 1) & 3 == blockType, "\(name)")
      #expect(try Inflate.decompress(stream, fileName: name) == text, "\(name)")
      #expect(try Inflate.decompress(stream, limit: text.count, fileName: name) == text, "\(name)")
    }
    #expect(try Inflate.decompress([0x03, 0x00]) == [])
    #expect(try Inflate.decompress([0x01, 0x00, 0x00, 0xFF, 0xFF, 0xAB]) == [], "trailing bytes ignored")
  }

  /// Every strict prefix of a stream is reported as truncated; over-long output is refused.
  @Test func truncationAndLimits() throws {
    for name in ["deflate_stored.raw", "deflate_fixed.raw", "deflate_dynamic.raw"] {
      let stream = try Fixtures.bytes(name)
      for cut in 0..<stream.count {
        let message = fileErrorMessage { _ = try Inflate.decompress(Array(stream[0..<cut]), fileName: "r.raw") }
        #expect(message == "r.raw: truncated file: DEFLATE stream ends before its final block", "\(name) cut at \(cut)")
      }
      let limited = fileErrorMessage { _ = try Inflate.decompress(stream, limit: text.count - 1, fileName: "r.raw") }
      #expect(limited == "r.raw: corrupt DEFLATE data: output exceeds the expected \(text.count - 1) bytes", "\(name)")
    }
  }

  /// Hand-built malformed streams each give their own one-line error.
  @Test func malformedStreams() {
    /// The error message for decoding `bytes` as `m.raw`.
    func message(_ bytes: [UInt8]) -> String? { fileErrorMessage { _ = try Inflate.decompress(bytes, fileName: "m.raw") } }
    #expect(message([0x07]) == "m.raw: corrupt DEFLATE data: invalid block type 3")
    #expect(message([0x01, 0x05, 0x00, 0x00, 0x00]) == "m.raw: corrupt DEFLATE data: stored block length 5 does not match its complement 0")
    #expect(message([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2]) == "m.raw: truncated file: DEFLATE stream ends before its final block")
    // Fixed block: a match of length 3 at distance 1 before any output.
    var far = BitWriter()
    far.bits(1, 1); far.bits(1, 2); far.code(0b0000001, 7); far.code(0, 5); far.code(0, 7)
    #expect(message(far.bytes) == "m.raw: corrupt DEFLATE data: distance 1 is too far back (only 0 bytes decoded)")
    var length = BitWriter()
    length.bits(1, 1); length.bits(1, 2); length.code(0b1100_0110, 8)
    #expect(message(length.bytes) == "m.raw: corrupt DEFLATE data: invalid length symbol 286")
    var distance = BitWriter()
    distance.bits(1, 1); distance.bits(1, 2); distance.code(0b0011_0001, 8); distance.code(0b0000001, 7)
    distance.code(0b11110, 5)
    #expect(message(distance.bytes) == "m.raw: corrupt DEFLATE data: invalid distance symbol 30")
    var counts = BitWriter()
    counts.bits(1, 1); counts.bits(2, 2); counts.bits(30, 5); counts.bits(0, 5); counts.bits(0, 4)
    #expect(message(counts.bytes) == "m.raw: corrupt DEFLATE data: 287 literal/length and 1 distance codes is too many")
    // Code-length code with a single length (incomplete) and with all zero lengths.
    var single = BitWriter()
    single.bits(1, 1); single.bits(2, 2); single.bits(0, 5); single.bits(0, 5); single.bits(0, 4)
    single.bits(1, 3); single.bits(0, 3); single.bits(0, 3); single.bits(0, 3)
    #expect(message(single.bytes) == "m.raw: corrupt DEFLATE data: invalid code-length code lengths")
    // Code-length code {16: 1, 0: 1}: a repeat before any length.
    var repeated = BitWriter()
    repeated.bits(1, 1); repeated.bits(2, 2); repeated.bits(0, 5); repeated.bits(0, 5); repeated.bits(0, 4)
    repeated.bits(1, 3); repeated.bits(0, 3); repeated.bits(0, 3); repeated.bits(1, 3)
    repeated.code(1, 1); repeated.bits(0, 2)
    #expect(message(repeated.bytes) == "m.raw: corrupt DEFLATE data: length repeat with no previous length")
    // {0: 1, 18: 1}: 138 + 120 zero lengths fill all 257 + 1, so there is no end-of-block code;
    // 138 + 121 runs one past the end.
    var noEnd = BitWriter()
    noEnd.bits(1, 1); noEnd.bits(2, 2); noEnd.bits(0, 5); noEnd.bits(0, 5); noEnd.bits(0, 4)
    noEnd.bits(0, 3); noEnd.bits(0, 3); noEnd.bits(1, 3); noEnd.bits(1, 3)
    noEnd.code(1, 1); noEnd.bits(127, 7); noEnd.code(1, 1); noEnd.bits(109, 7)
    #expect(message(noEnd.bytes) == "m.raw: corrupt DEFLATE data: no end-of-block code")
    var overrun = BitWriter()
    overrun.bits(1, 1); overrun.bits(2, 2); overrun.bits(0, 5); overrun.bits(0, 5); overrun.bits(0, 4)
    overrun.bits(0, 3); overrun.bits(0, 3); overrun.bits(1, 3); overrun.bits(1, 3)
    overrun.code(1, 1); overrun.bits(127, 7); overrun.code(1, 1); overrun.bits(110, 7)
    #expect(message(overrun.bytes) == "m.raw: corrupt DEFLATE data: code-length repeat runs past 258 lengths")
  }

  /// Random byte flips of every raw stream either decode or throw; they never trap or hang.
  @Test func fuzzRawStreams() throws {
    var random = SplitMix64(seed: 0x1951)
    for name in ["deflate_stored.raw", "deflate_fixed.raw", "deflate_dynamic.raw"] {
      let stream = try Fixtures.bytes(name)
      for _ in 0..<300 {
        var bytes = stream
        for _ in 0..<(1 + random.next(below: 3)) {
          bytes[random.next(below: bytes.count)] ^= UInt8(1 + random.next(below: 255))
        }
        do {
          let output = try Inflate.decompress(bytes, limit: 1 << 16, fileName: name)
          #expect(output.count <= 1 << 16)
        } catch {
          #expect(error.file == name)
        }
      }
    }
  }

}

/// Packs DEFLATE bit fields for hand-built test streams.
struct BitWriter {

  /// The packed bytes.
  var bytes: [UInt8] = []

  /// Bits used in the last byte (0 = start a new byte).
  var used = 0

  /// Appends the low `count` bits of `value`, least significant first (header fields).
  mutating func bits(_ value: Int, _ count: Int) {
    for i in 0..<count { bit((value >> i) & 1) }
  }

  /// Appends a `count`-bit Huffman code, most significant bit first.
  mutating func code(_ value: Int, _ count: Int) {
    for i in stride(from: count - 1, through: 0, by: -1) { bit((value >> i) & 1) }
  }

  /// Appends one bit.
  mutating func bit(_ value: Int) {
    if used == 0 { bytes.append(0) }
    bytes[bytes.count - 1] |= UInt8(value) << UInt8(used)
    used = (used + 1) % 8
  }

}

/// A small seeded generator (SplitMix64) so fuzz tests are reproducible.
struct SplitMix64 {

  /// The generator state.
  var state: UInt64

  /// Creates a generator from `seed`.
  init(seed: UInt64) { state = seed }

  /// Returns the next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Returns a random integer in `0..<bound` (`bound > 0`).
  mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

}
