import CircuitIR

extension ONNXExporter {

  /// The instructions that are windows used exactly once, by a max over their window axes
  /// (a max pooling) or by a contraction over them (a convolution), and contractions used
  /// exactly once, by an un-window (a transposed convolution): lowered with their use.
  static func fusableWindows(in f: IR.Function) -> Set<Int> {
    var uses = [Int](repeating: 0, count: f.instructions.count)
    var user = [Int](repeating: -1, count: f.instructions.count)
    for (i, ins) in f.instructions.enumerated() {
      for o in ins.operands {
        uses[o.index] += 1
        user[o.index] = i
      }
    }
    for o in f.outputs { uses[o.index] += 2 }
    var out: Set<Int> = []
    for (i, ins) in f.instructions.enumerated() {
      guard case .window(let ws) = ins.op, uses[i] == 1, ins.type.element == .float32 else { continue }
      let windows = Set(ws.map(\.window))
      switch f.instructions[user[i]].op {
      case .reduce(.max, let axes) where Set(axes) == windows: out.insert(i)
      case .contract(let axes) where windows.isSubset(of: axes) && f.instructions[user[i]].operands.count == 2:
        out.insert(i)
      default: break
      }
    }
    for (i, ins) in f.instructions.enumerated() {
      guard case .contract = ins.op, uses[i] == 1, ins.type.element == .float32,
        case .unwindow = f.instructions[user[i]].op
      else { continue }
      out.insert(i)
    }
    return out
  }

  /// A contraction of `x` (type `t`, symbolic `d`) with `kernel` over `axes` un-windowed by
  /// `us` as `ConvTranspose`: the window axes come from the kernel, the grids from `x`,
  /// contracted axes are input channels, axes both keep are groups. Nil when not of that form.
  mutating func transposedConvolution(
    _ us: [IR.UnwindowAxis], _ x: String, _ t: IR.TensorType, _ d: Set<String>, kernel: String, _ kt: IR.TensorType,
    axes: [String], out: IR.TensorType, output: String
  ) -> String? {
    let (windows, grids, outputs) = (us.map(\.window), us.map(\.grid), us.map(\.output))
    guard windows.allSatisfy({ kt.position(of: $0) != nil && t.position(of: $0) == nil }),
      grids.allSatisfy({ t.position(of: $0) != nil && kt.position(of: $0) == nil && !d.contains($0) }),
      axes.allSatisfy({ t.position(of: $0) != nil && kt.position(of: $0) != nil })
    else { return nil }
    let groups = t.names.filter { !axes.contains($0) && kt.position(of: $0) != nil }
    let batch = t.names.filter { !grids.contains($0) && !axes.contains($0) && !groups.contains($0) }
    let cout = kt.names.filter { !axes.contains($0) && !groups.contains($0) && !windows.contains($0) }
    guard !groups.contains(where: d.contains) else { return nil }
    let g = ONNXExporter.merged(groups, t, []).size
    let cin = ONNXExporter.merged(axes, t, []).size
    let arranged = transposed(x, AxisPermutation.positions(batch + groups + axes + grids, in: t.names))
    guard
      let input = reshaped(arranged, [ONNXExporter.merged(batch, t, d), (g * cin, false)] + grids.map { (t.axis($0)!.size, false) })
    else { return nil }
    let k = transposed(kernel, AxisPermutation.positions(groups + axes + cout + windows, in: kt.names))
    let cOut = ONNXExporter.merged(cout, kt, []).size
    guard let weights = reshaped(k, [(g * cin, false), (cOut, false)] + windows.map { (kt.axis($0)!.size, false) }) else {
      return nil
    }
    let pads = us.map(\.pad)
    let conv = graph.add(
      "ConvTranspose", [input, weights],
      [
        .init(name: "kernel_shape", value: .ints(windows.map { kt.axis($0)!.size })),
        .init(name: "strides", value: .ints(us.map(\.stride))), .init(name: "dilations", value: .ints(us.map(\.dilation))),
        .init(name: "pads", value: .ints(pads + pads)), .init(name: "output_padding", value: .ints(us.map(\.outputPad))),
        .init(name: "group", value: .int(g)),
      ])
    return unbatched(conv, batch + groups + cout + outputs, in: out, output: output)
  }

  /// `Reshape` of `x` to `dims` (each with its symbolic flag): -1 for the one symbolic
  /// dimension; nil when more than one is symbolic.
  mutating func reshaped(_ x: String, _ dims: [(size: Int, symbolic: Bool)]) -> String? {
    let symbolic = dims.filter(\.symbolic).count
    guard symbolic <= 1 else { return nil }
    return graph.add("Reshape", [x, graph.int64s(dims.map { $0.symbolic ? -1 : $0.size })])
  }

  /// The dimension merging `axes` of `t` (symbolic when one of them is in `d`).
  static func merged(_ axes: [String], _ t: IR.TensorType, _ d: Set<String>) -> (size: Int, symbolic: Bool) {
    (axes.reduce(1) { $0 * t.axis($1)!.size }, axes.contains(where: d.contains))
  }

  /// A window `w` (of `x`, type `t`, symbolic axes `d`) reduced by max over its window axes
  /// as `MaxPool` (zero padding made explicit by `Pad`, since the window pads with zeros):
  /// nil when the other axes do not merge into one batch dimension.
  mutating func maxPool(_ ws: [IR.WindowAxis], _ x: String, _ t: IR.TensorType, _ d: Set<String>, out: IR.TensorType, output: String)
    -> String?
  {
    let spatial = ws.map(\.input)
    let others = t.names.filter { !spatial.contains($0) }
    let arranged = transposed(x, AxisPermutation.positions(others + spatial, in: t.names))
    guard
      let batched = reshaped(
        arranged, [ONNXExporter.merged(others, t, d), (1, false)] + spatial.map { (t.axis($0)!.size, false) })
    else { return nil }
    var input = batched
    if ws.contains(where: { $0.pad > 0 }) {
      let pads = [0, 0] + ws.map(\.pad)
      input = graph.add("Pad", [batched, graph.int64s(pads + pads)])
    }
    let pooled = graph.add(
      "MaxPool", [input],
      [
        .init(name: "kernel_shape", value: .ints(ws.map(\.size))), .init(name: "strides", value: .ints(ws.map(\.stride))),
        .init(name: "dilations", value: .ints(ws.map(\.dilation))),
      ])
    let grids = ws.map(\.grid)
    return unbatched(pooled, others + grids, in: out, output: output)
  }

  /// `x` reshaped to the sizes of `names` in `out` and transposed into `out`'s order; nil
  /// when more than one of them is symbolic.
  /// (`out` is the type of the instruction being lowered, whose symbolic axes are known.)
  mutating func unbatched(_ x: String, _ axes: [String], in out: IR.TensorType, output: String) -> String? {
    let d = dynamic[names.count]
    guard let r = reshaped(x, axes.map { (out.axis($0)!.size, d.contains($0)) }) else { return nil }
    return graph.add("Transpose", [r], [.init(name: "perm", value: .ints(AxisPermutation.positions(out.names, in: axes)))], output: output)
  }

  /// Lowers `ins`, whose operand is a window (or contraction) left for it (`deferred`), as
  /// `MaxPool`, `Conv` or `ConvTranspose`; when it is not one after all, lowers the deferred
  /// instruction in the general form first.
  mutating func lowerWithWindow(_ ins: IR.Instruction, index: Int) throws(ExportError) -> String {
    let w = ins.operands.first { deferred.contains($0.index) }!.index
    deferred.remove(w)
    let window = function.instructions[w]
    if case .contract(let axes) = window.op, case .unwindow(let us) = ins.op {
      let (a, b) = (window.operands[0], window.operands[1])
      let (x, kernel) = function.type(of: a).position(of: us[0].grid) != nil ? (a, b) : (b, a)
      if let fused = transposedConvolution(
        us, names[x.index], function.type(of: x), dynamic[x.index], kernel: names[kernel.index], function.type(of: kernel),
        axes: axes, out: ins.type, output: "v\(index)")
      {
        return fused
      }
      names[w] = try lower(window, index: w)
      return try lower(ins, index: index)
    }
    guard case .window(let ws) = window.op else { return try lower(ins, index: index) }
    let source = window.operands[0]
    let (x, t, d) = (names[source.index], function.type(of: source), dynamic[source.index])
    let output = "v\(index)"
    var fused: String?
    switch ins.op {
    case .reduce: fused = maxPool(ws, x, t, d, out: ins.type, output: output)
    case .contract(let axes):
      let kernel = ins.operands.first { $0.index != w }!
      fused = convolution(
        ws, x, t, d, kernel: names[kernel.index], function.type(of: kernel), axes: axes, out: ins.type, output: output)
    default: fused = nil
    }
    if let fused { return fused }
    names[w] = self.window(x, t, ws, output: "v\(w)")
    return try lower(ins, index: index)
  }

  /// A window `ws` of `x` (type `t`, symbolic `d`) contracted over `axes` with `kernel` (type
  /// `kt`) as `Conv`: contracted non-window axes are input channels, the kernel's other axes
  /// output channels, axes kept by both groups (`group`), the input's other axes the batch.
  /// Nil when the contraction is not of that form.
  mutating func convolution(
    _ ws: [IR.WindowAxis], _ x: String, _ t: IR.TensorType, _ d: Set<String>, kernel: String, _ kt: IR.TensorType,
    axes: [String], out: IR.TensorType, output: String
  ) -> String? {
    let (spatial, windows, grids) = (ws.map(\.input), ws.map(\.window), ws.map(\.grid))
    let channels = axes.filter { !windows.contains($0) }
    guard channels.allSatisfy({ t.position(of: $0) != nil && kt.position(of: $0) != nil && !spatial.contains($0) }),
      windows.allSatisfy({ kt.position(of: $0) != nil }), !grids.contains(where: axes.contains)
    else { return nil }
    let groups = t.names.filter { !spatial.contains($0) && !channels.contains($0) && kt.position(of: $0) != nil }
    let batch = t.names.filter { !spatial.contains($0) && !channels.contains($0) && !groups.contains($0) }
    let cout = kt.names.filter { !axes.contains($0) && !groups.contains($0) }
    guard !groups.contains(where: d.contains), !cout.contains(where: { t.position(of: $0) != nil }) else { return nil }
    let g = ONNXExporter.merged(groups, t, []).size
    let cin = ONNXExporter.merged(channels, t, []).size
    let arranged = transposed(x, AxisPermutation.positions(batch + groups + channels + spatial, in: t.names))
    guard
      let input = reshaped(
        arranged, [ONNXExporter.merged(batch, t, d), (g * cin, false)] + spatial.map { (t.axis($0)!.size, false) })
    else { return nil }
    let k = transposed(kernel, AxisPermutation.positions(groups + cout + channels + windows, in: kt.names))
    let cOut = ONNXExporter.merged(cout, kt, []).size
    guard let weights = reshaped(k, [(g * cOut, false), (cin, false)] + windows.map { (kt.axis($0)!.size, false) }) else {
      return nil
    }
    let pads = ws.map(\.pad)
    let conv = graph.add(
      "Conv", [input, weights],
      [
        .init(name: "kernel_shape", value: .ints(ws.map(\.size))), .init(name: "strides", value: .ints(ws.map(\.stride))),
        .init(name: "dilations", value: .ints(ws.map(\.dilation))), .init(name: "pads", value: .ints(pads + pads)),
        .init(name: "group", value: .int(g)),
      ])
    return unbatched(conv, batch + groups + cout + grids, in: out, output: output)
  }
}
