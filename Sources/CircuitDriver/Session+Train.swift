import CircuitIR
import CircuitPipeline
import CircuitTraining
import TensorRuntime

extension Session {

  /// Runs the `train` subcommand's pipeline; returns the exit code.
  func trainPipeline(
    _ options: TrainCommand.Options, progress: inout TrainingProgress
  ) -> Int32 {
    do throws(Failure) {
      try requireConsistent(options)
      let c = try compile()
      let entry = try entry(of: c)
      let budget = MemoryBudget.make(limit: options.memoryLimit, available: Platform.availableMemory)
      let given = try readInputs(options.inputs, entry: entry, compilation: c, limit: budget.bytes).mapValues(\.tensor)
      let whole = try lower(c, entry, inputShapes: given.mapValues(\.shape))
      let data = try dataset(given, of: whole, axis: options.batchAxis, what: "--input")
      let evaluation = options.evalInputs.isEmpty
        ? nil
        : try dataset(
          readInputs(options.evalInputs, entry: entry, compilation: c, limit: budget.bytes).mapValues(\.tensor), of: whole,
          axis: options.batchAxis, what: "--eval-input")
      let plan = BatchPlan(
        exampleCount: data.exampleCount, batchSize: options.batchSize,
        shuffleSeed: options.shuffle ? options.seed : nil, keepsPartialBatch: !options.dropLast)
      guard plan.batchesPerEpoch > 0 else {
        throw fail(
          "--drop-last leaves no batch: \(data.exampleCount) examples, batch size \(options.batchSize)",
          CommandLineTool.ExitCode.usage)
      }
      var (trainer, completed) = try startingTrainer(
        whole, options, totalSteps: plan.batchesPerEpoch * options.epochs, limit: budget.bytes)
      for path in [options.save, options.log].compactMap({ $0 }) { try requireOutputPath(path) }
      let engine = TrainingEngine(
        session: self, compilation: c, entry: entry, backend: options.backend, plan: options.plan, budget: budget,
        optimizerBytes: trainer.optimizerBufferBytes)
      let format = TrainingLog.Format(fileName: options.log ?? "")
      var log = TrainingLog.header(format)
      var epochLoss = 0.0
      var epochExamples = 0
      progress.flushWarnings(self)
      progress.begin(afterSteps: trainer.state.step)
      if completed >= options.epochs {
        progress.line("nothing to do: \(completed) of \(options.epochs) epochs already done")
      }
      if progress.live { TrainingInterrupt.install() }
      defer { if progress.live { TrainingInterrupt.uninstall() } }
      var lastStep: TrainingLoop.Step?
      do throws(Failure) {
        try TrainingLoop(data: data, plan: plan, epochs: options.epochs).run(
          &trainer, completedEpochs: completed,
          step: { indices, t throws(Failure) in try engine.step(indices, of: data, &t) },
          settle: { t throws(Failure) in engine.settle(&t, forCheckpoint: options.save != nil) }
        ) { event throws(Failure) in
          switch event {
          case .step(let s):
            log += TrainingLog.line(s, format)
            epochLoss += Double(s.loss) * Double(s.examples)
            epochExamples += s.examples
            progress.step(s, epochs: options.epochs)
            lastStep = s
            // The last batch of an epoch goes on to the epoch's end (evaluation, checkpoint).
            if progress.live && TrainingInterrupt.isRequested && s.batch < s.batchCount {
              throw Failure(code: TrainingInterrupt.exitCode)
            }
          case .epochEnded(let epoch, let t):
            var summary = "epoch \(epoch)/\(options.epochs): train loss \(TrainingProgress.fixed(epochLoss / Double(epochExamples)))"
            if let evaluation {
              let e = try Evaluation.run(evaluation, batchSize: options.batchSize) { batch throws(Failure) in
                try engine.forward(batch, t.parameters)
              }
              log += TrainingLog.line(e, epoch: epoch, step: t.state.step, format)
              summary += ", eval loss \(TrainingProgress.fixed(e.loss))"
              if let m = e.metric { summary += ", eval \(whole.outputName(1) ?? "metric") \(TrainingProgress.fixed(m))" }
            }
            summary += ", step \(t.state.step), \(Int(progress.rate)) examples/s, \(TrainingProgress.fixed(progress.elapsed)) s"
            if let path = options.log { try writeOutput(Array(log.utf8), to: path) }
            if let path = options.save {
              let (tensors, metadata) = TrainingCheckpoint.tensors(of: t, epochs: epoch)
              try writeSafeTensors(tensors, metadata: metadata, to: path)
            }
            progress.line(summary)
            (epochLoss, epochExamples) = (0, 0)
            if progress.live && TrainingInterrupt.isRequested { throw Failure(code: TrainingInterrupt.exitCode) }
          }
        }
      } catch where error.code == TrainingInterrupt.exitCode {
        engine.settle(&trainer, forCheckpoint: true)  // copied back mid-epoch
        return try interrupted(trainer, after: lastStep, options, log: log, progress: &progress)
      }
      completed = max(completed, options.epochs)
      if let path = options.save { progress.line("saved \(path) (\(completed) epochs, \(trainer.state.step) steps)") }
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }

  /// After Ctrl-C (between steps): writes the log and a checkpoint of `trainer` (its step count
  /// and the epochs completed before the interrupted one) to `--save` or, without it, to
  /// `<entry file>.interrupted.safetensors` in the current directory, atomically; says where;
  /// returns `TrainingInterrupt.exitCode`. `--resume` from it restarts the interrupted epoch
  /// at its first batch.
  func interrupted(
    _ trainer: Trainer, after step: TrainingLoop.Step?, _ options: TrainCommand.Options, log: String,
    progress: inout TrainingProgress
  ) throws(Failure) -> Int32 {
    let completed = step.map { $0.batch == $0.batchCount ? $0.epoch : $0.epoch - 1 } ?? 0
    if let path = options.log { try writeOutput(Array(log.utf8), to: path) }
    let name = options.common.files.first?.split(separator: "/").last ?? "train"
    let path = options.save ?? (name.split(separator: ".").first.map(String.init) ?? "train") + ".interrupted.safetensors"
    if options.save == nil { try requireOutputPath(path) }
    let (tensors, metadata) = TrainingCheckpoint.tensors(of: trainer, epochs: completed)
    try writeSafeTensors(tensors, metadata: metadata, to: path)
    let at = step.map { "epoch \($0.epoch), batch \($0.batch)/\($0.batchCount), step \($0.step)" } ?? "the start"
    progress.line("interrupted at \(at): saved \(path) (\(completed) epochs, \(trainer.state.step) steps)")
    stderr += "Error: interrupted (Ctrl-C); resume with --resume \(path)\n"
    return TrainingInterrupt.exitCode
  }

  /// Fails on options that contradict each other.
  func requireConsistent(_ options: TrainCommand.Options) throws(Failure) {
    if options.inputs.isEmpty {
      throw fail("'train' needs data: give --input NAME=x.npy or --input data.npz", CommandLineTool.ExitCode.usage)
    }
    if options.params != nil && options.resume != nil {
      throw fail("--params and --resume both give the starting parameters: give one", CommandLineTool.ExitCode.usage)
    }
    if let problem = options.optimization.problem { throw fail(problem, CommandLineTool.ExitCode.usage) }
  }

  /// The data set of `given` (every input of `f`, by position), cut along `axis`.
  func dataset(_ given: [Int: Tensor], of f: IR.Function, axis: String, what: String) throws(Failure) -> Dataset {
    var tensors: [Tensor] = []
    var axes: [Int] = []
    for (i, input) in f.inputs.enumerated() {
      guard let t = given[i] else {
        throw fail("\(what) gives no data for input '\(input.name)'; training needs every input", CommandLineTool.ExitCode.usage)
      }
      guard let position = input.type.position(of: axis), t.rank == input.type.axes.count else {
        throw fail(
          "input '\(input.name)' \(input.type) has no batch axis '\(axis)' (choose one with --batch-axis)",
          CommandLineTool.ExitCode.usage)
      }
      tensors.append(t)
      axes.append(position)
    }
    do throws(Dataset.Problem) {
      return try Dataset(tensors: tensors, names: f.inputs.map(\.name), batchAxes: axes)
    } catch {
      throw fail("\(what): \(error)", CommandLineTool.ExitCode.sourceErrors)
    }
  }

  /// The trainer of `f`'s parameters (from `--params`, `--resume` or the initialisers) and the
  /// epochs already completed.
  func startingTrainer(
    _ f: IR.Function, _ options: TrainCommand.Options, totalSteps: Int, limit: Int
  ) throws(Failure) -> (Trainer, Int) {
    let optimizer = options.optimization.value
    var state = OptimizerState()
    var completed = 0
    let parameters: [String: Tensor]
    if let path = options.resume {
      let file = try readNamedTensors(path, limit: limit)
      // Read in full: --save may replace it.
      inputFiles.removeAll { $0 == path }
      do throws(ParameterProblems) {
        parameters = try ParameterBinding.bind(f, file: file)
      } catch {
        throw fail("\(path): \(error)", CommandLineTool.ExitCode.sourceErrors)
      }
      do throws(TrainingCheckpoint.Problem) {
        (state, completed) = try TrainingCheckpoint.state(
          from: file, names: f.parameters.map(\.name), shapes: f.parameters.map(\.type.shape), method: optimizer.method)
      } catch {
        throw fail("\(path): \(error)", CommandLineTool.ExitCode.sourceErrors)
      }
    } else {
      parameters = try loadParameters(
        f, params: options.params, map: readParamMap(options.paramMap, for: f), seed: options.seed, limit: limit)
    }
    let trainer = Trainer(
      parameters: f.parameters.compactMap { p in parameters[p.name].map { (p.name, $0) } }, optimizer: optimizer,
      schedule: options.optimization.schedule(totalSteps: totalSteps), maximumGradientNorm: options.optimization.clip, state: state)
    return (trainer, completed)
  }
}
