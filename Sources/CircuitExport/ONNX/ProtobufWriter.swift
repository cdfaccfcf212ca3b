/// A protocol-buffers message being encoded: fields appended in the order written, each as
/// its tag (field number and wire type) and payload. Only what ONNX models need: varints
/// (wire type 0), 32-bit floats (5) and length-delimited bytes, strings and messages (2).
public struct ProtobufWriter: Sendable {

  /// The wire types used.
  enum WireType: UInt64 {
    /// Varint: int32, int64, enum, bool.
    case varint = 0
    /// Length-delimited: bytes, string, embedded message, packed repeated fields.
    case lengthDelimited = 2
    /// Fixed 32 bits: float.
    case fixed32 = 5
  }

  /// The encoded message so far.
  public private(set) var bytes: [UInt8] = []

  /// An empty message.
  public init() {}

  /// Appends `value` as a base-128 varint (least significant group first).
  static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      out.append(UInt8(v & 0x7f) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }

  /// Appends the tag of `field` with `wire`.
  mutating func tag(_ field: Int, _ wire: WireType) {
    ProtobufWriter.appendVarint(UInt64(field) << 3 | wire.rawValue, to: &bytes)
  }

  /// An int64/int32/enum field; negative values take ten bytes (two's complement).
  public mutating func int(_ field: Int, _ value: Int) {
    tag(field, .varint)
    ProtobufWriter.appendVarint(UInt64(bitPattern: Int64(value)), to: &bytes)
  }

  /// A float field (little-endian IEEE 754).
  public mutating func float(_ field: Int, _ value: Float) {
    tag(field, .fixed32)
    ProtobufWriter.appendLittleEndian(value, to: &bytes)
  }

  /// A bytes field.
  public mutating func bytes(_ field: Int, _ data: [UInt8]) {
    tag(field, .lengthDelimited)
    ProtobufWriter.appendVarint(UInt64(data.count), to: &bytes)
    bytes += data
  }

  /// A string field (UTF-8).
  public mutating func string(_ field: Int, _ text: String) { bytes(field, Array(text.utf8)) }

  /// An embedded message field.
  public mutating func message(_ field: Int, _ message: ProtobufWriter) { bytes(field, message.bytes) }

  /// A packed repeated int64 field (one length-delimited run of varints).
  public mutating func packedInts(_ field: Int, _ values: [Int]) {
    var run: [UInt8] = []
    for v in values { ProtobufWriter.appendVarint(UInt64(bitPattern: Int64(v)), to: &run) }
    bytes(field, run)
  }

  /// A packed repeated float field.
  public mutating func packedFloats(_ field: Int, _ values: [Float]) {
    var run: [UInt8] = []
    run.reserveCapacity(values.count * 4)
    for v in values { ProtobufWriter.appendLittleEndian(v, to: &run) }
    bytes(field, run)
  }

  /// Appends the four little-endian bytes of `value`.
  static func appendLittleEndian(_ value: Float, to out: inout [UInt8]) {
    let b = value.bitPattern
    out += [UInt8(b & 0xff), UInt8(b >> 8 & 0xff), UInt8(b >> 16 & 0xff), UInt8(b >> 24)]
  }
}
