import TensorRuntime

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

    /// The number of elements (`Int.max` when it does not fit in 64 bits; lowering refuses such
    /// types, so in a lowered function it is exact).
    public var count: Int { elementCount ?? Int.max }

    /// The number of elements, or nil when the product of the sizes overflows 64 bits.
    public var elementCount: Int? { IR.TensorType.checkedProduct(axes.map(\.size)) }

    /// Bytes of one element: 4 for `f32` and `i32`, 1 for `bool`.
    public var elementWidth: Int { element == .bool ? 1 : 4 }

    /// The number of bytes of a dense buffer of this type, or nil when it overflows 64 bits.
    public var byteCount: Int? {
      elementCount.flatMap { IR.TensorType.checkedProduct([$0, elementWidth]) }
    }

    /// The product of `factors`, or nil when it overflows; the one overflow-checked product of
    /// sizes in the IR.
    public static func checkedProduct(_ factors: [Int]) -> Int? {
      var n = 1
      for f in factors {
        let (p, overflow) = n.multipliedReportingOverflow(by: f)
        if overflow { return nil }
        n = p
      }
      return n
    }

    /// The sum of `terms`, or nil when it overflows.
    public static func checkedSum(_ terms: [Int]) -> Int? {
      var n = 0
      for t in terms {
        let (s, overflow) = n.addingReportingOverflow(t)
        if overflow { return nil }
        n = s
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
