import CircuitIR

/// Axis bookkeeping shared by the exporters: permutations between named layouts.
enum AxisPermutation {

  /// The positions in `from` of `order` (each name of `order` must be in `from`).
  static func positions(_ order: [String], in from: [String]) -> [Int] {
    order.map { from.firstIndex(of: $0)! }
  }

  /// Whether `perm` is the identity.
  static func isIdentity(_ perm: [Int]) -> Bool { perm.enumerated().allSatisfy { $0.offset == $0.element } }

  /// The operand's axes that `result` also has, in `result`'s order: what a transpose of the
  /// operand must produce before missing axes are inserted (broadcast by name).
  static func kept(_ operand: [String], in result: [String]) -> [String] { result.filter(operand.contains) }

  /// The name of `axis` without the `#n` suffixes lowering adds to keep names apart
  /// (`b#1#2` → `b`): the name written in the source.
  static func baseName(_ axis: String) -> String { String(axis.prefix { $0 != "#" }) }

  /// For `merge(axes)`: the operand's axis order that brings the merged axes together where
  /// the first of them is (the interpreter's order).
  static func mergeOrder(_ t: IR.TensorType, merging axes: [String]) -> [Int] {
    let first = t.position(of: axes[0])!
    var order: [Int] = []
    for (i, a) in t.axes.enumerated() {
      if i == first { order += positions(axes, in: t.names) }
      if !axes.contains(a.name) { order.append(i) }
    }
    return order
  }

  /// For `gather(axis)`: the index axes the table also has (batch axes), the index's own
  /// axes, and the table's remaining axes, as the interpreter arranges them.
  static func gatherGroups(table: IR.TensorType, indices: IR.TensorType, axis: String)
    -> (shared: [String], own: [String], rest: [String])
  {
    let shared = indices.names.filter { table.position(of: $0) != nil }
    let own = indices.names.filter { table.position(of: $0) == nil }
    let rest = table.names.filter { $0 != axis && !shared.contains($0) }
    return (shared, own, rest)
  }

  /// For `unwindow`: the operand's axes other than the window axes, then the window axes.
  static func unwindowOrder(_ t: IR.TensorType, _ us: [IR.UnwindowAxis]) -> (kept: [String], windows: [String]) {
    let windows = us.map(\.window)
    return (t.names.filter { !windows.contains($0) }, windows)
  }
}
