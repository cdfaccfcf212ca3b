import CircuitCodeGenC
import CircuitNative
import CircuitPipeline
import CircuitTraining
import TensorRuntime

extension BenchCommand {

  /// `bench --train`: times whole training steps (forward, backward and a plain SGD update at
  /// learning rate 0.01) through `TrainingEngine.step`, the path `circuit train` takes: one
  /// native call on the C backend (resident parameters, the batch copied in place, the
  /// optimiser in the library), the interpreter's
  /// gradients and the Swift optimiser on `interp`. The batch is every example: each input
  /// cut along its first axis.
  static func runTraining(_ o: Options, _ session: Session, _ data: Session.Prepared, into report: inout Report)
    throws(Session.Failure)
  {
    let f = data.function
    let dataset: Dataset
    do throws(Dataset.Problem) {
      dataset = try Dataset(tensors: data.inputs, names: f.inputs.map(\.name), batchAxes: f.inputs.map { _ in 0 })
    } catch {
      throw session.fail("bench --train cuts the batch along each input's first axis: \(error)", CommandLineTool.ExitCode.usage)
    }
    let indices = Array(0..<dataset.exampleCount)
    let budget = MemoryBudget.make(limit: nil, available: Platform.availableMemory)
    for backend in o.backends {
      var trainer = Trainer(
        parameters: f.parameters.compactMap { p in data.parameters[p.name].map { (p.name, $0) } },
        optimizer: Optimizer(.sgd(momentum: 0, nesterov: false)), schedule: LearningRateSchedule(base: 0.01))
      let engine = TrainingEngine(
        session: session, compilation: data.compilation, entry: data.entry, backend: backend, plan: o.plan,
        budget: budget, optimizerBytes: trainer.optimizerBufferBytes)
      engine.threads = o.threads
      engine.profiled = o.profile && backend == .c
      // The first step compiles and binds; the warm-up runs are further steps.
      _ = try engine.step(indices, of: dataset, &trainer)
      var flops = 0.0
      if let program = engine.gradientProgram {
        flops = program.flops
        if report.header.isEmpty { report.describe(program, unit: "per step") }
      }
      var warm: [(step: String, seconds: Double)] = []
      let times = try measure(o, afterWarmup: { warm = engine.gradientModel?.stepTimes() ?? [] }) {
        () throws(Session.Failure) in _ = try engine.step(indices, of: dataset, &trainer)
      }
      var run = Report.Run(backend, times, flops: flops)
      if o.profile, let steps = engine.gradientModel?.stepTimes() {
        let timed = steps.enumerated().map { k, s in (s.step, s.seconds - (k < warm.count ? warm[k].seconds : 0)) }
        run.profile = profile(timed, calls: times.count)
        if let g = engine.gradientFunction, let program = engine.gradientProgram {
          let plan = LoweringPlan.preset(o.plan, for: g, threads: o.threads)
          run.roofline = try roofline(g, plan: plan, program: program, timed: timed.map(\.1), calls: times.count, session)
        }
      }
      report.runs.append(run)
    }
  }
}
