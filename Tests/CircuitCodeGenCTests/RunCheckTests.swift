import CircuitTestSupport
import Foundation
import Testing

/// `run --check` prints the C backend's outputs and the differences; `--plan` reaches the C
/// backend of `run` and `bench`; `bench --profile` times the steps.
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

  /// `bench --profile` lists every step of the C program once, with shares adding up to 100%.
  @Test func benchProfilesSteps() throws {
    let r = CircuitInvocation.run(
      ["bench", "--backend", "c", "--profile", "--runs", "3", PackagePaths.path("examples/mlp.circuit"), "--size", "b=4"])
    #expect(r.code == 0, "\(r.stderr)")
    let header = try #require(r.stdout.split(separator: "\n").first { $0.contains("profile: ") }, "\(r.stdout)")
    #expect(header.contains("7 steps"), "\(header)")
    let rows = r.stdout.split(separator: "\n").filter { $0.contains("% ") && $0.contains(" ms  step") }
    #expect(rows.count == 7, "\(r.stdout)")
    let shares = rows.compactMap { Double($0.split(separator: "%")[0].split(separator: " ").last ?? "") }
    #expect(shares.count == 7 && abs(shares.reduce(0, +) - 100) < 1, "\(shares)")
    #expect(rows.contains { $0.contains("step5_: %5 = contract[i]") && $0.contains("stdlib/nn.circuit:35:12") })
  }

  /// `bench --json` prints one `circuit-bench/1` object: both backends' summaries, and with
  /// `--profile` the C plan's steps with their bound and measured seconds.
  @Test func benchPrintsJSON() throws {
    let r = CircuitInvocation.run(
      ["bench", "--json", "--profile", "--runs", "3", "--warmup", "0", PackagePaths.path("examples/mlp.circuit"), "--size", "b=2"])
    #expect(r.code == 0, "\(r.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(object["schema"] as? String == "circuit-bench/1")
    #expect(object["training"] as? Bool == false)
    let backends = try #require(object["backends"] as? [[String: Any]])
    #expect(backends.map { $0["backend"] as? String } == ["c", "interp"])
    for b in backends {
      let (median, least, most) = (b["medianSeconds"] as? Double ?? -1, b["minSeconds"] as? Double ?? -1, b["maxSeconds"] as? Double ?? -1)
      #expect(0 < least && least <= median && median <= most && b["runs"] as? Int == 3)
    }
    let steps = try #require((backends[0]["plan"] as? [String: Any])?["steps"] as? [[String: Any]])
    #expect(!steps.isEmpty && steps.allSatisfy { $0["boundSeconds"] is Double && $0["measuredSeconds"] is Double })
  }
}
