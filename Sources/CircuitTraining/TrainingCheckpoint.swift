import TensorRuntime

/// A training checkpoint as named tensors: the parameters under their full names, then the
/// optimiser's buffers under reserved names (`@optimizer/<buffer>/<parameter>`, PyTorch's
/// buffer names), the number of updates done (`@optimizer/step`) and of epochs completed
/// (`@train/epoch`), both i32 scalars. Parameter names never start with `@`.
public enum TrainingCheckpoint {

  /// The reserved name of the update count.
  public static let stepName = "@optimizer/step"

  /// The reserved name of the count of completed epochs.
  public static let epochName = "@train/epoch"

  /// The reserved name of buffer `buffer` of parameter `parameter`.
  public static func bufferName(_ buffer: String, of parameter: String) -> String {
    "@optimizer/\(buffer)/\(parameter)"
  }

  /// The tensors of a checkpoint of `trainer` after `epochs` completed epochs, with metadata
  /// naming the optimiser.
  public static func tensors(of trainer: Trainer, epochs: Int) -> (
    tensors: [(name: String, tensor: Tensor)], metadata: [(key: String, value: String)]
  ) {
    var out = trainer.namedParameters
    let bufferNames = trainer.optimizer.method.bufferNames
    for (k, name) in trainer.names.enumerated() {
      guard let buffers = trainer.state.buffers[name], buffers.count == bufferNames.count else { continue }
      for (buffer, values) in zip(bufferNames, buffers) {
        out.append((bufferName(buffer, of: name), (try? Tensor(shape: trainer.shapes[k], floats: values))!))
      }
    }
    out.append((stepName, Tensor(scalar: Int32(clamping: trainer.state.step))))
    out.append((epochName, Tensor(scalar: Int32(clamping: epochs))))
    let metadata = [
      ("format", "circuit-train"), ("optimizer", trainer.optimizer.method.name), ("step", "\(trainer.state.step)"),
      ("epoch", "\(epochs)"),
    ]
    return (out, metadata)
  }

  /// Why a checkpoint's training state cannot be resumed.
  public struct Problem: Error, CustomStringConvertible, Sendable {

    /// The explanation.
    public let description: String
  }

  /// The optimiser state and completed epochs stored in `file` for parameters `names` with
  /// `shapes` and optimiser `method`; buffers absent for every parameter mean none were kept
  /// (e.g. a checkpoint of another optimiser is refused, one of plain weights starts afresh).
  ///
  /// - Throws: `Problem` when the step or epoch is missing or invalid, or buffers exist for
  ///   some parameters only or with other shapes.
  public static func state(
    from file: SafeTensorsFile, names: [String], shapes: [[Int]], method: Optimizer.Method
  ) throws(Problem) -> (state: OptimizerState, epochs: Int) {
    guard let step = file.tensor(named: stepName)?.int32s, step.count == 1, step[0] >= 0,
      let epoch = file.tensor(named: epochName)?.int32s, epoch.count == 1, epoch[0] >= 0
    else {
      throw Problem(description: "no valid '\(stepName)' and '\(epochName)' (i32 scalars): not a training checkpoint")
    }
    var state = OptimizerState(step: Int(step[0]))
    let bufferNames = method.bufferNames
    var found = 0
    for (name, shape) in zip(names, shapes) {
      var buffers: [[Float]] = []
      for buffer in bufferNames {
        guard let t = file.tensor(named: bufferName(buffer, of: name)) else { continue }
        guard t.shape == shape, let v = t.floats else {
          throw Problem(description: "'\(bufferName(buffer, of: name))' has shape \(t.shape), expected f32 \(shape)")
        }
        buffers.append(v)
      }
      if buffers.count == bufferNames.count && !buffers.isEmpty {
        state.buffers[name] = buffers
        found += 1
      } else if !buffers.isEmpty {
        throw Problem(description: "parameter '\(name)' has only some of the \(method.name) buffers")
      }
    }
    if !bufferNames.isEmpty && found != 0 && found != names.count {
      throw Problem(description: "\(method.name) buffers are stored for \(found) of \(names.count) parameters")
    }
    if !bufferNames.isEmpty && found == 0 && state.step > 0 {
      throw Problem(description: "the checkpoint has no \(method.name) buffers (\(bufferNames.joined(separator: ", "))): was it trained with another optimiser?")
    }
    return (state, Int(epoch[0]))
  }
}
