import CircuitIR

extension GraphBuilder {

  /// The axis bundles the function implies without declaring them (the paper's double lines):
  /// the input grid, output grid and kernel window of every `window` and `un-window` over two
  /// or more axes, followed through the renames at call boundaries in both directions, so
  /// that a grid keeps its double line under every name it is given (`h w`, `y1 x1`).
  /// Each bundle is its members' IR names in order.
  func inferredBundles() -> [[String]] {
    var bundles: [[String]] = []
    var known = Set<[String]>()
    func add(_ b: [String]) {
      guard b.count >= 2, Set(b).count == b.count, known.insert(b).inserted else { return }
      bundles.append(b)
    }
    var renames: [(from: [String], to: [String])] = []
    for ins in function.instructions {
      switch ins.op {
      case .window(let axes):
        add(axes.map(\.input))
        add(axes.map(\.grid))
        add(axes.map(\.window))
      case .unwindow(let axes):
        add(axes.map(\.grid))
        add(axes.map(\.window))
        add(axes.map(\.output))
      case .rename(let from, let to):
        renames.append((from, to))
      default:
        break
      }
    }
    guard !bundles.isEmpty else { return [] }
    // Follow renames until no new name sequence appears (each pass adds at least one of
    // finitely many sequences, or stops).
    var next = 0
    while next < bundles.count {
      let b = bundles[next]
      next += 1
      for r in renames {
        for (a, z) in [(r.from, r.to), (r.to, r.from)] {
          let mapped = b.compactMap { name in a.firstIndex(of: name).map { z[$0] } }
          if mapped.count == b.count { add(mapped) }
        }
      }
    }
    return bundles
  }
}
