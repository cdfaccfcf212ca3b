@testable import CircuitExport
import Testing

/// The protobuf encoder against bytes derived by hand from the wire format (tag = field << 3 |
/// wire type, base-128 varints least significant group first, little-endian fixed32).
@Suite struct ProtobufWriterTests {

  /// Field 1 = 150: tag 0x08, varint 150 = 0x96 0x01.
  @Test func varintField() {
    var w = ProtobufWriter()
    w.int(1, 150)
    #expect(w.bytes == [0x08, 0x96, 0x01])
  }

  /// -1 as int64: ten bytes, nine 0xff then 0x01 (two's complement, 64 bits / 7).
  @Test func negativeVarintTakesTenBytes() {
    var w = ProtobufWriter()
    w.int(3, -1)
    #expect(w.bytes == [0x18] + [UInt8](repeating: 0xff, count: 9) + [0x01])
  }

  /// Field 2 = "testing": tag 0x12 (2 << 3 | 2), length 7, UTF-8.
  @Test func stringField() {
    var w = ProtobufWriter()
    w.string(2, "testing")
    #expect(w.bytes == [0x12, 0x07] + Array("testing".utf8))
  }

  /// Field 2 = 1.0f: tag 0x15 (2 << 3 | 5), then 0x3f800000 little-endian.
  @Test func floatField() {
    var w = ProtobufWriter()
    w.float(2, 1)
    #expect(w.bytes == [0x15, 0x00, 0x00, 0x80, 0x3f])
  }

  /// Packed field 4 = [3, 270, 86942]: tag 0x22, length 6, varints 03 8e02 9ea705.
  @Test func packedInts() {
    var w = ProtobufWriter()
    w.packedInts(4, [3, 270, 86942])
    #expect(w.bytes == [0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05])
  }

  /// Packed floats: tag, length 8, two little-endian floats (1.0, -2.0 = 0xc0000000).
  @Test func packedFloats() {
    var w = ProtobufWriter()
    w.packedFloats(1, [1, -2])
    #expect(w.bytes == [0x0a, 0x08, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0])
  }

  /// Field 3 = message {1: 150}: tag 0x1a, length 3, the inner bytes.
  @Test func embeddedMessage() {
    var inner = ProtobufWriter()
    inner.int(1, 150)
    var w = ProtobufWriter()
    w.message(3, inner)
    #expect(w.bytes == [0x1a, 0x03, 0x08, 0x96, 0x01])
  }

  /// A ValueInfoProto `x: float[b, 3]` by hand: dims {2:"b"} = 12 01 62 and {1:3} = 08 03;
  /// shape = 0a 03 … 0a 02 … (9 bytes); tensor type = 08 01 12 09 … (13); type = 0a 0d …
  /// (15); value info = 0a 01 78 12 0f … (20).
  @Test func onnxValueInfo() {
    let v = ONNX.ValueInfo(name: "x", type: .float, dims: [.parameter("b"), .value(3)])
    let shape: [UInt8] = [0x0a, 0x03, 0x12, 0x01, 0x62, 0x0a, 0x02, 0x08, 0x03]
    let tensor: [UInt8] = [0x08, 0x01, 0x12, 0x09] + shape
    let type: [UInt8] = [0x0a, 0x0d] + tensor
    #expect(v.encoded.bytes == [0x0a, 0x01, 0x78, 0x12, 0x0f] + type)
  }

  /// An INTS attribute `perm = [1, 0]`: name 0a 04 "perm", ints 40 01 40 00 (field 8,
  /// unpacked), type a0 01 07 (field 20 = 0xa0 0x01 as a varint tag, INTS = 7).
  @Test func onnxAttribute() {
    let a = ONNX.Attribute(name: "perm", value: .ints([1, 0]))
    #expect(a.encoded.bytes == [0x0a, 0x04] + Array("perm".utf8) + [0x40, 0x01, 0x40, 0x00, 0xa0, 0x01, 0x07])
  }
}
