/// The contents of a safetensors file.
public struct SafeTensorsFile: Sendable, Equatable {

  /// The tensors, in data-offset order, with their names.
  public var tensors: [(name: String, tensor: Tensor)]

  /// The string-to-string `__metadata__` entries, sorted by key.
  public var metadata: [(key: String, value: String)]

  /// Notes about lossy conversions (e.g. `I64` narrowed to `int32`).
  public var warnings: [String]

  /// The element type each tensor has in the file, by name, as numpy spells it (`int64`,
  /// `bfloat16`, …), where the reader knows it: messages name what the file holds, not
  /// what it was widened or narrowed to.
  public var storedElementTypes: [String: String] = [:]

  /// Returns the tensor called `name`, or `nil`.
  public func tensor(named name: String) -> Tensor? {
    tensors.first { $0.name == name }?.tensor
  }

  /// Compares names, tensors, metadata and warnings in order.
  public static func == (lhs: SafeTensorsFile, rhs: SafeTensorsFile) -> Bool {
    lhs.tensors.map(\.name) == rhs.tensors.map(\.name)
      && lhs.tensors.map(\.tensor) == rhs.tensors.map(\.tensor)
      && lhs.metadata.map(\.key) == rhs.metadata.map(\.key)
      && lhs.metadata.map(\.value) == rhs.metadata.map(\.value) && lhs.warnings == rhs.warnings
  }

}

/// Reading and writing Hugging Face safetensors files, validated like the reference reader.
public enum SafeTensors {

  /// The largest accepted header (100 MB), as in the reference implementation.
  public static let maximumHeaderLength = 100_000_000

  /// The dtypes this reader decodes, with their encodings.
  static let dtypes: [String: RawElementType] = [
    "F32": .float32, "F16": .float16, "BF16": .bfloat16, "F64": .float64, "I64": .int64,
    "I32": .int32, "I16": .int16, "I8": .int8, "U8": .uint8, "U16": .uint16, "BOOL": .bool,
  ]

  /// Decodes and validates a safetensors file.
  ///
  /// The rules, shared with the C reader of `circuit build` executables (`CStandalone`'s
  /// `sa_read_params_`; both are tested on one corpus by `StandaloneReaderTests`):
  /// 1. The file has at least 8 bytes; their little-endian value, the header length, is at
  ///    most 100,000,000 and the header lies inside the file.
  /// 2. The header starts with `{` and is one strict JSON object (RFC 8259: strict UTF-8 with
  ///    no overlong forms or surrogates, valid escapes and surrogate pairs, no raw control
  ///    characters) followed only by whitespace.
  /// 3. Its keys are unique; `__metadata__`, if present, is an object of strings.
  /// 4. Every other member is a tensor: an object with exactly the fields `dtype`, `shape` and
  ///    `data_offsets`, each once. `dtype` is one of `F32 F16 BF16 F64 I64 I32 I16 I8 U8 U16
  ///    BOOL` exactly (no NUL or other suffix); `shape` is an array of non-negative integers
  ///    (digits only, fitting 64 bits); `data_offsets` is two such integers `[begin, end]` with
  ///    `begin ≤ end ≤` the data buffer's length.
  /// 5. The element count (the shape's product) neither overflows nor exceeds 2^31, and
  ///    count × dtype size equals `end − begin`.
  /// 6. Sorted by `(begin, end)`, the tensors tile the data buffer exactly: no overlap, no gap,
  ///    no trailing bytes.
  /// Names are compared byte for byte (any valid UTF-8, including escaped U+0000).
  /// `F16`/`BF16` are widened to `float32`; `F64`/`I64` are narrowed with a warning.
  /// - Throws: `TensorFileError` whose description is one line naming `fileName`. Never traps.
  public static func read(
    _ bytes: [UInt8], fileName: String = "<safetensors>"
  ) throws(TensorFileError) -> SafeTensorsFile {
    guard bytes.count >= 8 else {
      throw .truncated(
        file: fileName, detail: "\(bytes.count) bytes is shorter than the 8-byte header length")
    }
    let declared = ByteCoding.unsigned(bytes, at: 0, width: 8)
    guard declared <= UInt64(maximumHeaderLength) else {
      throw .malformedHeader(
        file: fileName,
        detail: "header length \(declared) exceeds the limit of \(maximumHeaderLength) bytes")
    }
    let headerLength = Int(declared)
    guard 8 + headerLength <= bytes.count else {
      throw .truncated(
        file: fileName,
        detail: "header length \(headerLength) runs past the end of the \(bytes.count)-byte file")
    }
    let headerBytes = Array(bytes[8..<(8 + headerLength)])
    guard headerBytes.first == UInt8(ascii: "{") else {
      throw .malformedHeader(file: fileName, detail: "the header does not start with '{'")
    }
    let json: JSONValue
    do {
      json = try JSONParser.parse(headerBytes)
    } catch {
      throw .malformedHeader(file: fileName, detail: "invalid JSON: \(error.message)")
    }
    guard case .object(let members) = json else {
      throw .malformedHeader(file: fileName, detail: "the header is not a JSON object")
    }
    let bufferStart = 8 + headerLength
    let bufferLength = bytes.count - bufferStart
    var seen = Set<String>()
    var metadata: [(key: String, value: String)] = []
    var entries: [Entry] = []
    for (name, value) in members {
      guard seen.insert(name).inserted else {
        throw .malformedHeader(file: fileName, detail: "duplicate key '\(name)'")
      }
      if name == "__metadata__" {
        metadata = try parseMetadata(value, fileName: fileName)
      } else {
        entries.append(
          try Entry(name: name, json: value, bufferLength: bufferLength, fileName: fileName))
      }
    }
    try checkTiling(entries, bufferLength: bufferLength, fileName: fileName)
    var tensors: [(name: String, tensor: Tensor)] = []
    var warnings: [String] = []
    var storedElementTypes: [String: String] = [:]
    for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
      let result = entry.raw.decode(
        bytes, at: bufferStart + entry.begin, count: entry.count, bigEndian: false)
      switch result {
      case .success(let storage):
        tensors.append((entry.name, Tensor(uncheckedShape: entry.shape, storage: storage)))
        storedElementTypes[entry.name] = entry.raw.name
      case .failure(let problem):
        throw .invalidTensor(file: fileName, detail: "tensor '\(entry.name)': \(problem.message)")
      }
      if let warning = entry.raw.narrowingWarning {
        warnings.append("\(fileName): tensor '\(entry.name)': \(warning)")
      }
    }
    return SafeTensorsFile(
      tensors: tensors, metadata: metadata.sorted { $0.key < $1.key }, warnings: warnings,
      storedElementTypes: storedElementTypes)
  }

  /// Validates `__metadata__`: an object whose values are all strings.
  static func parseMetadata(
    _ value: JSONValue, fileName: String
  ) throws(TensorFileError) -> [(key: String, value: String)] {
    guard case .object(let members) = value else {
      throw .malformedHeader(file: fileName, detail: "'__metadata__' is not an object")
    }
    var result: [(key: String, value: String)] = []
    for (key, item) in members {
      guard case .string(let text) = item else {
        throw .malformedHeader(file: fileName, detail: "'__metadata__' value for '\(key)' is not a string")
      }
      result.append((key, text))
    }
    return result
  }

  /// Checks that the sorted entries cover `0..<bufferLength` exactly once.
  static func checkTiling(
    _ entries: [Entry], bufferLength: Int, fileName: String
  ) throws(TensorFileError) {
    var end = 0
    var previous: Entry?
    for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
      if entry.begin < end, let previous {
        throw .invalidTensor(
          file: fileName,
          detail: "tensor '\(entry.name)' data_offsets [\(entry.begin), \(entry.end)] overlap "
            + "tensor '\(previous.name)' data_offsets [\(previous.begin), \(previous.end)]")
      }
      if entry.begin > end {
        throw .invalidTensor(
          file: fileName,
          detail: "the data buffer has a gap between bytes \(end) and \(entry.begin) "
            + "(before tensor '\(entry.name)')")
      }
      end = entry.end
      previous = entry
    }
    if end != bufferLength {
      throw .invalidTensor(
        file: fileName,
        detail: "the data buffer has \(bufferLength - end) bytes after the last tensor "
          + "(tensors cover \(end) of \(bufferLength) bytes)")
    }
  }

  /// One validated header entry.
  struct Entry {

    /// The tensor name.
    let name: String

    /// The stored encoding.
    let raw: RawElementType

    /// The shape.
    let shape: [Int]

    /// The element count.
    let count: Int

    /// First byte, relative to the data buffer.
    let begin: Int

    /// One past the last byte, relative to the data buffer.
    let end: Int

    /// Validates one tensor entry of the header.
    init(name: String, json: JSONValue, bufferLength: Int, fileName: String) throws(TensorFileError) {
      /// Builds an entry error.
      func bad(_ detail: String) -> TensorFileError {
        .invalidTensor(file: fileName, detail: "tensor '\(name)' \(detail)")
      }
      guard case .object(let fields) = json else { throw bad("entry is not an object") }
      /// Returns the value of a required field.
      func field(_ key: String) throws(TensorFileError) -> JSONValue {
        guard let value = fields.first(where: { $0.key == key })?.value else {
          throw bad("has no '\(key)'")
        }
        return value
      }
      var fieldNames = Set<String>()
      for (key, _) in fields {
        guard ["dtype", "shape", "data_offsets"].contains(key) else { throw bad("has unexpected field '\(key)'") }
        guard fieldNames.insert(key).inserted else { throw bad("has a duplicate field '\(key)'") }
      }
      guard case .string(let dtype) = try field("dtype") else { throw bad("dtype is not a string") }
      guard let raw = SafeTensors.dtypes[dtype] else { throw bad("has unsupported dtype '\(dtype)'") }
      guard case .array(let shapeItems) = try field("shape") else { throw bad("shape is not an array") }
      var shape: [Int] = []
      for item in shapeItems {
        guard let extent = item.nonNegativeInteger else {
          throw bad("shape contains a value that is not a non-negative integer")
        }
        shape.append(extent)
      }
      guard case .array(let offsetItems) = try field("data_offsets"), offsetItems.count == 2,
        let begin = offsetItems[0].nonNegativeInteger, let end = offsetItems[1].nonNegativeInteger
      else { throw bad("data_offsets is not two non-negative integers") }
      guard begin <= end else { throw bad("data_offsets [\(begin), \(end)] end before they begin") }
      guard end <= bufferLength else {
        throw bad("data_offsets [\(begin), \(end)] exceed the data buffer of \(bufferLength) bytes")
      }
      let count: Int
      do {
        count = try ShapeMath.elementCount(shape)
      } catch {
        throw bad("shape \(shape) is invalid: \(error)")
      }
      let (needed, overflow) = count.multipliedReportingOverflow(by: raw.itemSize)
      guard !overflow, needed == end - begin else {
        throw bad(
          "has shape \(shape) of \(dtype) needing \(needed) bytes but data_offsets "
            + "[\(begin), \(end)] span \(end - begin) bytes")
      }
      self.name = name
      self.raw = raw
      self.shape = shape
      self.count = count
      self.begin = begin
      self.end = end
    }

  }

  /// Encodes tensors as a safetensors file (`F32`, `I32`, `BOOL`).
  ///
  /// Like the reference writer: tensors are ordered by descending element alignment then name,
  /// the JSON is compact with `__metadata__` first, and it is padded with spaces to a multiple
  /// of 8 bytes so the data starts aligned.
  /// - Throws: `TensorFileError.invalidTensor` for duplicate or reserved names.
  public static func write(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [(key: String, value: String)] = [],
    fileName: String = "<safetensors>"
  ) throws(TensorFileError) -> [UInt8] {
    var names = Set<String>()
    for (name, _) in tensors {
      guard name != "__metadata__", names.insert(name).inserted else {
        throw .invalidTensor(file: fileName, detail: "tensor name '\(name)' is duplicate or reserved")
      }
    }
    /// The alignment (element size) of a tensor's dtype.
    func alignment(_ tensor: Tensor) -> Int { tensor.elementType == .bool ? 1 : 4 }
    let ordered = tensors.sorted {
      (alignment($0.tensor), $1.name) > (alignment($1.tensor), $0.name)
    }
    var parts: [String] = []
    if !metadata.isEmpty {
      let items = metadata.map { JSONWriter.quoted($0.key) + ":" + JSONWriter.quoted($0.value) }
      parts.append("\"__metadata__\":{" + items.joined(separator: ",") + "}")
    }
    var data: [UInt8] = []
    for (name, tensor) in ordered {
      let dtype: String
      switch tensor.elementType {
      case .float32: dtype = "F32"
      case .int32: dtype = "I32"
      case .bool: dtype = "BOOL"
      }
      let begin = data.count
      data += tensor.littleEndianBytes
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      parts.append(
        JSONWriter.quoted(name) + ":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],"
          + "\"data_offsets\":[\(begin),\(data.count)]}")
    }
    var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
    header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
    var bytes: [UInt8] = []
    ByteCoding.append(UInt64(header.count), width: 8, to: &bytes)
    return bytes + header + data
  }

}
