import CircuitSyntax
import TensorRuntime

/// A named axis with its size.
public struct Axis: Hashable, Sendable, CustomStringConvertible {

  /// The axis name; identity is by name.
  public let name: String

  /// The axis size.
  public let size: Size

  /// Creates an axis.
  public init(_ name: String, _ size: Size) {
    self.name = name
    self.size = size
  }

  /// `name` when the size is the symbol of the same name, else `name=size`.
  public var description: String {
    size.symbolName == name ? name : "\(name)=\(size.asOperand)"
  }
}

/// The type of a tensor: an element type and an ordered list of distinct named axes.
public struct TensorType: Hashable, Sendable, CustomStringConvertible {

  /// The element type.
  public let element: ElementType

  /// The axes in wire (and memory) order.
  public let axes: [Axis]

  /// Creates a tensor type.
  public init(_ element: ElementType = .float32, _ axes: [Axis]) {
    self.element = element
    self.axes = axes
  }

  /// The scalar `[]` of `element`.
  public static func scalar(_ element: ElementType = .float32) -> TensorType {
    TensorType(element, [])
  }

  /// The axis named `name`, if present.
  public func axis(_ name: String) -> Axis? { axes.first { $0.name == name } }

  /// The axis names in order.
  public var names: [String] { axes.map(\.name) }

  /// The same axes with another element type.
  public func with(element e: ElementType) -> TensorType { TensorType(e, axes) }

  /// The same element type with other axes.
  public func with(axes a: [Axis]) -> TensorType { TensorType(element, a) }

  /// `[y k]`, `i32[t]`, `[x=28 y=28]`.
  public var description: String {
    let prefix = element == .float32 ? "" : element.rawValue
    return prefix + "[" + axes.map(\.description).joined(separator: " ") + "]"
  }

  /// Whether both types have the same element type and the same axes, in any order.
  public func isPermutation(of other: TensorType) -> Bool {
    element == other.element && axes.count == other.axes.count
      && axes.allSatisfy { a in other.axis(a.name) == a }
  }

  /// The type with every size re-evaluated under `bindings`.
  public func substituting(_ bindings: [String: Size]) throws(SizeError) -> TensorType {
    var out: [Axis] = []
    for a in axes { out.append(Axis(a.name, try a.size.substituting(bindings))) }
    return TensorType(element, out)
  }

  /// The number of elements, when every size is a constant (nil on overflow too).
  public var elementCount: Int? {
    var n = 1
    for a in axes {
      guard let c = a.size.constant else { return nil }
      let (p, o) = n.multipliedReportingOverflow(by: c)
      if o { return nil }
      n = p
    }
    return n
  }

  /// The number of elements as a size expression.
  ///
  /// - Throws: `SizeError.overflow` when a constant part of the product overflows 64 bits.
  public func elementCountSize() throws(SizeError) -> Size {
    var n = Size(1)
    for a in axes { n = try Size.multiply(n, a.size) }
    return n
  }
}

/// The type of a value: one tensor, or a tuple of tensors (segments).
public enum ValueType: Hashable, Sendable, CustomStringConvertible {
  case tensor(TensorType)
  case tuple([TensorType])

  /// The segments in order.
  public var segments: [TensorType] {
    switch self {
    case .tensor(let t): [t]
    case .tuple(let ts): ts
    }
  }

  /// `[y k]` or `([y k], [y])`.
  public var description: String {
    switch self {
    case .tensor(let t): t.description
    case .tuple(let ts): "(" + ts.map(\.description).joined(separator: ", ") + ")"
    }
  }
}
