import CircuitTestSupport
import Testing

/// `run --check` prints the C backend's outputs and the differences; `--plan` reaches the C
/// backend of `run` and `bench`.
@Suite struct RunCheckTests {

  @Test func checkPrintsNativeOutputsAndDifferences() {
    let r = CircuitInvocation.run(["run", "--check", "--plan", "unfused", PackagePaths.path("examples/mlp.circuit"), "--size", "b=2"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stdout.contains("output 0: f32[b=2 k=10]"))
    #expect(r.stdout.contains("check output 0: max abs diff"))
  }

  @Test func badPlanIsAUsageError() {
    let run = CircuitInvocation.run(["run", "--backend", "c", "--plan", "nope", PackagePaths.path("examples/mlp.circuit")])
    #expect(run.code == 64)
    let bench = CircuitInvocation.run(["bench", "--plan", "nope", PackagePaths.path("examples/mlp.circuit")])
    #expect(bench.code == 64)
  }

  @Test func benchTakesAPlan() {
    let r = CircuitInvocation.run(
      ["bench", "--backend", "c", "--plan", "loops", "--runs", "3", "--warmup", "0", PackagePaths.path("examples/mlp.circuit"), "--size", "b=1"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stdout.contains("ms/run"))
  }
}
