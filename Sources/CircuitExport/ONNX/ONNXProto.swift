/// The ONNX messages the exporter writes (onnx.proto, IR version 8), each encoding itself
/// with the schema's field numbers.
public enum ONNX {

  /// The IR version written (the one of opset 17).
  static let irVersion = 8

  /// The default-domain opset written.
  public static let opset = 17

  /// TensorProto.DataType values used.
  public enum DataType: Int, Sendable {
    /// float32.
    case float = 1
    /// int32.
    case int32 = 6
    /// int64 (shapes, axes, indices).
    case int64 = 7
    /// bool.
    case bool = 9
  }

  /// A TensorProto with raw little-endian data.
  struct Tensor {
    /// The name (an initializer's).
    let name: String
    /// The dimensions.
    let dims: [Int]
    /// The element type.
    let type: DataType
    /// The elements, little-endian, row-major.
    let raw: [UInt8]

    /// The encoded message: dims 1, data_type 2, name 8, raw_data 9.
    var encoded: ProtobufWriter {
      var w = ProtobufWriter()
      for d in dims { w.int(1, d) }
      w.int(2, type.rawValue)
      w.string(8, name)
      w.bytes(9, raw)
      return w
    }
  }

  /// An AttributeProto.
  struct Attribute {
    /// The value kinds used.
    enum Value {
      /// INT (2): field i (3).
      case int(Int)
      /// INTS (7): field ints (8).
      case ints([Int])
      /// FLOAT (1): field f (2).
      case float(Float)
      /// STRING (3): field s (4).
      case string(String)
    }
    /// The attribute name.
    let name: String
    /// Its value.
    let value: Value

    /// The encoded message: name 1, the value's field, type 20.
    var encoded: ProtobufWriter {
      var w = ProtobufWriter()
      w.string(1, name)
      switch value {
      case .int(let i):
        w.int(3, i)
        w.int(20, 2)
      case .ints(let xs):
        for x in xs { w.int(8, x) }
        w.int(20, 7)
      case .float(let f):
        w.float(2, f)
        w.int(20, 1)
      case .string(let s):
        w.string(4, s)
        w.int(20, 3)
      }
      return w
    }
  }

  /// A NodeProto of the default domain.
  struct Node {
    /// The input names ("" for an omitted optional input).
    let inputs: [String]
    /// The output names.
    let outputs: [String]
    /// The node name.
    let name: String
    /// The operator (`Einsum`).
    let opType: String
    /// The attributes.
    let attributes: [Attribute]

    /// The encoded message: input 1, output 2, name 3, op_type 4, attribute 5.
    var encoded: ProtobufWriter {
      var w = ProtobufWriter()
      for i in inputs { w.string(1, i) }
      for o in outputs { w.string(2, o) }
      w.string(3, name)
      w.string(4, opType)
      for a in attributes { w.message(5, a.encoded) }
      return w
    }
  }

  /// A dimension of a graph input or output: a size or a symbolic name.
  enum Dimension {
    /// A fixed size (dim_value 1).
    case value(Int)
    /// A symbolic size (dim_param 2).
    case parameter(String)
  }

  /// A ValueInfoProto of a tensor.
  struct ValueInfo {
    /// The value's name.
    let name: String
    /// The element type.
    let type: DataType
    /// The dimensions.
    let dims: [Dimension]

    /// The encoded message: name 1, type 2 (TypeProto.tensor_type 1: elem_type 1, shape 2
    /// (TensorShapeProto.dim 1: dim_value 1 or dim_param 2)).
    var encoded: ProtobufWriter {
      var shape = ProtobufWriter()
      for d in dims {
        var dim = ProtobufWriter()
        switch d {
        case .value(let n): dim.int(1, n)
        case .parameter(let s): dim.string(2, s)
        }
        shape.message(1, dim)
      }
      var tensor = ProtobufWriter()
      tensor.int(1, type.rawValue)
      tensor.message(2, shape)
      var type = ProtobufWriter()
      type.message(1, tensor)
      var w = ProtobufWriter()
      w.string(1, name)
      w.message(2, type)
      return w
    }
  }

  /// A GraphProto.
  struct Graph {
    /// The nodes in topological order.
    let nodes: [Node]
    /// The graph name.
    let name: String
    /// The initializers (parameters and constants).
    let initializers: [Tensor]
    /// The graph inputs.
    let inputs: [ValueInfo]
    /// The graph outputs.
    let outputs: [ValueInfo]

    /// The encoded message: node 1, name 2, initializer 5, input 11, output 12.
    var encoded: ProtobufWriter {
      var w = ProtobufWriter()
      for n in nodes { w.message(1, n.encoded) }
      w.string(2, name)
      for t in initializers { w.message(5, t.encoded) }
      for i in inputs { w.message(11, i.encoded) }
      for o in outputs { w.message(12, o.encoded) }
      return w
    }
  }

  /// A ModelProto of one graph.
  struct Model {
    /// The graph.
    let graph: Graph
    /// The model's doc string.
    let doc: String

    /// The encoded message: ir_version 1, producer_name 2, doc_string 6, graph 7,
    /// opset_import 8 (domain 1 empty, version 2).
    var encoded: ProtobufWriter {
      var opset = ProtobufWriter()
      opset.string(1, "")
      opset.int(2, ONNX.opset)
      var w = ProtobufWriter()
      w.int(1, ONNX.irVersion)
      w.string(2, "circuit")
      w.string(6, doc)
      w.message(7, graph.encoded)
      w.message(8, opset)
      return w
    }
  }
}
