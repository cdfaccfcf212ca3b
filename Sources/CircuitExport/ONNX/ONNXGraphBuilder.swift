import TensorRuntime

/// The nodes and initializers of an ONNX graph under construction, with fresh names and the
/// constant tensors ops need (shapes, axes, scalars).
struct ONNXGraphBuilder {

  /// The nodes so far, in topological order.
  private(set) var nodes: [ONNX.Node] = []

  /// The initializers so far.
  private(set) var initializers: [ONNX.Tensor] = []

  /// Names handed out so far, for uniqueness.
  private var counter = 0

  /// A new value name starting with `hint`.
  mutating func fresh(_ hint: String) -> String {
    counter += 1
    return "\(hint)_\(counter)"
  }

  /// Appends a node of `op`; returns its output (`output`, else a fresh name).
  @discardableResult
  mutating func add(_ op: String, _ inputs: [String], _ attributes: [ONNX.Attribute] = [], output: String? = nil)
    -> String
  {
    let name = output ?? fresh(op)
    nodes.append(ONNX.Node(inputs: inputs, outputs: [name], name: "node_\(name)", opType: op, attributes: attributes))
    return name
  }

  /// Adds an initializer; returns its name.
  @discardableResult
  mutating func constant(_ name: String, dims: [Int], type: ONNX.DataType, raw: [UInt8]) -> String {
    initializers.append(ONNX.Tensor(name: name, dims: dims, type: type, raw: raw))
    return name
  }

  /// A 1-D int64 constant (shapes, axes, starts).
  mutating func int64s(_ values: [Int]) -> String {
    constant(fresh("ints"), dims: [values.count], type: .int64, raw: ONNXGraphBuilder.int64Bytes(values))
  }

  /// A 0-D int64 constant (an index).
  mutating func int64Scalar(_ value: Int) -> String {
    constant(fresh("index"), dims: [], type: .int64, raw: ONNXGraphBuilder.int64Bytes([value]))
  }

  /// A 0-D constant of `element` holding `value` (converted as the interpreter converts).
  mutating func scalar(_ value: Double, _ element: ElementType) -> String {
    tensor(Kernels.cast(Tensor(scalar: Float(value)), to: element), name: fresh("scalar"))
  }

  /// A float32 constant of `dims`.
  mutating func floats(_ values: [Float], dims: [Int], hint: String) -> String {
    constant(fresh(hint), dims: dims, type: .float, raw: ONNXGraphBuilder.floatBytes(values))
  }

  /// `t` as an initializer named `name`.
  @discardableResult
  mutating func tensor(_ t: Tensor, name: String) -> String {
    switch t.storage {
    case .float32(let v): constant(name, dims: t.shape, type: .float, raw: ONNXGraphBuilder.floatBytes(v))
    case .int32(let v):
      constant(name, dims: t.shape, type: .int32, raw: v.flatMap { ONNXGraphBuilder.littleEndian(UInt64(UInt32(bitPattern: $0)), 4) })
    case .bool(let v): constant(name, dims: t.shape, type: .bool, raw: v.map { $0 ? 1 : 0 })
    }
  }

  /// The little-endian bytes of float32 values.
  static func floatBytes(_ values: [Float]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(values.count * 4)
    for v in values { ProtobufWriter.appendLittleEndian(v, to: &out) }
    return out
  }

  /// The little-endian bytes of int64 values.
  static func int64Bytes(_ values: [Int]) -> [UInt8] {
    values.flatMap { littleEndian(UInt64(bitPattern: Int64($0)), 8) }
  }

  /// The `width` low bytes of `v`, least significant first.
  static func littleEndian(_ v: UInt64, _ width: Int) -> [UInt8] {
    (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
  }
}
