/// A transformation of a function that keeps its meaning.
public protocol IRPass: Sendable {

  /// The pass's name, shown when the verifier rejects its output (`PassPipeline.run`).
  var name: String { get }

  /// Transforms `function` in place.
  func run(_ function: inout IR.Function)
}

/// The passes run after lowering, in order.
public enum PassPipeline {

  /// The default pipeline.
  public static let standard: [any IRPass] = [FuseContractions(), EliminateDeadCode()]

  /// Runs `passes` on `function`; `afterEach` sees the function after each pass (for dumps
  /// and verification).
  public static func run(
    _ passes: [any IRPass], on function: inout IR.Function,
    afterEach: (String, IR.Function) -> Void = { _, _ in }
  ) {
    for p in passes {
      p.run(&function)
      afterEach(p.name, function)
    }
  }
}

/// Rewrites `sum[axes](a * b)` into `contract[axes](a, b)` when the product has no other use,
/// so the full product is never built.
public struct FuseContractions: IRPass {

  /// Creates the pass.
  public init() {}

  /// `fuse-contractions`.
  public var name: String { "fuse-contractions" }

  /// Rewrites every eligible reduction.
  public func run(_ f: inout IR.Function) {
    var uses = [Int](repeating: 0, count: f.instructions.count)
    for ins in f.instructions { for o in ins.operands { uses[o.index] += 1 } }
    for o in f.outputs { uses[o.index] += 1 }
    for (i, ins) in f.instructions.enumerated() {
      guard case .reduce(.sum, let axes) = ins.op, let product = ins.operands.first,
        uses[product.index] == 1, case .binary(.multiply) = f.instructions[product.index].op
      else { continue }
      let factors = f.instructions[product.index].operands
      f.instructions[i] = IR.Instruction(
        op: .contract(axes: axes), operands: factors, type: ins.type, site: ins.site, region: ins.region)
    }
  }
}

/// Removes instructions whose values are never used (parameters and inputs stay listed in
/// the function's signature), renumbering the rest.
public struct EliminateDeadCode: IRPass {

  /// Creates the pass.
  public init() {}

  /// `eliminate-dead-code`.
  public var name: String { "eliminate-dead-code" }

  /// Keeps what the outputs depend on.
  public func run(_ f: inout IR.Function) {
    var live = [Bool](repeating: false, count: f.instructions.count)
    for o in f.outputs { live[o.index] = true }
    for i in stride(from: f.instructions.count - 1, through: 0, by: -1) where live[i] {
      for o in f.instructions[i].operands { live[o.index] = true }
    }
    for (i, ins) in f.instructions.enumerated() {
      if case .input = ins.op { live[i] = true }
    }
    var newIndex = [Int](repeating: -1, count: f.instructions.count)
    var kept: [IR.Instruction] = []
    for (i, ins) in f.instructions.enumerated() where live[i] {
      newIndex[i] = kept.count
      kept.append(
        IR.Instruction(
          op: ins.op, operands: ins.operands.map { IR.Value(newIndex[$0.index]) }, type: ins.type,
          site: ins.site, region: ins.region))
    }
    f.instructions = kept
    f.outputs = f.outputs.map { IR.Value(newIndex[$0.index]) }
  }
}
