import CircuitDiagnostics
import CircuitIR
import CircuitSema

/// Lowers an elaborated entry circuit (`ElaboratedProgram`) to a flat `IR.Function`: it walks
/// the instance tree in order and turns its value flow into SSA instructions, inlining calls
/// (with hygienic renaming at their boundaries) and unrolling loops.
public final class Lowering {

  /// A value on the stack or bound to a name: one tensor or a tuple of tensors.
  enum Slot {
    case tensor(IR.Value)
    case tuple([IR.Value])

    /// The tensors in order.
    var segments: [IR.Value] {
      switch self {
      case .tensor(let v): [v]
      case .tuple(let vs): vs
      }
    }
  }

  /// The state of one circuit body being lowered.
  struct Frame {

    /// Value names to slots.
    var names: [String: Slot] = [:]

    /// Indexed memories.
    var memory: [String: [Int: IR.Value]] = [:]

    /// For a called body: callee axis name to the caller's name, for renaming results back.
    var calleeToCaller: [String: String] = [:]

    /// The values returned by the body, once it ends.
    var returned: [IR.Value] = []

    /// The number of regions opened by the body (popped when it ends).
    var regionDepth = 0
  }

  /// The function being built.
  var function: IR.Function

  /// The operand stack.
  var stack: [Slot] = []

  /// The bodies being lowered, innermost last.
  var frames: [Frame] = []

  /// The open regions, innermost last.
  var regionStack: [Int] = []

  /// Problems found (sizes not known, unsupported constructs, internal errors).
  var problems: [Diagnostic] = []

  /// A counter for fresh axis names.
  var fresh = 0

  /// Where internal errors without a better location are reported: the latest instruction's
  /// site, else the entry circuit's name.
  var lastSite: SourceRange

  /// Creates a lowering of the entry circuit named `name`, declared at `site`.
  private init(name: String, site: SourceRange) {
    function = IR.Function(
      name: name, inputs: [], parameters: [], instructions: [], outputs: [], regions: [])
    lastSite = site
  }

  /// The IR of `program`, or nil when it is incomplete or cannot be lowered; problems (sizes
  /// not known, unsupported constructs) are reported to `log`.
  public static func lower(
    _ program: ElaboratedProgram, reportingTo log: inout DiagnosticLog
  ) -> IR.Function? {
    let lowering = Lowering(name: program.name, site: program.site)
    lowering.lowerEntry(program)
    // An incomplete program stops where elaboration gave up, so the lowering's bookkeeping
    // is incomplete too: its internal errors would only be noise, so they are left out.
    let failed = !program.isComplete
      || lowering.problems.contains { !DiagnosticKind.internalLowering.matches($0) }
    for p in lowering.problems where !(failed && DiagnosticKind.internalLowering.matches(p)) { log.report(p) }
    guard !failed, lowering.problems.isEmpty else { return nil }
    return lowering.function
  }

  // MARK: - Building

  /// The current region, if any.
  var region: Int? { regionStack.last }

  /// Appends an instruction whose type follows from its operands.
  func emit(_ op: IR.Op, _ operands: [IR.Value], site: SourceRange) -> IR.Value {
    do throws(IR.TypeRuleError) {
      let type = try IR.resultType(of: op, operands: operands.map(function.type(of:)))
      return append(op, operands, type, site)
    } catch {
      problems.append(
        Diagnostic(.internalLowering, "internal error while lowering: \(error)", at: site))
      return append(op, [], IR.TensorType(.float32, []), site)
    }
  }

  /// Appends an instruction with the given type.
  func append(_ op: IR.Op, _ operands: [IR.Value], _ type: IR.TensorType, _ site: SourceRange)
    -> IR.Value
  {
    requireRepresentable(type, at: site)
    function.instructions.append(IR.Instruction(op: op, operands: operands, type: type, site: site, region: region))
    lastSite = site
    return IR.Value(function.instructions.count - 1)
  }

  /// The IR type of a checked type, whose sizes must all be constants.
  func concrete(_ t: TensorType, site: SourceRange) -> IR.TensorType {
    var axes: [IR.Axis] = []
    for a in t.axes {
      guard let n = a.size.constant else {
        let missing = a.size.symbols.joined(separator: ", ")
        problems.append(
          Diagnostic(.sizeNotKnown, "size of axis '\(a.name)' is \(a.size), which is not known",
            at: site, notes: [Note("give \(missing.isEmpty ? "the sizes" : missing) with --size or in 'sizes { }'")]))
        axes.append(IR.Axis(a.name, 1))
        continue
      }
      guard n > 0 else {
        problems.append(
          Diagnostic(.nonpositiveSize, "axis '\(a.name)' has size \(n) (\(a.size)); axis sizes must be positive",
            at: site))
        axes.append(IR.Axis(a.name, 1))
        continue
      }
      axes.append(IR.Axis(a.name, n))
    }
    return IR.TensorType(t.element, axes)
  }

  /// Reports (once per function) a type whose element or byte count overflows 64 bits: no
  /// backend can hold it, and every later count would be wrong.
  func requireRepresentable(_ type: IR.TensorType, at site: SourceRange) {
    guard type.byteCount == nil, !problems.contains(where: { DiagnosticKind.tensorTooLarge.matches($0) }) else { return }
    problems.append(
      Diagnostic(.tensorTooLarge, "this value (\(type)) has more elements than 64-bit arithmetic can count in bytes",
        at: site, notes: [Note("choose smaller sizes with --size or in 'sizes { }'")]))
  }

  /// Pops one slot.
  func pop() -> Slot {
    guard let s = stack.popLast() else {
      problems.append(Diagnostic(.internalLowering, "internal error: value stack underflow", at: lastSite))
      return .tuple([])
    }
    return s
  }

  /// Pops one tensor.
  func popTensor() -> IR.Value { pop().segments.first ?? IR.Value(0) }

  /// Pops slots until `count` tensors are collected, in push order.
  func popSegments(_ count: Int) -> [IR.Value] {
    var out: [IR.Value] = []
    while out.count < count, !stack.isEmpty { out = pop().segments + out }
    return out
  }

  /// Opens a region.
  func openRegion(_ kind: IR.Region.Kind, site: SourceRange) {
    function.regions.append(IR.Region(kind: kind, parent: region, site: site))
    regionStack.append(function.regions.count - 1)
    if !frames.isEmpty { frames[frames.count - 1].regionDepth += 1 }
  }

  /// Closes the innermost region.
  func closeRegion() {
    _ = regionStack.popLast()
    if !frames.isEmpty { frames[frames.count - 1].regionDepth -= 1 }
  }
}
