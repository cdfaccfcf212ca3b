import CircuitTraining
import TensorRuntime
import Testing

/// Each optimiser and option against values worked out by hand from PyTorch's definitions
/// (`p = 1`, `lr = 0.1`; see the comments).
@Suite struct OptimizerTests {

  /// `steps` updates of the single value 1 with the gradients `gradients`, one per update.
  static func run(_ optimizer: Optimizer, gradients: [Float], lr: Float = 0.1) -> Float {
    var p: [Float] = [1]
    var buffers: [[Float]] = []
    for (k, g) in gradients.enumerated() {
      optimizer.update(&p, gradient: [g], buffers: &buffers, learningRate: lr, step: k + 1)
    }
    return p[0]
  }

  /// Whether `x` is within 1e-6 relative of `expected`.
  static func close(_ x: Float, _ expected: Double) -> Bool {
    abs(Double(x) - expected) <= 1e-6 * abs(expected)
  }

  @Test func plainSGD() {
    // p − lr·g = 1 − 0.1·0.5
    #expect(Self.close(Self.run(Optimizer(.sgd(momentum: 0, nesterov: false)), gradients: [0.5]), 0.95))
  }

  @Test func sgdWeightDecay() {
    // g ← g + λp = 0.5 + 0.1·1 = 0.6; p = 1 − 0.06
    let o = Optimizer(.sgd(momentum: 0, nesterov: false), weightDecay: 0.1)
    #expect(Self.close(Self.run(o, gradients: [0.5]), 0.94))
  }

  @Test func sgdMomentum() {
    // b₁ = 0.5, p = 0.95; b₂ = 0.9·0.5 + 0.5 = 0.95, p = 0.95 − 0.095 = 0.855
    let o = Optimizer(.sgd(momentum: 0.9, nesterov: false))
    #expect(Self.close(Self.run(o, gradients: [0.5, 0.5]), 0.855))
  }

  @Test func sgdNesterov() {
    // b₁ = 0.5, d = 0.5 + 0.9·0.5 = 0.95, p = 0.905; b₂ = 0.95, d = 0.5 + 0.855, p = 0.7695
    let o = Optimizer(.sgd(momentum: 0.9, nesterov: true))
    #expect(Self.close(Self.run(o, gradients: [0.5, 0.5]), 0.7695))
  }

  @Test func adam() {
    let o = Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
    // Step 1: m̂ = 0.5, v̂ = 0.25: p = 1 − 0.1·0.5/(0.5 + 1e-8) ≈ 0.9.
    #expect(Self.close(Self.run(o, gradients: [0.5]), 0.9))
    // Step 2 (g = −0.5): m = −0.005, v = 0.00049975, m̂ = −0.005/0.19, v̂ = 0.25:
    // p = 0.9 + 0.1·(0.005/0.19)/0.5 = 0.905263158.
    #expect(Self.close(Self.run(o, gradients: [0.5, -0.5]), 0.9052631578))
  }

  /// PyTorch's scalars: 1 − β₂ is 0.001 rounded once (not 1 − f32(0.999) = 0.00099998713),
  /// 1 − β₁ is f32(0.1), so after one step v = f32(0.001)·g² and m = f32(0.1)·g exactly.
  @Test func adamComplementsAreRoundedOnce() {
    let o = Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
    var p: [Float] = [1]
    var buffers: [[Float]] = []
    let g: Float = 0.75
    o.update(&p, gradient: [g], buffers: &buffers, learningRate: 0.1, step: 1)
    #expect(buffers[0][0] == Float(0.1) * g)
    #expect(buffers[1][0] == Float(0.001) * g * g)
    #expect(buffers[1][0] != (1 - Float(0.999)) * g * g)
  }

  @Test func adamL2WeightDecay() {
    // g' = 0.6 then 0.5 + 0.1·0.9 = 0.59: m = 0.113, v = 0.00070774 → p = 0.800047339.
    let o = Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0.1)
    #expect(Self.close(Self.run(o, gradients: [0.5, 0.5]), 0.8000473388))
  }

  @Test func adamWDecouplesWeightDecay() {
    // p ← p(1 − lr·λ) = 0.99, then the Adam step −0.1: 0.89.
    let o = Optimizer(.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0.1)
    #expect(Self.close(Self.run(o, gradients: [0.5]), 0.89))
  }

  @Test func clippingByGlobalNorm() {
    // n = √(3² + 4²) = 5; factor 1/(5 + 1e-6).
    var g: [[Float]] = [[3], [4]]
    let n = GradientClipping.clip(&g, maximumNorm: 1)
    #expect(n == 5)
    #expect(Self.close(g[0][0], 3 / (5 + 1e-6)) && Self.close(g[1][0], 4 / (5 + 1e-6)))
    var small: [[Float]] = [[0.3], [0.4]]
    GradientClipping.clip(&small, maximumNorm: 1)
    #expect(small == [[0.3], [0.4]])
  }

  @Test func schedules() {
    let cosine = LearningRateSchedule(base: 1, decay: .cosine(totalSteps: 4, minimum: 0))
    #expect([0, 2, 4].map(cosine.rate(afterSteps:)) == [1, 0.5, 0])
    #expect(Self.close(cosine.rate(afterSteps: 1), 0.5 * (1 + 0.7071067811865476)))
    let warm = LearningRateSchedule(base: 0.4, warmupSteps: 4)
    #expect([0, 1, 3, 4, 10].map(warm.rate(afterSteps:)) == [0.1, 0.2, 0.4, 0.4, 0.4])
    let both = LearningRateSchedule(base: 1, decay: .cosine(totalSteps: 4, minimum: 0.2), warmupSteps: 2)
    #expect(Self.close(both.rate(afterSteps: 0), 0.5) && Self.close(both.rate(afterSteps: 2), 0.6))
  }

  @Test func trainerClipsThenSchedulesThenSteps() {
    let t0 = (try? Tensor(shape: [2], floats: [1, 1]))!
    var trainer = Trainer(
      parameters: [("w", t0)], optimizer: Optimizer(.sgd(momentum: 0, nesterov: false)),
      schedule: LearningRateSchedule(base: 0.1, warmupSteps: 2), maximumGradientNorm: 1)
    let update = trainer.update(with: [[3, 4]])
    #expect(update.learningRate == 0.05 && update.gradientNorm == 5 && trainer.state.step == 1)
    // p = 1 − 0.05·(3, 4)/(5 + 1e-6)
    #expect(Self.close(trainer.values[0][0], 1 - 0.05 * 3 / (5 + 1e-6)))
    #expect(Self.close(trainer.values[0][1], 1 - 0.05 * 4 / (5 + 1e-6)))
  }

  /// Parameters long enough to be updated by several threads (ranges of
  /// `Optimizer.elementsPerPart` or more) get the bits of the same update done one element at
  /// a time, for every method, over three steps (SGD's momentum buffer starts as the
  /// gradient; Adam's bias correction changes with the step).
  @Test(arguments: [
    Optimizer(.sgd(momentum: 0, nesterov: false), weightDecay: 0.01),
    Optimizer(.sgd(momentum: 0.9, nesterov: true), weightDecay: 0.01),
    Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0.01),
    Optimizer(.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8), weightDecay: 0.01),
  ])
  func longParametersUpdateAsElementByElement(_ optimizer: Optimizer) {
    let count = 2 * (1 << 15) + 17
    var random = RandomSource(seed: 7)
    let start = (0..<count).map { _ in random.uniform() - 0.5 }
    var threaded = start
    var threadedBuffers: [[Float]] = []
    var single = start.map { [$0] }
    var singleBuffers: [[[Float]]] = Array(repeating: [], count: count)
    for step in 1...3 {
      let g = (0..<count).map { _ in random.uniform() - 0.5 }
      optimizer.update(&threaded, gradient: g, buffers: &threadedBuffers, learningRate: 0.01, step: step)
      for i in 0..<count {
        optimizer.update(&single[i], gradient: [g[i]], buffers: &singleBuffers[i], learningRate: 0.01, step: step)
      }
    }
    #expect(threaded == single.map { $0[0] })
  }

  /// The global norm's lanes add up to the norm accumulated one element at a time in `Double`
  /// (to rounding), over gradients of lengths that leave tails or span several blocks, a
  /// buffer pointer included.
  @Test func globalNormOfLongGradients() {
    var random = RandomSource(seed: 3)
    let gradients = [1, 7, 8, 9, 1000, 4099, 2 * GradientClipping.normBlock + 13].map { n in (0..<n).map { _ in random.uniform() * 4 - 2 } }
    let reference = gradients.joined().reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    #expect(abs(GradientClipping.globalNorm(gradients) - reference) <= 1e-12 * reference)
    var last = gradients[6]
    let viaPointer = last.withUnsafeMutableBufferPointer { GradientClipping.globalNorm([$0]) }
    let lastReference = gradients[6].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    #expect(abs(viaPointer - lastReference) <= 1e-12 * lastReference)
  }
}
