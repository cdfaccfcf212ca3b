import CircuitIR

/// Rules of the ops that move elements without arithmetic: each adjoint is the inverse view,
/// with zeros where the forward op dropped elements and sums where it repeated them.
extension AdjointBuilder {

  /// Merge ↔ split, rename back, and transpose/broadcast (reordering and summing are done by
  /// `accumulate`).
  mutating func reshapeRule(_ op: IR.Op, x: IR.Value, dy: IR.Value) {
    let t = function.type(of: x)
    switch op {
    case .merge(let axes, let into):
      accumulate(emit(.split(axis: into, into: axes.map { t.axis($0)! }), [dy]), into: x)
    case .split(let axis, let into):
      accumulate(emit(.merge(axes: into.map(\.name), into: axis), [dy]), into: x)
    case .rename(let from, let to):
      accumulate(emit(.rename(from: to, to: from), [dy]), into: x)
    case .transpose, .broadcast:
      accumulate(dy, into: x)
    default:
      preconditionFailure("\(op.text) is not a reshape")
    }
  }

  /// Concat → slices; slice and index → zero-padded placement; placement → slice or index.
  mutating func placementRule(_ op: IR.Op, operands: [IR.Value], dy: IR.Value) {
    switch op {
    case .concat(let axes, let into):
      var offset = 0
      for (k, operand) in operands.enumerated() {
        let n = function.type(of: operand).axis(axes[k])!.size
        let renamed = axes[k] == into ? nil : axes[k]
        accumulate(emit(.slice(axis: into, start: offset, end: offset + n, renamed: renamed), [dy]), into: operand)
        offset += n
      }
    case .slice(let axis, let start, _, let renamed):
      let size = function.type(of: operands[0]).axis(axis)!.size
      var g = dy
      if let renamed, renamed != axis { g = emit(.rename(from: [renamed], to: [axis]), [g]) }
      accumulate(emit(.place(axis: axis, size: size, start: start), [g]), into: operands[0])
    case .index(let axis, let position):
      let size = function.type(of: operands[0]).axis(axis)!.size
      accumulate(emit(.place(axis: axis, size: size, start: position), [dy]), into: operands[0])
    case .place(let axis, _, let start):
      if let n = function.type(of: operands[0]).axis(axis)?.size {
        accumulate(emit(.slice(axis: axis, start: start, end: start + n, renamed: nil), [dy]), into: operands[0])
      } else {
        accumulate(emit(.index(axis: axis, position: start), [dy]), into: operands[0])
      }
    default:
      preconditionFailure("\(op.text) is not a placement")
    }
  }

  /// Gather → scatter-add into the table (repeated indices accumulate), and back; the i32
  /// indices get nothing.
  mutating func lookupRule(_ op: IR.Op, operands: [IR.Value], dy: IR.Value) {
    let (table, indices) = (operands[0], operands[1])
    switch op {
    case .gather(let axis):
      let (t, ids) = (function.type(of: table), function.type(of: indices))
      let size = t.axis(axis)!.size
      let own = ids.names.filter { t.axis($0) == nil }
      guard own.count < ids.axes.count else {
        accumulate(emit(.scatterAdd(axis: axis, size: size), [dy, indices]), into: table)
        return
      }
      // Batch axes shared by table and indices: dW = Σ_own onehot[axis](ids) · dY.
      let positions = append(.arange(axis: axis), [], type: IR.TensorType(.float32, [IR.Axis(axis, size)]))
      let equal = emit(.compare(.equal), [indices, emit(.convert(.int32), [positions])])
      let hot = emit(.convert(.float32), [equal])
      accumulate(own.isEmpty ? mul(hot, dy) : emit(.contract(axes: own), [hot, dy]), into: table)
    case .scatterAdd(let axis, _):
      accumulate(emit(.gather(axis: axis), [dy, indices]), into: table)
    default:
      preconditionFailure("\(op.text) is not a lookup")
    }
  }

  /// `window` → `unwindow` (overlapping windows add) and back, with the same geometry; the
  /// output padding restores positions the windows never reached.
  mutating func windowRule(_ op: IR.Op, x: IR.Value, dy: IR.Value) {
    let t = function.type(of: x)
    let g = function.type(of: dy)
    switch op {
    case .window(let ws):
      let us = ws.map { w in
        let grid = g.axis(w.grid)!.size
        let reached = (grid - 1) * w.stride - 2 * w.pad + w.dilation * (w.size - 1) + 1
        return IR.UnwindowAxis(
          grid: w.grid, window: w.window, output: w.input, stride: w.stride, pad: w.pad,
          dilation: w.dilation, outputPad: t.axis(w.input)!.size - reached)
      }
      accumulate(emit(.unwindow(us), [dy]), into: x)
    case .unwindow(let us):
      let ws = us.map { u in
        IR.WindowAxis(
          input: u.output, grid: u.grid, window: u.window, size: t.axis(u.window)!.size,
          stride: u.stride, pad: u.pad, dilation: u.dilation)
      }
      accumulate(emit(.window(ws), [dy]), into: x)
    default:
      preconditionFailure("\(op.text) is not a window")
    }
  }
}
