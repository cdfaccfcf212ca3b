import CircuitAutodiff
import CircuitCodeGenC
import CircuitIR
import CircuitNative
import CircuitPipeline
import CircuitTraining
import TensorRuntime

/// Runs the entry's gradient program (training) and the entry itself (evaluation) on batches,
/// lowering, differentiating and, on the C backend, compiling once per batch size (a full
/// batch and a last partial one); the compiled library is called once per step.
///
/// On the C backend a step is one native call (`step`, `NativeModel.train`): the parameters
/// stay in `ResidentParameters` and the optimiser's buffers in `NativeOptimizerState` across
/// steps (made from the trainer's values and state, perhaps a resumed checkpoint's, on the
/// first step); each batch is copied in place into the binding's inputs, and the library runs
/// the gradient program, then the global norm, clipping and the optimiser update over the
/// resident parameters and buffers on its own pool (`CRuntime.optimizer`, the Swift
/// optimiser's arithmetic bit for bit). `settle` copies the parameters back into the trainer
/// (an epoch's end, Ctrl-C), and the optimiser's buffers for a checkpoint. The interpreter keeps `Trainer.update(with:)`.
final class TrainingEngine {

  /// The session (diagnostics, lowering, backends).
  let session: Session

  /// The checked program and its entry.
  let compilation: Compilation
  let entry: Entry

  /// Where programs run, and the C backend's plan.
  let backend: Backend
  let plan: LoweringPlan.Preset

  /// The memory budget checked before the first program runs, and the bytes of the
  /// optimiser's buffers (`Trainer.optimizerBufferBytes`) it counts beside the program's
  /// parameters, inputs and intermediates.
  let budget: MemoryBudget
  let optimizerBytes: Int

  /// The C backend's threads, and whether its libraries keep step timers (`bench --train`).
  var threads = 2
  var profiled = false

  /// The C program of the last gradient program compiled (its arena and flop count).
  private(set) var gradientProgram: CProgram?

  /// The loaded library of the last gradient program compiled.
  private(set) var gradientModel: NativeModel?

  /// The last gradient program compiled, as IR (what `gradientProgram` was emitted from).
  private(set) var gradientFunction: IR.Function?

  /// A program lowered for one batch size and, on the C backend, its loaded library.
  private struct Compiled {
    let function: IR.Function
    let native: NativeModel?
    var program: CProgram? = nil
  }

  /// The gradient programs and forward functions, by the shapes of their inputs.
  private var gradients: [[[Int]]: Compiled] = [:]
  private var forwards: [[[Int]]: Compiled] = [:]

  /// The C backend's parameters and optimiser buffers, resident across steps (from the first
  /// step on).
  private var resident: ResidentParameters?
  private var optimizerState: NativeOptimizerState?

  /// Each batch size's gradient program bound to the resident parameters.
  private var bindings: [Int: NativeModel.Binding] = [:]

  /// Creates an engine.
  init(
    session: Session, compilation: Compilation, entry: Entry, backend: Backend, plan: LoweringPlan.Preset,
    budget: MemoryBudget, optimizerBytes: Int
  ) {
    self.session = session
    self.compilation = compilation
    self.entry = entry
    self.backend = backend
    self.plan = plan
    self.budget = budget
    self.optimizerBytes = optimizerBytes
  }

  /// The loss and the gradients (in parameter order) of `batch`.
  func gradient(_ batch: [Tensor], _ parameters: [String: Tensor]) throws(Session.Failure) -> TrainingLoop.Gradients {
    let shapes = batch.map(\.shape)
    let compiled: Compiled
    if let known = gradients[shapes] {
      compiled = known
    } else {
      let forward = try lower(shapes)
      let program = try session.gradientProgram(of: forward.function, warning: gradients.isEmpty)
      compiled = try load(program.function, first: gradients.isEmpty && forwards.isEmpty)
      gradients[shapes] = compiled
    }
    let outputs = try run(compiled, batch, parameters)
    return (outputs[0].floats?.first ?? .nan, outputs.dropFirst().map { $0.floats ?? [] })
  }

  /// One update with the batch of `data` at `indices`: one native call on the C backend
  /// (resident parameters and optimiser buffers, the batch copied in place), else the
  /// interpreter's gradients and `Trainer.update(with:)`.
  func step(_ indices: [Int], of data: Dataset, _ trainer: inout Trainer) throws(Session.Failure)
    -> TrainingLoop.StepResult
  {
    guard backend == .c else {
      let (loss, g) = try gradient(data.batch(indices), trainer.parameters)
      return (loss, trainer.update(with: g))
    }
    let (model, binding) = try nativeGradient(indices, of: data, trainer)
    data.copyBatch(indices, to: data.tensors.indices.map { binding.input($0) })
    do throws(NativeError) {
      if optimizerState == nil {
        optimizerState = try trainer.nativeOptimizerState()
        trainer.state.buffers = [:]  // held natively from now on; `settle` copies them back
      }
      return try trainer.update(natively: model, binding, state: optimizerState!)
    } catch {
      throw session.fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// Brings `trainer.values` up to date with the resident parameters (after native steps)
  /// and, for a checkpoint, `trainer.state.buffers` with the optimiser's native buffers (a
  /// copy of them: evaluation needs only the parameters).
  func settle(_ trainer: inout Trainer, forCheckpoint: Bool) {
    if let resident { trainer.settle(from: resident.buffers) }
    if forCheckpoint, let optimizerState { trainer.settle(optimizer: optimizerState) }
  }

  /// The loaded gradient program for a batch of `indices.count` examples and its binding to
  /// the resident parameters (made from `trainer`'s values on the first call).
  private func nativeGradient(_ indices: [Int], of data: Dataset, _ trainer: Trainer) throws(Session.Failure)
    -> (NativeModel, NativeModel.Binding)
  {
    let shapes = zip(data.tensors, data.batchAxes).map { t, axis in
      var s = t.shape
      s[axis] = indices.count
      return s
    }
    if gradients[shapes] == nil {
      let forward = try lower(shapes)
      let program = try session.gradientProgram(of: forward.function, warning: gradients.isEmpty)
      gradients[shapes] = try load(program.function, first: gradients.isEmpty && forwards.isEmpty)
      (gradientProgram, gradientModel) = (gradients[shapes]!.program, gradients[shapes]!.native)
      gradientFunction = gradients[shapes]!.function
    }
    let compiled = gradients[shapes]!
    guard compiled.function.parameters.map(\.name) == trainer.names else {
      throw session.fail("the gradient program's parameters are not the trainer's", CommandLineTool.ExitCode.internalFailure)
    }
    if let known = bindings[indices.count] { return (compiled.native!, known) }
    do throws(NativeError) {
      let parameters: ResidentParameters
      if let resident { parameters = resident } else { parameters = try ResidentParameters(trainer.values) }
      resident = parameters
      let binding = try compiled.native!.bind(inputs: data.batch(indices), resident: parameters)
      bindings[indices.count] = binding
      return (compiled.native!, binding)
    } catch {
      throw session.fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// The entry's outputs on `batch`.
  func forward(_ batch: [Tensor], _ parameters: [String: Tensor]) throws(Session.Failure) -> [Tensor] {
    let shapes = batch.map(\.shape)
    if let known = forwards[shapes] { return try run(known, batch, parameters) }
    let compiled = try load(try lower(shapes).function, first: gradients.isEmpty && forwards.isEmpty)
    forwards[shapes] = compiled
    return try run(compiled, batch, parameters)
  }

  /// The entry lowered for inputs of `shapes`, checked to take them.
  private func lower(_ shapes: [[Int]]) throws(Session.Failure) -> Compiled {
    var given: [Int: [Int]] = [:]
    for (i, s) in shapes.enumerated() { given[i] = s }
    let f = try session.lower(compilation, entry, inputShapes: given)
    for (input, shape) in zip(f.inputs, shapes) where input.type.shape != shape {
      throw session.fail(
        "input '\(input.name)' has a batch of shape \(shape) but the circuit expects \(input.type)",
        CommandLineTool.ExitCode.sourceErrors)
    }
    return Compiled(function: f, native: nil)
  }

  /// `f` ready to run: on the C backend compiled and loaded; the `first` program is checked
  /// against the memory budget.
  private func load(_ f: IR.Function, first: Bool) throws(Session.Failure) -> Compiled {
    if first {
      try session.requireMemory(
        f, entry: entry, budget: budget, copies: backend == .c ? 2 : 1,
        beside: (optimizerBytes, "the optimiser's buffers"))
    }
    guard backend == .c else { return Compiled(function: f, native: nil) }
    let (model, program) = try session.loadNative(f, plan: .preset(plan, for: f, threads: threads), profiled: profiled)
    return Compiled(function: f, native: model, program: program)
  }

  /// Runs `compiled` on `batch` with `parameters`.
  private func run(_ compiled: Compiled, _ batch: [Tensor], _ parameters: [String: Tensor]) throws(Session.Failure)
    -> [Tensor]
  {
    guard let model = compiled.native else {
      return try session.interpret(compiled.function, inputs: batch, parameters: parameters)
    }
    let ordered = compiled.function.parameters.compactMap { parameters[$0.name] }
    do throws(NativeError) {
      return try model.run(inputs: batch, parameters: ordered)
    } catch {
      throw session.fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }
}
