import CircuitSyntax

extension IR {

  /// The elementwise functions of one operand.
  public enum UnaryFunction: String, Sendable, Hashable, CaseIterable {
    case negate = "neg", relu, gelu, geluTanh = "gelu_tanh", exp, log, tanh, sigmoid, sqrt
    case rsqrt, abs, sin, cos, silu, erf
  }

  /// The elementwise functions of two operands.
  public enum BinaryFunction: String, Sendable, Hashable, CaseIterable {
    case add, subtract = "sub", multiply = "mul", divide = "div", power = "pow", maximum = "max"
    case minimum = "min"
  }

  /// The reductions.
  public enum Reduction: String, Sendable, Hashable, CaseIterable {
    case sum, mean, max, min
  }

  /// One windowed axis: input axis, output grid axis, window axis and geometry.
  public struct WindowAxis: Hashable, Sendable {
    public let input: String, grid: String, window: String
    public let size: Int, stride: Int, pad: Int, dilation: Int

    /// Creates a windowed axis.
    public init(
      input: String, grid: String, window: String, size: Int, stride: Int, pad: Int, dilation: Int
    ) {
      (self.input, self.grid, self.window) = (input, grid, window)
      (self.size, self.stride, self.pad, self.dilation) = (size, stride, pad, dilation)
    }
  }

  /// One un-windowed axis: grid and window axes in, output axis out, with geometry.
  public struct UnwindowAxis: Hashable, Sendable {
    public let grid: String, window: String, output: String
    public let stride: Int, pad: Int, dilation: Int, outputPad: Int

    /// Creates an un-windowed axis.
    public init(
      grid: String, window: String, output: String, stride: Int, pad: Int, dilation: Int,
      outputPad: Int
    ) {
      (self.grid, self.window, self.output) = (grid, window, output)
      (self.stride, self.pad, self.dilation, self.outputPad) = (stride, pad, dilation, outputPad)
    }
  }

  /// The operations of the IR: a closed set; every switch over it is exhaustive.
  public enum Op: Hashable, Sendable {
    /// The entry function's input number `index`.
    case input(index: Int, name: String)
    /// A learned parameter with its full name.
    case parameter(name: String, initializer: Initializer?)
    /// A scalar constant.
    case constant(Double)
    /// `0, 1, …, n-1` along one axis (f32).
    case arange(axis: String)
    /// A bool mask, true where the column index is at most the row index.
    case causal(row: String, column: String)
    /// An elementwise function of one operand.
    case unary(UnaryFunction)
    /// An elementwise function of two operands, broadcast by name.
    case binary(BinaryFunction)
    /// `where(mask, a, b)`, broadcast by name.
    case select
    /// A reduction removing `axes`.
    case reduce(Reduction, axes: [String])
    /// The product of two operands summed over `axes` (the full product is never built).
    case contract(axes: [String])
    /// Softmax (or log-softmax) jointly over `axes`.
    case softmax(axes: [String], log: Bool)
    /// Normalisation to zero mean and unit variance over `axes`.
    case layerNorm(axes: [String], epsilon: Double)
    /// Merges `axes` (first major) into `into`, placed where the first of them was.
    case merge(axes: [String], into: String)
    /// Splits `axis` into `into` (first major), in its place.
    case split(axis: String, into: [Axis])
    /// Renames axes.
    case rename(from: [String], to: [String])
    /// Moves `order` to the front, in that order; other axes keep their order after them.
    case transpose(order: [String])
    /// Concatenates the operands along `axes[i]` of operand `i` into axis `into`.
    case concat(axes: [String], into: String)
    /// Keeps positions `start..<end` of `axis`, optionally renaming it.
    case slice(axis: String, start: Int, end: Int, renamed: String?)
    /// Selects one position of `axis`, removing it.
    case index(axis: String, position: Int)
    /// Looks up positions of the table's `axis` with the i32 indices (second operand).
    case gather(axis: String)
    /// Extracts sliding windows (zero padding).
    case window([WindowAxis])
    /// Scatter-adds windows back (the transpose of `window`).
    case unwindow([UnwindowAxis])
  }
}
