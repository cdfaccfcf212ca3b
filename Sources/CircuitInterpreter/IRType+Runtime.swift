import CircuitIR
import TensorRuntime

extension IR.TensorType {

  /// The runtime element type of values of this type.
  public var runtimeElement: ElementType {
    switch element {
    case .f32: .float32
    case .i32: .int32
    case .bool: .bool
    }
  }
}
