import CircuitIR
import CircuitInterpreter
import TensorRuntime

extension IR.TensorType {

  /// Whether `tensor` has this type's element type and shape.
  public func matches(_ tensor: Tensor) -> Bool {
    tensor.elementType == element && tensor.shape == shape
  }
}

extension IR.Function {

  /// The element types and shapes of the outputs, in order: what a native model allocates.
  public var outputSpecs: [(element: ElementType, shape: [Int])] {
    outputs.map { v in
      let t = type(of: v)
      return (t.element, t.shape)
    }
  }
}
