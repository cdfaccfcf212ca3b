import CircuitSema

extension CostReport {

  /// The version of the JSON schema (README, "JSON").
  public static let schema = "circuit-cost/1"

  /// The report as JSON: the same nodes (and with `detail` instructions) as the text.
  public static func json(_ a: CostAnalysis, options: Options) -> JSONDocument {
    let shown = shownNodes(a, options)
    let position = Dictionary(uniqueKeysWithValues: shown.enumerated().map { ($1, $0) })
    let nodes: [JSONDocument] = shown.map { n in
      let node = a.concrete.nodes[n]
      var members: [JSONDocument.Member] = [
        .init("key", .string(node.key)), .init("label", .string(node.label)), .init("depth", .int(node.depth)),
        .init("children", .array(node.children.compactMap { position[$0] }.map { .int($0) })),
        .init("cost", costJSON(node.total)),
      ]
      if let s = a.symbolic { members.append(.init("polynomials", s.nodes[node.key].map(polynomialsJSON) ?? .null)) }
      if options.detail {
        members.append(
          .init(
            "instructions",
            .array(
              detailed(a, node).map { i in
                var m: [JSONDocument.Member] = [
                  .init("index", .int(i)), .init("op", .string(a.function.instructions[i].op.text)),
                  .init("cost", costJSON(a.concrete.instructionCosts[i])),
                ]
                if let s = a.symbolic { m.append(.init("polynomials", polynomialsJSON(s.instructionCosts[i]))) }
                return .object(m)
              })))
      }
      return .object(members)
    }
    var top: [JSONDocument.Member] = [
      .init("schema", .string(schema)), .init("entry", .string(a.function.name)),
      .init("sizes", .object(a.sizes.map { .init($0.name, .int($0.value)) })),
    ]
    if let s = a.symbolic {
      top.append(
        .init(
          "symbolic",
          .object([
            .init("symbols", .array(s.symbols.map { .string($0) })),
            .init("loopCounts", .array(s.structural.map { .string($0) })),
            .init("held", .array(s.held.map { .string($0) })),
            .init("nonPolynomial", .array(s.nonPolynomial.map { .string($0) })),
          ])))
    }
    top.append(.init("nodes", .array(nodes)))
    return .object(top)
  }

  /// A cost's fields by their JSON keys.
  static func costJSON(_ c: Cost<Int>) -> JSONDocument {
    .object(c.fields.map { .init($0.key, .int($0.value)) })
  }

  /// A symbolic cost's fields as expressions in the source's syntax (`4*b*t*m^2`); `null`
  /// where unknown.
  static func polynomialsJSON(_ c: Cost<Polynomial>) -> JSONDocument {
    .object(c.fields.map { .init($0.key, polynomialJSON($0.value)) })
  }

  /// A polynomial in the source's syntax; `null` when unknown.
  static func polynomialJSON(_ p: Polynomial) -> JSONDocument { p.size.map { .string($0.description) } ?? .null }
}
