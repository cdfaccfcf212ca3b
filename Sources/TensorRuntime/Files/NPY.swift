/// Reading and writing NumPy `.npy` files (format versions 1.0, 2.0 and 3.0; C order only).
public enum NPY {

  /// The six magic bytes every `.npy` file starts with.
  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

  /// Decodes a `.npy` file.
  ///
  /// Supported dtypes: `f2 f4 f8 i1 i2 i4 i8 u1 u2 b1`, little- or big-endian. `f8` and `i8`
  /// are narrowed to `float32`/`int32` and reported in `warnings`; other integers become
  /// `int32`, `f2` becomes `float32`.
  /// - Parameters:
  ///   - bytes: The whole file.
  ///   - fileName: Used in error messages.
  /// - Returns: The tensor and any narrowing warnings.
  /// - Throws: `TensorFileError` for wrong magic, a bad header, `fortran_order: True`, an
  ///   unsupported dtype, or a data size that does not match the shape. Never traps.
  public static func read(
    _ bytes: [UInt8], fileName: String = "<npy>"
  ) throws(TensorFileError) -> (tensor: Tensor, warnings: [String]) {
    guard bytes.count >= 10 else {
      if !magic.starts(with: bytes.prefix(6)) {
        throw .wrongMagic(file: fileName, format: ".npy")
      }
      throw .truncated(file: fileName, detail: "\(bytes.count) bytes is shorter than the 10-byte preamble")
    }
    guard Array(bytes[0..<6]) == magic else { throw .wrongMagic(file: fileName, format: ".npy") }
    let major = bytes[6]
    let lengthWidth: Int
    switch major {
    case 1: lengthWidth = 2
    case 2, 3: lengthWidth = 4
    default:
      throw .unsupported(file: fileName, detail: "format version \(major).\(bytes[7])")
    }
    guard bytes.count >= 8 + lengthWidth else {
      throw .truncated(file: fileName, detail: "the header length field is incomplete")
    }
    let headerLength = Int(ByteCoding.unsigned(bytes, at: 8, width: lengthWidth))
    let dataOffset = 8 + lengthWidth + headerLength
    guard dataOffset <= bytes.count else {
      throw .truncated(
        file: fileName,
        detail: "header length \(headerLength) runs past the end of the \(bytes.count)-byte file")
    }
    let text = String(decoding: bytes[(8 + lengthWidth)..<dataOffset], as: UTF8.self)
    let header: NPYHeader
    do {
      header = try NPYHeader.parse(text)
    } catch {
      throw .malformedHeader(file: fileName, detail: error.message)
    }
    if header.fortranOrder {
      throw .unsupported(file: fileName, detail: "fortran_order True (only C order is read)")
    }
    let (raw, bigEndian) = try rawType(header.descr, fileName: fileName)
    let count: Int
    do {
      count = try ShapeMath.elementCount(header.shape)
    } catch {
      throw .invalidTensor(file: fileName, detail: "shape \(header.shape): \(error)")
    }
    let expected = count * raw.itemSize
    let actual = bytes.count - dataOffset
    guard expected == actual else {
      let detail =
        "shape \(header.shape) of '\(header.descr)' needs \(expected) data bytes but the file has \(actual)"
      if actual < expected { throw .truncated(file: fileName, detail: detail) }
      throw .invalidTensor(file: fileName, detail: detail)
    }
    switch raw.decode(bytes, at: dataOffset, count: count, bigEndian: bigEndian) {
    case .success(let storage):
      let tensor = Tensor(uncheckedShape: header.shape, storage: storage)
      return (tensor, raw.narrowingWarning.map { ["\(fileName): \($0)"] } ?? [])
    case .failure(let problem):
      throw .invalidTensor(file: fileName, detail: problem.message)
    }
  }

  /// Maps a `descr` string to an element encoding and byte order.
  static func rawType(
    _ descr: String, fileName: String
  ) throws(TensorFileError) -> (RawElementType, bigEndian: Bool) {
    let characters = Array(descr)
    guard characters.count >= 3, "<>|=".contains(characters[0]) else {
      throw .unsupported(file: fileName, detail: "dtype '\(descr)'")
    }
    let types: [String: RawElementType] = [
      "f2": .float16, "f4": .float32, "f8": .float64, "i1": .int8, "i2": .int16,
      "i4": .int32, "i8": .int64, "u1": .uint8, "u2": .uint16, "b1": .bool,
    ]
    guard let raw = types[String(characters[1...])] else {
      throw .unsupported(file: fileName, detail: "dtype '\(descr)'")
    }
    return (raw, characters[0] == ">")
  }

  /// Encodes a tensor as a version 1.0 `.npy` file (`<f4`, `<i4` or `|b1`), padding the header
  /// so the data starts 64-byte aligned, as NumPy does.
  public static func write(_ tensor: Tensor) -> [UInt8] {
    let descr: String
    switch tensor.elementType {
    case .float32: descr = "<f4"
    case .int32: descr = "<i4"
    case .bool: descr = "|b1"
    }
    let shapeText: String
    switch tensor.rank {
    case 0: shapeText = "()"
    case 1: shapeText = "(\(tensor.shape[0]),)"
    default: shapeText = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
    }
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    let total = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
    var bytes = magic + [1, 0]
    ByteCoding.append(UInt64(header.utf8.count), width: 2, to: &bytes)
    bytes += Array(header.utf8)
    bytes += tensor.littleEndianBytes
    return bytes
  }

}
