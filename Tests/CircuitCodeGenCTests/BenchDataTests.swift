import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// `circuit bench --input/--params` times the given data: the input's shape fixes the sizes
/// (and so the FLOPs timed), the parameters are read from the file (a file without them is
/// refused), and the report names both.
@Suite struct BenchDataTests {

  /// Bench on a batch-3 input and saved parameters times the b=3 program on them and says so;
  /// without them it says the data were generated; a checkpoint of another circuit is refused.
  @Test func benchTimesTheGivenInputsAndParameters() throws {
    let dir = BuildTests.scratch("bench-data")
    let file = PackagePaths.path("examples/mlp.circuit")
    let save = CircuitInvocation.run(["run", file, "--size", "b=3", "--save-params", dir + "/p.safetensors"])
    try #require(save.code == 0, "\(save.stderr)")
    try TensorFiles.writeNPY(try BuildRuntimeSizesTests.floats([3, 28, 28]), to: dir + "/x.npy")
    let quick = ["--backend", "c", "--runs", "2", "--warmup", "0", "--runtime-sizes", "off"]
    let given = CircuitInvocation.run(
      ["bench", file, "--json", "--input", "X=\(dir)/x.npy", "--params", dir + "/p.safetensors"] + quick)
    try #require(given.code == 0, "\(given.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(given.stdout.utf8)) as? [String: Any])
    #expect(object["inputFiles"] as? [String] == ["X=\(dir)/x.npy"])
    #expect(object["generatedInputs"] as? Int == 0)
    #expect(object["parameterFile"] as? String == dir + "/p.safetensors")
    let generated = CircuitInvocation.run(["bench", file, "--size", "b=3"] + quick)
    try #require(generated.code == 0, "\(generated.stderr)")
    #expect(generated.stdout.contains("  timed on 1 generated input (seed 0); initialised parameters (seed 0)\n"), "\(generated.stdout)")
    let text = CircuitInvocation.run(["bench", file, "--input", "X=\(dir)/x.npy", "--params", dir + "/p.safetensors"] + quick)
    #expect(text.stdout.contains("  timed on inputs X=\(dir)/x.npy; parameters \(dir)/p.safetensors\n"), "\(text.stdout)")
    // The FLOPs of the program at b=3 (the file's default is b=8): the input's shape was used.
    /// The FLOPs per run that a report's first line gives.
    func gflop(_ r: CircuitInvocation) -> String? {
      r.stdout.split(separator: "\n").first?.split(separator: ": ").dropFirst().first?.split(separator: " ").first.map(String.init)
    }
    #expect(gflop(text) != nil && gflop(text) == gflop(generated), "\(text.stdout)\n\(generated.stdout)")
    let wide = CircuitInvocation.run(["run", file, "--size", "f=256", "--save-params", dir + "/q.safetensors"])
    try #require(wide.code == 0, "\(wide.stderr)")
    let refused = CircuitInvocation.run(["bench", file, "--params", dir + "/q.safetensors"] + quick)
    #expect(refused.code != 0)
    #expect(refused.stderr.contains("fc1.weight"), "\(refused.stderr)")
  }
}
