/// Which groups the paper draws as dotted outlines rather than filled fences. A filled fence
/// is a module (the paper's notebook makes each its own `nn.Module`): it holds learned
/// parameters (Fig. 21's "Linear", Fig. 26's "Residual Component") or one operation (Fig.
/// 19's "SoftMax", Fig. 26's "AvgPool"). A group of several parameter-free operations is a
/// sub-algorithm written inline, which the paper marks with a dotted box (Fig. 28's
/// "Scaled Dot-Product Attention").
extension GraphBuilder {

  /// Marks every group of `g` that is a sub-algorithm (`Fence.outlinesSubAlgorithm`): a
  /// call inside it (fenced, or drawn by its pictograms without a fence) is one operation.
  static func markSubAlgorithms(_ g: inout DiagramGraph) {
    for r in g.fenceOrder where g.fences[r]?.style == .group {
      var steps = Set<Int>()  // a node of the group's own body, or `-(r + 1)` for a region `r` in it
      var learned = false
      for (i, node) in g.nodes.enumerated() {
        var region = node.region
        var child: Int? = nil
        while let x = region, x != r {
          child = x
          region = g.fences[x]?.parent
        }
        guard region == r else { continue }
        learned = learned || isLearned(node.kind)
        if let call = child ?? node.unfencedCall {
          steps.insert(-(call + 1))
        } else if isStep(node.kind) {
          steps.insert(i)
        }
      }
      g.fences[r]?.outlinesSubAlgorithm = !learned && steps.count > 1
    }
  }

  /// Whether a node of kind `kind` applies learned parameters.
  static func isLearned(_ kind: DiagramGraph.Kind) -> Bool {
    switch kind {
    case .linear, .parameter: true
    case .elementwise(_, let learned): learned
    case .collapsed(_, _, let learned, _): learned
    case .input, .output, .source, .combine, .contraction, .reduce, .softmax, .normalize, .merge, .split,
      .concat, .slice, .index, .gather, .window, .unwindow, .dummy, .memory:
      false
    }
  }

  /// Whether a node of kind `kind` is a step of a computation: not an interface, a stretch,
  /// a constant, a memory note or the dropping of size-1 axes (axis bookkeeping the paper
  /// draws as arrowheads).
  static func isStep(_ kind: DiagramGraph.Kind) -> Bool {
    switch kind {
    case .input, .output, .source, .index, .dummy, .memory: false
    case .parameter, .elementwise, .combine, .contraction, .linear, .reduce, .softmax, .normalize, .merge,
      .split, .concat, .slice, .gather, .window, .unwindow, .collapsed:
      true
    }
  }
}
