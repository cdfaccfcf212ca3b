import CircuitIR

extension ONNXExporter {

  /// The 0/1 selection tensor `[input, grid, window]` of one windowed axis: 1 where input
  /// position `g·stride − pad + k·dilation` is `i` (padding selects nothing, so reads zero).
  static func selection(input: Int, grid: Int, window: Int, stride: Int, pad: Int, dilation: Int) -> [Float] {
    var s = [Float](repeating: 0, count: input * grid * window)
    for g in 0..<grid {
      for k in 0..<window {
        let i = g * stride - pad + k * dilation
        if i >= 0 && i < input { s[(i * grid + g) * window + k] = 1 }
      }
    }
    return s
  }

  /// `window`: per windowed axis, an `Einsum` with its selection tensor (exact: each result
  /// is one input element or zero), replacing the input axis by the grid in place and
  /// appending the window axis.
  mutating func window(_ x: String, _ t: IR.TensorType, _ ws: [IR.WindowAxis], output: String) -> String {
    var (value, names, sizes) = (x, t.names, t.shape)
    for (n, w) in ws.enumerated() {
      let p = names.firstIndex(of: w.input)!
      let grid = (sizes[p] + 2 * w.pad - w.dilation * (w.size - 1) - 1) / w.stride + 1
      let s = graph.floats(
        ONNXExporter.selection(input: sizes[p], grid: grid, window: w.size, stride: w.stride, pad: w.pad, dilation: w.dilation),
        dims: [sizes[p], grid, w.size], hint: "window_selection")
      var result = names
      result[p] = w.grid
      result.append(w.window)
      let equation = EinsumSubscripts.equation(names, [w.input, w.grid, w.window], result)!
      value = graph.add(
        "Einsum", [value, s], [.init(name: "equation", value: .string(equation))], output: n == ws.count - 1 ? output : nil)
      names = result
      sizes[p] = grid
      sizes.append(w.size)
    }
    return value
  }

  /// `unwindow`: the transpose of `window`, per axis an `Einsum` with the selection tensor
  /// summing over grid and window axes into the output axis (overlaps add, padding drops).
  mutating func unwindow(
    _ x: String, _ t: IR.TensorType, _ us: [IR.UnwindowAxis], out: IR.TensorType, output: String
  ) -> String {
    var (value, names, sizes) = (x, t.names, t.shape)
    for u in us {
      let p = names.firstIndex(of: u.grid)!
      let k = sizes[names.firstIndex(of: u.window)!]
      let size = out.axis(u.output)!.size
      let s = graph.floats(
        ONNXExporter.selection(input: size, grid: sizes[p], window: k, stride: u.stride, pad: u.pad, dilation: u.dilation),
        dims: [size, sizes[p], k], hint: "unwindow_selection")
      var result = names
      result[p] = u.output
      let w = result.firstIndex(of: u.window)!
      result.remove(at: w)
      let equation = EinsumSubscripts.equation(names, [u.output, u.grid, u.window], result)!
      value = graph.add("Einsum", [value, s], [.init(name: "equation", value: .string(equation))])
      names = result
      sizes[p] = size
      sizes.remove(at: w)
    }
    return graph.add("Transpose", [value], [.init(name: "perm", value: .ints(AxisPermutation.positions(out.names, in: names)))], output: output)
  }
}
