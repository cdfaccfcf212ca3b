import CircuitIR

extension NapkinGroups {

  /// The chains among `groups`: a contraction group whose only written value is read by one
  /// later contraction group alone, as its first-operand-side source over (batch, rows,
  /// contracted) axes — rows and batch matching — so that the second can consume it a
  /// column at a time.
  static func chains(
    _ groups: [Group], _ sources: [Int: [Int: Set<NapkinRole>]], _ p: PlanCost, _ f: IR.Function, _ M: Int,
    _ symbolic: SymbolicCost?
  ) -> [Chain] {
    let contractions = groups.filter { $0.kind == .contraction }
    let outputs = Set(f.outputs.map(\.index))
    var out: [Chain] = []
    for g1 in contractions {
      let c1 = g1.instruction
      guard p.steps[g1.step].writes == [c1], !outputs.contains(c1) else { continue }
      let readers = p.steps.indices.filter { k in p.steps[k].reads.contains { $0.value == c1 } }
      guard readers.count == 1, let g2 = contractions.first(where: { $0.step == readers[0] }),
        let roles = sources[g2.step]?[c1], roles.contains(.k), roles.isSubset(of: [.batch, .m, .k]),
        g2.m == g1.m, g2.batch == g1.batch, g2.k == g1.n
      else { continue }
      /// T's coefficients of both groups without the intermediate, split into words read
      /// once and once per row block.
      func split<T: CostScalar>(_ t1: Terms<T>, _ t2: Terms<T>, intermediate: T) -> (once: T, perBlock: T) {
        (
          t1.once - intermediate + t1.perColumn + t2.once - intermediate + t2.perColumn,
          t1.perRow + t1.perTile + t2.perRow + t2.perTile
        )
      }
      let words = f.instructions[c1].type.count
      let (once, perBlock) = split(g1.terms, g2.terms, intermediate: words)
      let block = max(1, min(g1.m, (M - g1.k - g2.n) / (g1.k + g2.n + 1)))
      let streamed = once + perBlock * ((g1.m + block - 1) / block)
      let compulsory = once + perBlock
      // The first contraction's operands start in slow memory: Hong and Kung's bound holds.
      let hongKung = NapkinIO.hongKung(batch: g1.batch, m: g1.m, n: g1.n, k: g1.k, words: M)
      let symbolicTerms: (Polynomial, Polynomial)? = symbolic.flatMap { s in
        guard let t1 = g1.symbolic?.terms, let t2 = g2.symbolic?.terms else { return nil }
        return split(t1, t2, intermediate: s.axisSizes[c1].reduce(Polynomial(1), *))
      }
      out.append(
        Chain(
          first: g1.step, second: g2.step, intermediate: c1, m: g1.m, k: g1.k, n: g2.n, once: once, perBlock: perBlock,
          symbolic: symbolicTerms.map { (once: $0.0, perBlock: $0.1) },
          hongKungNumerator: g1.symbolic.map { s in s.shape.reduce(Polynomial(2), *) }, block: block, streamed: streamed,
          materialised: g1.streamed + g2.streamed, compulsory: compulsory, lowerBound: max(compulsory, hongKung)))
    }
    return out
  }
}
