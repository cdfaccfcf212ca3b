import CircuitDiagnostics
import CircuitSyntax

/// Builds an `ElaboratedProgram` while the checker elaborates: the checker reports each
/// step as it evaluates it, and the recorder nests the steps into blocks.
final class ElaborationRecorder {

  /// A block being recorded, with what is needed to close it.
  private enum Opening {
    case entry
    case call(callee: String, instance: [String], inputs: [(name: String, type: TensorType)],
      argumentCount: Int, bindings: [String: String], site: SourceRange)
    case group(name: String, site: SourceRange)
    case iteration(variable: String, value: Int, instance: String, site: SourceRange)
  }

  /// The open blocks, innermost last, each with its steps so far.
  private var blocks: [(opening: Opening, steps: [ElaboratedStep])] = [(.entry, [])]

  /// The entry's inputs, once its body begins.
  private var inputs: [ElaboratedInput] = []

  /// Records the entry's inputs.
  func entryBegins(_ inputs: [ElaboratedInput]) { self.inputs = inputs }

  /// Appends a step to the innermost block.
  func append(_ step: ElaboratedStep) { blocks[blocks.count - 1].steps.append(step) }

  /// Appends an expression step.
  func expression(_ kind: ElaboratedExpression.Kind, type: ValueType, site: SourceRange) {
    append(.expression(ElaboratedExpression(kind: kind, type: type, site: site)))
  }

  /// Opens the block of a call instance.
  func callBegins(
    _ callee: String, instance: [String], inputs: [(name: String, type: TensorType)],
    argumentCount: Int, bindings: [String: String], site: SourceRange
  ) {
    blocks.append(
      (.call(callee: callee, instance: instance, inputs: inputs, argumentCount: argumentCount,
        bindings: bindings, site: site), []))
  }

  /// Closes the innermost call block with the call's result (ignored when no call is open:
  /// the call's signature was unusable and an error is reported).
  func callEnds(result: ValueType) {
    guard case .call = blocks.last?.opening else { return }
    closeInnermost(result: result)
  }

  /// Opens a group block.
  func groupBegins(_ name: String, site: SourceRange) { blocks.append((.group(name: name, site: site), [])) }

  /// Opens the block of one loop iteration.
  func iterationBegins(variable: String, value: Int, instance: String, site: SourceRange) {
    blocks.append((.iteration(variable: variable, value: value, instance: instance, site: site), []))
  }

  /// Closes the innermost group or iteration block.
  func blockEnds() {
    guard blocks.count > 1 else { return }
    closeInnermost(result: .tuple([]))
  }

  /// Folds the innermost block into its parent as one step.
  private func closeInnermost(result: ValueType) {
    let (opening, steps) = blocks.removeLast()
    switch opening {
    case .entry: blocks.append((.entry, steps))
    case .call(let callee, let instance, let inputs, let argumentCount, let bindings, let site):
      append(
        .call(
          ElaboratedCall(
            callee: callee, instance: instance, inputs: inputs, argumentCount: argumentCount,
            bindings: bindings, body: steps, result: result, site: site)))
    case .group(let name, let site): append(.group(name: name, site: site, body: steps))
    case .iteration(let variable, let value, let instance, let site):
      append(
        .iteration(
          ElaboratedIteration(variable: variable, value: value, instance: instance, site: site, body: steps)))
    }
  }

  /// The recorded program; blocks left open by an error are closed.
  func program(
    name: String, circuit: String, site: SourceRange, outputNames: [String?], isComplete: Bool
  ) -> ElaboratedProgram {
    while blocks.count > 1 { closeInnermost(result: .tuple([])) }
    return ElaboratedProgram(
      name: name, circuit: circuit, site: site, inputs: inputs, outputNames: outputNames,
      body: blocks[0].steps, isComplete: isComplete)
  }
}
