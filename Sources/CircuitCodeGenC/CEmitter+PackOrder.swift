import CircuitIR

/// The loop order of a packing step: the packed layout is fixed, but its loops over the outer
/// axes (all but the innermost, which the store walks contiguously) run outermost-first by
/// the source's stride, largest first. The attention output `[b t (h k)]` packed as
/// `[t b][h k]` then walks `b` outside `t`, streaming the source's rows in order instead of
/// jumping 16 KiB between consecutive rows. Only the visiting order changes, so every element
/// is the same copy (or the same fused arithmetic) as before: results are bit-identical.
/// With symbolic sizes (a runtime-size template) the layout's order is kept: the strides'
/// order can change with the sizes (an axis of size 1 at one sample), and the template must
/// have one structure at every size.
extension FunctionEmitter {

  /// `axes` (the packed layout, outermost first) in the order the pack's loops should run.
  /// Unchanged when the source is not an affine read (a window, a gather), already in order,
  /// or the sizes are symbolic.
  func packLoopOrder(_ v: Int, _ axes: [IR.Axis]) -> [IR.Axis] {
    guard sizeForm == .literal, axes.count > 2, let reads = bufferReads(v, estimating: true), !reads.isEmpty else { return axes }
    /// The largest stride any read takes along axis `a` (0 when every read broadcasts it).
    func stride(_ a: IR.Axis) -> Int { reads.map { abs($0.strides[a.name] ?? 0) }.max()! }
    let outer = axes.dropLast().enumerated().sorted {
      let (s0, s1) = (stride($0.element), stride($1.element))
      return s0 != s1 ? s0 > s1 : $0.offset < $1.offset
    }
    return outer.map(\.element) + [axes.last!]
  }
}
