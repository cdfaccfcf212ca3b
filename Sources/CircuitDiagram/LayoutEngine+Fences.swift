/// Fences kept clear of what they do not hold, after the vertical placement.
extension LayoutEngine {

  /// Keeps every fence clear of nodes and fences that are not inside it. A fence spans the
  /// columns of its members, so a non-member of a middle column placed within the fence's
  /// height would be drawn inside it (and under its title). At every nesting level, the
  /// children (sub-fences and nodes) get one top-to-bottom order, by their centres; any two
  /// that share a column are then kept apart by pushing the later one down, whole.
  mutating func keepOutsidersOut() {
    if graph.fences.isEmpty { return }
    let chains = nodes.indices.map { chain(nodes[$0].region) }
    // Units: a fence r is `r`, a node n is `-(n + 1)`.
    var members: [Int: [Int]] = [:]
    var levels: [Int?: [Int]] = [:]
    for n in nodes.indices {
      members[-(n + 1)] = [n]
      for r in chains[n] { members[r, default: []].append(n) }
      var child = -(n + 1)
      for r in chains[n] {
        if !(levels[r]?.contains(child) ?? false) { levels[r, default: []].append(child) }
        child = r
      }
      if !(levels[nil]?.contains(child) ?? false) { levels[nil, default: []].append(child) }
    }
    var span: [Int: (lo: Int, hi: Int)] = [:]
    for (u, ms) in members {
      let ls = ms.map { layer[$0] }
      span[u] = (ls.min()!, ls.max()!)
    }
    func margins(_ rs: ArraySlice<Int>) -> (above: Double, below: Double) {
      var a = 0.0, b = 0.0
      for r in rs {
        a += pad(r) + titleHeight(r)
        b += pad(r) + boundsBelow(r)
      }
      return (a, b)
    }
    func extents() -> [Int: (top: Double, bottom: Double)] {
      var e: [Int: (top: Double, bottom: Double)] = [:]
      for n in nodes.indices {
        e[-(n + 1)] = (top[n], top[n] + plans[n].height)
        for (k, r) in chains[n].enumerated() {
          let m = margins(chains[n][...k])
          let t = top[n] - m.above, b = top[n] + plans[n].height + m.below
          let x = e[r] ?? (t, b)
          e[r] = (min(x.top, t), max(x.bottom, b))
        }
      }
      return e
    }
    var e = extents()
    let ordered: [(parent: Int?, units: [Int])] = levels.keys.sorted { ($0 ?? -1) < ($1 ?? -1) }.map { p in
      let us = levels[p]!.sorted { a, b in
        let ca = e[a]!.top + e[a]!.bottom, cb = e[b]!.top + e[b]!.bottom
        return ca != cb ? ca < cb : a < b
      }
      return (p, us)
    }
    let saved = top
    for _ in 0..<400 {
      var moved = false
      for (_, us) in ordered where us.count > 1 {
        for j in us.indices.dropFirst() {
          let v = us[j]
          let sv = span[v]!
          var need = -Double.infinity
          for i in 0..<j {
            let u = us[i]
            let su = span[u]!
            guard su.lo <= sv.hi, sv.lo <= su.hi else { continue }
            let g = u < 0 && v < 0 ? gap(-u - 1, -v - 1) : Metrics.nodeGap * 0.5
            need = max(need, e[u]!.bottom + g)
          }
          let delta = need - e[v]!.top
          guard delta > 0.01 else { continue }
          for n in members[v]! { top[n] += delta }
          for n in members[v]! {
            e[-(n + 1)] = (top[n], top[n] + plans[n].height)
          }
          if v >= 0 {
            for (r, ms) in members where r >= 0 && chain(r).contains(v) {
              _ = ms
              e[r] = (e[r]!.top + delta, e[r]!.bottom + delta)
            }
          }
          moved = true
        }
      }
      if !moved { return }
      e = extents()
    }
    top = saved  // no fixed point: keep the plain placement
  }
}
