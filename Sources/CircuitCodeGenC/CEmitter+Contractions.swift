import CircuitIR

/// How one contraction is emitted, decided once for the whole program before any step is
/// written: the plan's kind when the shapes and buffer layouts allow it, with what that kind
/// needs; otherwise the packed GEMM. The emitter never falls back from one kind to another.
enum ContractionStep {
  /// A plain loop nest.
  case loops
  /// The packed GEMM (batched, blocked or over a padded convolution input as it fits), in
  /// the form chosen before emission.
  case gemm(GEMMForm)
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

  /// Decides, before any step is written, how each contraction is emitted, which values the
  /// contractions' steps finish in place (their epilogues), which sums their operands' steps
  /// add up, and which of the others read their operand as rows of their kept elements.
  func resolve() {
    contractions = resolveContractions()
    inPlace = Set(contractions.compactMap(\.inPlaceEpilogue))
    // Layouts read as the emission reads them (`program`).
    AffineView.$keepsUnitAxes.withValue(sizeForm == .symbolic) {
      columnSumReaders = resolveColumnSums()
      columnSumReads = resolveColumnSumReads()
    }
  }

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
    case .gemm: .gemm(gemmForm(i, axes: axes))
    case .matrixVector: matrixVectorShape(i, axes: axes).map { .matrixVector($0) } ?? .gemm(gemmForm(i, axes: axes))
    case .winograd: winogradLayout(i, axes: axes).map { .winograd($0) } ?? .gemm(gemmForm(i, axes: axes))
    // `validatedStreaming` left this kind only where a group ends.
    case .streamedAttention: AttentionGroup.match(f, at: i).map { .streamedAttention($0) } ?? .loops
    }
  }

  /// The plan as it is emitted (`LoweringPlan.resolved(for:)`): every contraction's kind,
  /// epilogue finished in place and packing of B, and the sums added up by their operands' steps.
  func resolvedPlan() -> LoweringPlan {
    var resolved = plan
    for (i, step) in contractions.enumerated() {
      if resolved.steps[i].contraction != .loops { resolved.steps[i].contraction = step.kind }
      resolved.steps[i].epilogue = step.inPlaceEpilogue
      resolved.steps[i].sharedPanels = step.packsSharedPanels
      resolved.steps[i].columnSums = columnSumReaders[i]
    }
    return resolved
  }
}

extension ContractionStep {

  /// The value this contraction's step finishes in place, if any.
  var inPlaceEpilogue: Int? {
    switch self {
    case .gemm(let form): form.epilogue?.j
    case .winograd(let layout): layout.epilogue?.0
    case .loops, .matrixVector, .streamedAttention, .bySize: nil
    }
  }

  /// Whether this contraction's step packs B once for every part (`GEMMForm.sharedPanels`).
  var packsSharedPanels: Bool {
    switch self {
    case .gemm(let form): form.sharedPanels
    case .loops, .matrixVector, .winograd, .streamedAttention, .bySize: false
    }
  }

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

  /// This plan as the C backend emits it for `f`: every contraction's kind (a matrix-vector
  /// or Winograd contraction whose shapes or buffer layouts do not allow that kind is a
  /// GEMM), each contraction's `epilogue` only where its step finishes it in place,
  /// `sharedPanels` only where a GEMM packs B once for every part, and `columnSums` only
  /// where the value's step adds them up. Emitting either plan gives the same program.
  public func resolved(for f: IR.Function) -> LoweringPlan {
    FunctionEmitter(f, plan: self).resolvedPlan()
  }
}
