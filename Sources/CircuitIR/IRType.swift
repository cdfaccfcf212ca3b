import CircuitSyntax

/// A namespace for the intermediate representation (the module is `CircuitIR`).
public enum IR {}

extension IR {

  /// An axis with a concrete size.
  public struct Axis: Hashable, Sendable, CustomStringConvertible {

    /// The axis name.
    public let name: String

    /// The axis size.
    public let size: Int

    /// Creates an axis.
    public init(_ name: String, _ size: Int) {
      self.name = name
      self.size = size
    }

    /// `name=size`.
    public var description: String { "\(name)=\(size)" }
  }

  /// The type of an IR value: element type and named axes with concrete sizes, in layout order.
  public struct TensorType: Hashable, Sendable, CustomStringConvertible {

    /// The element type.
    public let element: ElementType

    /// The axes in layout order (row-major, last fastest).
    public let axes: [Axis]

    /// Creates a type.
    public init(_ element: ElementType, _ axes: [Axis]) {
      self.element = element
      self.axes = axes
    }

    /// The axis named `name`.
    public func axis(_ name: String) -> Axis? { axes.first { $0.name == name } }

    /// The position of the axis named `name`.
    public func position(of name: String) -> Int? { axes.firstIndex { $0.name == name } }

    /// The axis names in order.
    public var names: [String] { axes.map(\.name) }

    /// The sizes in order.
    public var shape: [Int] { axes.map(\.size) }

    /// The number of elements (`Int.max` when it does not fit in 64 bits).
    public var count: Int {
      var n = 1
      for a in axes {
        let (p, overflow) = n.multipliedReportingOverflow(by: a.size)
        if overflow { return Int.max }
        n = p
      }
      return n
    }

    /// The same type with other axes.
    public func with(axes a: [Axis]) -> TensorType { TensorType(element, a) }

    /// The same axes with another element type.
    public func with(element e: ElementType) -> TensorType { TensorType(e, axes) }

    /// `f32[y=16 k=64]`.
    public var description: String {
      "\(element.rawValue)[" + axes.map(\.description).joined(separator: " ") + "]"
    }
  }

  /// An SSA value: the result of one instruction.
  public struct Value: Hashable, Sendable, Comparable, CustomStringConvertible {

    /// The index of the defining instruction.
    public let index: Int

    /// Creates a value.
    public init(_ index: Int) { self.index = index }

    /// Orders by definition.
    public static func < (a: Value, b: Value) -> Bool { a.index < b.index }

    /// `%index`.
    public var description: String { "%\(index)" }
  }
}
