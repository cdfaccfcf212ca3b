import CircuitDiagnostics
import CircuitIR

/// The memory a run may use, and the check of a lowered function against it before anything
/// is allocated.
///
/// Byte counts are summed with `IR.TensorType.checkedSum` and `byteCount`, so a size that
/// overflows is refused rather than wrapped.
public struct MemoryBudget {

  /// The most bytes the run may hold at once.
  public let bytes: Int

  /// Where `bytes` comes from, for messages (`available memory (MemAvailable)`, `--memory-limit`).
  public let origin: String

  /// The most elements one tensor may have (the CPU runtime's limit).
  public static let maximumElements = 1 << 31

  /// The budget: `limit` when given, else `available` (the memory the system reports free,
  /// measured by the caller, with where it comes from), else unlimited.
  public static func make(limit: Int?, available: (bytes: Int, origin: String)?) -> MemoryBudget {
    if let limit { return MemoryBudget(bytes: limit, origin: "--memory-limit") }
    if let (bytes, origin) = available { return MemoryBudget(bytes: bytes, origin: origin) }
    return MemoryBudget(bytes: Int.max, origin: "no known limit")
  }

  /// The first value computed by `f` that has more elements than the CPU runtime handles, as
  /// a located error; nil when every value fits.
  public static func oversizedValue(in f: IR.Function) -> Diagnostic? {
    guard let ins = f.instructions.first(where: { $0.type.count > maximumElements }) else { return nil }
    return Diagnostic(.tensorTooLarge, "this value has \(ins.type.count == Int.max ? "more than 2^63" : String(ins.type.count)) elements (\(ins.type)); the CPU runtime handles at most 2^31 per tensor",
      at: ins.site, notes: [Note("choose smaller sizes with --size or in 'sizes { }'")])
  }

  /// One named tensor the run holds.
  struct Holding {
    /// What it is, e.g. `parameter 'W'`.
    let name: String
    /// Its type.
    let type: IR.TensorType
    /// Where it is declared or computed.
    let site: SourceRange
  }

  /// Problems with running `f` in this budget, as located errors: a parameter or input over
  /// the per-tensor element limit, or a peak (every parameter and input, plus the largest
  /// simultaneously live intermediate values, times `copies` of parameters and inputs for
  /// backends that copy them, plus the bytes held `beside` the program, which a note names)
  /// over the budget, located at the largest tensor. Inputs whose instruction was removed are
  /// located at `entrySite`.
  public func problems(
    _ f: IR.Function, entrySite: SourceRange, copies: Int = 1, beside: (bytes: Int, what: String)? = nil
  ) -> [Diagnostic] {
    let extraBytes = beside?.bytes ?? 0
    let held =
      f.parameters.map { Holding(name: "parameter '\($0.name)'", type: $0.type, site: $0.site) }
      + f.inputs.enumerated().map { i, input in
        Holding(
          name: "input '\(input.name)'", type: input.type,
          site: f.instructions.first { if case .input(i, _) = $0.op { true } else { false } }?.site
            ?? entrySite)
      }
    var out: [Diagnostic] = []
    for h in held where (h.type.elementCount ?? Int.max) > MemoryBudget.maximumElements {
      out.append(
        Diagnostic(.tensorTooLarge, "\(h.name) \(h.type) has \(h.type.elementCount.map(String.init) ?? "more than 2^63") elements; the CPU runtime handles at most 2^31 per tensor",
          at: h.site, notes: [Note("choose smaller sizes with --size or in 'sizes { }'")]))
    }
    if !out.isEmpty { return out }
    let heldBytes = IR.TensorType.checkedSum(held.map { $0.type.byteCount ?? Int.max })
      .flatMap { IR.TensorType.checkedProduct([$0, copies]) }
    let (live, largest) = peakIntermediates(f)
    guard let total = heldBytes.flatMap({ IR.TensorType.checkedSum([$0, live, extraBytes]) }),
      total <= bytes
    else {
      let all = held + (largest.map { [$0] } ?? [])
      let top = all.max { ($0.type.byteCount ?? Int.max) < ($1.type.byteCount ?? Int.max) }!
      let amount = heldBytes.flatMap { IR.TensorType.checkedSum([$0, live, extraBytes]) }
        .map { "\($0) bytes" } ?? "more than 2^63 bytes"
      return [
        Diagnostic(.outOfMemory, "running this needs \(amount) at its peak, more than the \(bytes) bytes of \(origin); the largest tensor is \(top.name) \(top.type) (shape \(top.type.shape), \(top.type.byteCount.map { "\($0) bytes" } ?? "more than 2^63 bytes"))",
          at: top.site,
          notes: (beside.flatMap { $0.bytes > 0 ? [Note("\($0.bytes) bytes of it are \($0.what)")] : nil } ?? [])
            + [Note("choose smaller sizes with --size or in 'sizes { }', or set --memory-limit")])
      ]
    }
    return []
  }

  /// The most bytes of computed values (not parameters or inputs) live at once when each is
  /// freed after its last use, and the largest of them.
  private func peakIntermediates(_ f: IR.Function) -> (bytes: Int, largest: Holding?) {
    let n = f.instructions.count
    var lastUse = [Int](repeating: -1, count: n)
    for (i, ins) in f.instructions.enumerated() { for o in ins.operands { lastUse[o.index] = i } }
    for o in f.outputs { lastUse[o.index] = n }
    var live = 0
    var peak = 0
    var largest: Holding? = nil
    for (i, ins) in f.instructions.enumerated() {
      switch ins.op {
      case .input, .parameter: continue
      default: break
      }
      let b = ins.type.byteCount ?? Int.max
      live = IR.TensorType.checkedSum([live, b]) ?? Int.max
      peak = max(peak, live)
      if b > (largest?.type.byteCount ?? -1) {
        largest = Holding(name: "the value computed here", type: ins.type, site: ins.site)
      }
      for o in ins.operands where lastUse[o.index] == i {
        if case .input = f.instructions[o.index].op { continue }
        if case .parameter = f.instructions[o.index].op { continue }
        live -= f.instructions[o.index].type.byteCount ?? 0
      }
    }
    return (peak, largest)
  }
}
