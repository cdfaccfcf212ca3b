import CircuitIR

/// One timed step of a generated program (in `circuit_profile`'s order) and the memory its
/// code references: what cost analysis needs to count a step's bytes under the plan's
/// fusion (a fused value is read through its sources; only materialised buffers appear).
public struct CProgramStep: Sendable, Equatable {

  /// A buffer the step's code references.
  public struct Buffer: Sendable, Equatable {

    /// Where the buffer lives.
    public enum Kind: Sendable, Equatable {
      /// Entry input `index`.
      case input
      /// Parameter `index`.
      case parameter
      /// The value of instruction `index` (an arena buffer or an output).
      case value
      /// Scratch memory of the step (packed operands, padded copies), `index`-th temporary.
      case scratch
    }

    /// Where it lives.
    public let kind: Kind
    /// The input, parameter, instruction or temporary number.
    public let index: Int
    /// Its size in bytes.
    public let bytes: Int
    /// Whether the step writes it (its own value, an in-place epilogue, scratch).
    public let written: Bool
  }

  /// The timer's label (`circuit_profile`'s).
  public let label: String
  /// The instruction the step computes; nil for a copy into an output slot.
  public let instruction: Int?
  /// The buffers referenced, each once.
  public let buffers: [Buffer]
}

extension FunctionEmitter {

  /// The step record for the step just added, from the buffers touched since the last one.
  func stepRecord(label: String) -> CProgramStep {
    let instruction = current < f.instructions.count ? current : nil
    let epilogue = instruction.flatMap { plan.steps[$0].epilogue }.flatMap { inPlace.contains($0) ? $0 : nil }
    let own = Set([current] + (epilogue.map { [$0] } ?? []))
    let buffers = pendingTouches.sorted { "\($0)" < "\($1)" }.map { b -> CProgramStep.Buffer in
      switch b {
      case .input(let i): .init(kind: .input, index: i, bytes: f.inputs[i].type.byteCount, written: false)
      case .parameter(let i): .init(kind: .parameter, index: i, bytes: f.parameters[i].type.byteCount, written: false)
      case .value(let i):
        .init(kind: .value, index: i, bytes: f.instructions[i].type.byteCount, written: own.contains(i))
      case .temporary(let i): .init(kind: .scratch, index: i, bytes: temporaries[i], written: true)
      }
    }
    return CProgramStep(label: label, instruction: instruction, buffers: buffers)
  }
}

extension IR.TensorType {
  /// The bytes of a dense buffer of this type (bool as one byte, as the arena stores it).
  var byteCount: Int { max(1, count) * elementWidth }
}
