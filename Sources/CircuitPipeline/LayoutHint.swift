import CircuitIR

/// The `--param-map` layout to suggest for a stored tensor whose shape differs from the
/// declared one but has as many elements.
enum LayoutHint {

  /// A layout such as `(h k) m` whose dimensions have the sizes of `stored`: the declared axes
  /// reordered and grouped, consecutive axes merged major first. The reverse of the declared
  /// order is tried first (PyTorch's `[out in]` reverses a declared `[in out]`, and BERT's
  /// `[(h k) m]` a declared `[m k h]`), then every order by how few pairs of axes it swaps
  /// (a convolution's `[co ci kh kw]` from `[ci kh kw co]`). Shapes alone cannot tell
  /// equal-sized axes apart, so this is a suggestion; the declared order when nothing fits.
  static func suggest(stored: [Int], declared: IR.TensorType) -> String {
    let n = declared.axes.count
    guard n <= 7 else { return declared.names.joined(separator: " ") }
    var orders: [[Int]] = []
    var order = Array(0..<n)
    repeat { orders.append(order) } while nextPermutation(&order)
    /// The number of pairs of axes in the opposite order to the declared one.
    func inversions(_ o: [Int]) -> Int {
      var count = 0
      for i in o.indices { for j in o.indices where i < j && o[i] > o[j] { count += 1 } }
      return count
    }
    let ranked = [Array((0..<n).reversed())] + orders.enumerated()
      .sorted { (inversions($0.element), $0.offset) < (inversions($1.element), $1.offset) }.map(\.element)
    for o in ranked {
      if let groups = grouping(o.map { declared.axes[$0] }, into: stored) {
        return groups.map { $0.count == 1 ? $0[0] : "(" + $0.joined(separator: " ") + ")" }
          .joined(separator: " ")
      }
    }
    return declared.names.joined(separator: " ")
  }

  /// `axes` split into consecutive runs whose size products are `sizes`, or nil.
  static func grouping(_ axes: [IR.Axis], into sizes: [Int]) -> [[String]]? {
    var groups: [[String]] = []
    var k = 0
    for size in sizes {
      var group: [String] = []
      var product = 1
      repeat {
        guard k < axes.count else { return nil }
        product *= axes[k].size
        group.append(axes[k].name)
        k += 1
      } while product < size
      guard product == size else { return nil }
      groups.append(group)
    }
    return k == axes.count ? groups : nil
  }

  /// Advances `a` to the next permutation in lexicographic order; false after the last.
  static func nextPermutation(_ a: inout [Int]) -> Bool {
    guard let i = a.indices.dropLast().last(where: { a[$0] < a[$0 + 1] }) else { return false }
    let j = a.indices.last { a[$0] > a[i] }!
    a.swapAt(i, j)
    a[(i + 1)...].reverse()
    return true
  }
}
