import TensorRuntime


extension IR {

  /// The elementwise functions of one operand.
  public enum UnaryFunction: String, Sendable, Hashable, CaseIterable {
    case negate = "neg", relu, gelu, geluTanh = "gelu_tanh", exp, log, tanh, sigmoid, sqrt
    case rsqrt, abs, sin, cos, silu, erf
    /// −1, 0 or 1 (0 for 0 and NaN). Not a language builtin: gradient programs use it for the
    /// derivatives of `relu`, `abs`, `max` and `min`.
    case sign
  }

  /// The elementwise functions of two operands.
  public enum BinaryFunction: String, Sendable, Hashable, CaseIterable {
    case add, subtract = "sub", multiply = "mul", divide = "div", power = "pow", maximum = "max"
    case minimum = "min"
  }

  /// The elementwise comparisons (two operands of one element type; the result is bool).
  public enum Comparison: String, Sendable, Hashable, CaseIterable {
    case equal = "eq", notEqual = "ne", less = "lt", lessEqual = "le", greater = "gt"
    case greaterEqual = "ge"
  }

  /// The elementwise functions of bool operands: `and`, `or` (two) and `not` (one).
  public enum Logic: String, Sendable, Hashable, CaseIterable {
    case and, or, not
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
    /// An elementwise comparison of two operands of one element type, broadcast by name;
    /// the result is bool (false < true when ordering bools; NaN compares unequal to all).
    case compare(Comparison)
    /// `and`/`or` of two bool operands broadcast by name, or `not` of one.
    case logic(Logic)
    /// The operand in another element type. f32 → i32 truncates toward zero (as C does) and
    /// saturates at the i32 range, NaN giving 0; to bool: nonzero is true (NaN too); from
    /// bool: true is 1.
    case convert(ElementType)
    /// The position (i32) of the first maximum (`minimum`: minimum) along `axis`, removing
    /// it; a NaN counts as the extremum at its first occurrence (numpy's `argmax`).
    case argExtremum(axis: String, minimum: Bool)
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
    /// Looks up positions of the table's `axis` with the i32 indices (second operand). Index
    /// axes that the table also has (other than `axis`) are shared batch axes: each batch
    /// position looks up in its own slice of the table (take-along-axis).
    case gather(axis: String)
    /// Extracts sliding windows (zero padding).
    case window([WindowAxis])
    /// Scatter-adds windows back (the transpose of `window`).
    case unwindow([UnwindowAxis])

    // MARK: Ops of gradient programs (never produced by lowering a circuit)

    /// Repeats the operand along the new `axes`, appended after its own.
    case broadcast(axes: [Axis])
    /// Writes the operand at positions `start..<start + n` of `axis`, grown to `size`, and zeros
    /// elsewhere. An operand without `axis` counts as having it with length 1 (appended last).
    case place(axis: String, size: Int, start: Int)
    /// The transpose of `gather(axis)`: adds each slice of the first operand into position
    /// `indices[…]` (second operand, i32) of a zero table whose `axis` has `size` positions.
    /// The result's axes are `axis` then the first operand's axes not in the indices, in order.
    case scatterAdd(axis: String, size: Int)
    /// An f32 mask of the operand's type: 1 at the first maximum over `axes` (first in the
    /// row-major order of those axes as the operand lays them out), 0 elsewhere.
    case firstMaximumMask(axes: [String])
    /// The adjoint of `layerNorm(axes, epsilon)` with respect to its operand: from the forward
    /// operand `x` and the normalised value's adjoint `dn` (second operand, `x`'s type),
    /// `(dn − mean[axes](dn) − n · mean[axes](dn · n)) / σ` with `n` and σ = √(var + epsilon)
    /// recomputed from `x` per row (biased variance).
    case layerNormAdjoint(axes: [String], epsilon: Double)
    /// The adjoint of `softmax(axes, log)` with respect to its operand, from the forward result
    /// `y` and its adjoint `dy` (second operand, `y`'s type), per row:
    /// `y · (dy − Σ[axes](y · dy))` for softmax, `dy − exp(y) · Σ[axes](dy)` for log-softmax.
    case softmaxAdjoint(axes: [String], log: Bool)
  }
}
