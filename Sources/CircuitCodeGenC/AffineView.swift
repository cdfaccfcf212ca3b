import CircuitIR

/// A value read straight out of a buffer: element `[…]` is at `offset + Σ stride(axis) · index`.
///
/// Inputs, parameters and materialised values are affine with contiguous strides; renames,
/// transposes, splits, slices and indexing keep a view affine; a merge does when its axes are
/// adjacent in memory. Anything else is computed, not viewed.
struct AffineView: Hashable {

  /// The buffer read.
  let buffer: BufferName

  /// The element offset of index zero.
  let offset: Int

  /// The stride of each axis of the viewed value, by axis name.
  let strides: [String: Int]

  /// The contiguous view of a buffer holding a value of type `type`.
  static func contiguous(_ buffer: BufferName, _ type: IR.TensorType) -> AffineView {
    var strides: [String: Int] = [:]
    var s = 1
    for a in type.axes.reversed() {
      strides[a.name] = s
      s *= a.size
    }
    return AffineView(buffer: buffer, offset: 0, strides: strides)
  }

  /// The view through `op` (of result type `result`, operand type `operand`), if still affine.
  func through(_ op: IR.Op, operand: IR.TensorType, result: IR.TensorType) -> AffineView? {
    switch op {
    case .rename(let from, let to):
      var out: [String: Int] = [:]
      for a in operand.axes {
        let name = from.firstIndex(of: a.name).map { to[$0] } ?? a.name
        out[name] = strides[a.name]!
      }
      return AffineView(buffer: buffer, offset: offset, strides: out)
    case .transpose:
      return self
    case .split(let axis, let into):
      var out = strides
      out[axis] = nil
      var s = strides[axis]!
      for a in into.reversed() {
        out[a.name] = s
        s *= a.size
      }
      return AffineView(buffer: buffer, offset: offset, strides: out)
    case .merge(let axes, let into):
      for (a, b) in zip(axes, axes.dropFirst()) {
        if strides[a]! != strides[b]! * operand.axis(b)!.size { return nil }
      }
      return merging(axes, into: into)
    case .slice(let axis, let start, _, let renamed):
      var out = strides
      let s = out.removeValue(forKey: axis)!
      out[renamed ?? axis] = s
      return AffineView(buffer: buffer, offset: offset + start * s, strides: out)
    case .index(let axis, let position):
      var out = strides
      let s = out.removeValue(forKey: axis)!
      return AffineView(buffer: buffer, offset: offset + position * s, strides: out)
    default:
      return nil
    }
  }

  /// The view with `axes` replaced by `into`, whose stride is that of `axes`' last (a unit step
  /// inside its runs). Exact only when `axes` are adjacent in memory; otherwise an estimate of
  /// the access pattern, good for ordering loops but never for addressing.
  func merging(_ axes: [String], into: String) -> AffineView {
    var out = strides
    for a in axes { out[a] = nil }
    out[into] = strides[axes.last!]!
    return AffineView(buffer: buffer, offset: offset, strides: out)
  }

  /// Whether `collapsedStride` keeps axes of size 1: while a program is emitted with symbolic
  /// sizes (`FunctionEmitter.program`), so that a run of size 1 at some sizes only (a GEMM's M
  /// of a batch of 1) has the stride it has at every other size rather than 0 (one program
  /// structure; the stride of an axis of size 1 is never applied to an index other than 0).
  @TaskLocal static var keepsUnitAxes = false

  /// The single stride of `group` (ordered, outermost first) if its axes are laid out as one
  /// contiguous run (each stride the next one's times its size); 0 for an empty group. Axes
  /// of size 1 are left out unless `keepsUnitAxes`.
  func collapsedStride(_ group: [IR.Axis]) -> Int? {
    let g = AffineView.keepsUnitAxes ? group : group.filter { $0.size > 1 }
    guard let last = g.last else { return 0 }
    for (a, b) in zip(g, g.dropFirst()) where strides[a.name]! != strides[b.name]! * b.size {
      return nil
    }
    return strides[last.name]!
  }
}

/// A buffer the generated code reads or writes.
enum BufferName: Hashable {
  /// Entry input `i` (`ctx->inputs[i]`).
  case input(Int)
  /// Parameter `i` (`ctx->params[i]`).
  case parameter(Int)
  /// The buffer of instruction `i` (in the arena, or an output buffer).
  case value(Int)
  /// Temporary `i` of the memory plan (packed operands).
  case temporary(Int)
}
