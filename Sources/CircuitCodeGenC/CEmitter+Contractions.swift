import CircuitIR

/// How one contraction is emitted, decided once for the whole program before any step is
/// written: the plan's kind when the shapes and buffer layouts allow it, with what that kind
/// needs; otherwise the packed GEMM. The emitter never falls back from one kind to another.
enum ContractionStep {
  /// A plain loop nest.
  case loops
  /// The packed GEMM (batched, blocked or over a padded convolution input as it fits).
  case gemm
  /// Matrix times vector.
  case matrixVector(FunctionEmitter.MatrixVectorShape)
  /// Winograd's F(2×2, 3×3).
  case winograd(FunctionEmitter.WinogradLayout)
  /// The end of an attention group, streamed (the plan is validated: the group matches).
  case streamedAttention(AttentionGroup)
  /// Every kind the contraction takes at some sizes, chosen in C (symbolic sizes only).
  case bySize(ContractionRegimes)
}

extension FunctionEmitter {

  /// The way each instruction's contraction is emitted (`.loops` for other instructions):
  /// its layouts read as the emission reads them (`AffineView.keepsUnitAxes` with symbolic
  /// sizes), and a size-chosen kind checked against the literal program's.
  func resolveContractions() -> [ContractionStep] {
    f.instructions.indices.map { i in
      guard case .contract(let axes) = f.instructions[i].op else { return .loops }
      let emitted = AffineView.$keepsUnitAxes.withValue(sizeForm == .symbolic) {
        literalContraction(i, axes: axes, kind: plan.steps[i].contraction)
      }
      guard sizeForm == .symbolic, plan.steps[i].contractionBySize else { return emitted }
      // The kind the specialised program at these sizes has (the plan may be another
      // size's: a template's samples are emitted under the run's plan).
      let kind = LoweringPlan.contractionChoice(i, axes: axes, in: f, winogradOperand: false).kind
      let literal = AffineView.$keepsUnitAxes.withValue(false) { literalContraction(i, axes: axes, kind: kind) }
      return contractionRegimes(i, axes: axes, literal: literal).map { .bySize($0) } ?? emitted
    }
  }

  /// The way contraction `i` over `axes` is emitted with literal sizes as `kind`.
  func literalContraction(_ i: Int, axes: [String], kind: LoweringPlan.ContractionKind) -> ContractionStep {
    switch kind {
    case .loops: .loops
    case .gemm: .gemm
    case .matrixVector: matrixVectorShape(i, axes: axes).map { .matrixVector($0) } ?? .gemm
    case .winograd: winogradLayout(i, axes: axes).map { .winograd($0) } ?? .gemm
    // `validatedStreaming` left this kind only where a group ends.
    case .streamedAttention: AttentionGroup.match(f, at: i).map { .streamedAttention($0) } ?? .loops
    }
  }

  /// The plan with every contraction's kind as it is emitted (`LoweringPlan.resolved(for:)`).
  func resolvedPlan() -> LoweringPlan {
    var resolved = plan
    for (i, step) in contractions.enumerated() where resolved.steps[i].contraction != .loops {
      resolved.steps[i].contraction = step.kind
    }
    return resolved
  }
}

extension ContractionStep {

  /// The plan's kind for this way of emitting.
  var kind: LoweringPlan.ContractionKind {
    switch self {
    case .loops: .loops
    case .gemm: .gemm
    case .matrixVector: .matrixVector
    case .winograd: .winograd
    case .streamedAttention: .streamedAttention
    case .bySize(let regimes):
      switch regimes.kind {
      case .vector: .matrixVector
      case .gemm: .gemm
      case .loops: .loops
      }
    }
  }
}

extension LoweringPlan {

  /// This plan with every contraction's kind as the C backend emits it for `f`: a
  /// matrix-vector or Winograd contraction whose shapes or buffer layouts do not allow that
  /// kind is a GEMM. Emitting either plan gives the same program.
  public func resolved(for f: IR.Function) -> LoweringPlan {
    FunctionEmitter(f, plan: self).resolvedPlan()
  }
}
