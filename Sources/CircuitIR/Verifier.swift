extension IR.Function {

  /// The problems with the function's structure: operands defined before use, every type
  /// equal to its op's rule, distinct axis names, regions and outputs in range. Empty when
  /// the function is well formed. Run after every pass in tests and debug builds.
  public func verify() -> [String] {
    var problems: [String] = []
    for (i, ins) in instructions.enumerated() {
      let where_ = "%\(i) (\(ins.op.text))"
      for o in ins.operands where o.index >= i || o.index < 0 {
        problems.append("\(where_) uses \(o), which is not defined before it")
      }
      if Set(ins.type.names).count != ins.type.axes.count {
        problems.append("\(where_) has a repeated axis: \(ins.type)")
      }
      if ins.type.axes.contains(where: { $0.size <= 0 }) {
        problems.append("\(where_) has a non-positive size: \(ins.type)")
      }
      if let r = ins.region, r < 0 || r >= regions.count {
        problems.append("\(where_) refers to region \(r), which does not exist")
      }
      guard ins.operands.allSatisfy({ $0.index < i && $0.index >= 0 }) else { continue }
      switch ins.op {
      case .input, .parameter, .constant, .arange, .causal:
        if !ins.operands.isEmpty { problems.append("\(where_) is a leaf but has operands") }
      default:
        do throws(IR.TypeRuleError) {
          let expected = try IR.resultType(of: ins.op, operands: ins.operands.map(type(of:)))
          if expected != ins.type {
            problems.append("\(where_) has type \(ins.type) but its rule gives \(expected)")
          }
        } catch {
          problems.append("\(where_): \(error)")
        }
      }
    }
    for o in outputs where o.index < 0 || o.index >= instructions.count {
      problems.append("output \(o) is not defined")
    }
    return problems
  }
}
