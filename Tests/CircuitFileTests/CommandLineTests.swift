import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// The command line: help, version, usage errors and exit codes.
@Suite struct CommandLineTests {

  @Test func helpAndVersion() {
    let help = CircuitInvocation.run(["--help"])
    #expect(help.code == 0)
    #expect(help.stdout.contains("USAGE: circuit <subcommand>"))
    let checkHelp = CircuitInvocation.run(["help", "check"])
    #expect(checkHelp.code == 0)
    #expect(checkHelp.stdout.contains("USAGE: circuit check"))
    #expect(CircuitInvocation.run(["check", "--help"]).stdout == checkHelp.stdout)
    let version = CircuitInvocation.run(["--version"])
    #expect(version.code == 0)
    #expect(version.stdout.hasPrefix("circuit "))
  }

  @Test(arguments: [
    (["frobnicate"], "Error: Unknown subcommand 'frobnicate'"),
    (["--frob"], "Error: Unknown option '--frob'"),
    (["check"], "Error: Missing expected argument '<file.circuit>'"),
    (["check", "x.circuit", "--size"], "Error: Missing value for '--size'"),
    (["check", "x.circuit", "--size", "k=-1"], "Error: The value 'k=-1' is invalid for '--size <name=value>'"),
    (["check", "x.circuit", "--color", "pink"], "Error: The value 'pink' is invalid for '--color"),
    (["help", "nothing"], "Error: Unknown subcommand 'nothing'"),
  ])
  func usageErrors(_ arguments: [String], _ message: String) {
    let run = CircuitInvocation.run(arguments)
    #expect(run.code == 64)
    #expect(run.stderr.hasPrefix(message), "stderr: \(run.stderr)")
  }

  @Test func missingFileIsAnIOError() {
    let run = CircuitInvocation.run(["check", "/nonexistent/model.circuit"])
    #expect(run.code == 74)
    #expect(run.stderr == "Error: /nonexistent/model.circuit: No such file or directory\n")
  }

  @Test func directoryIsAnIOError() {
    let run = CircuitInvocation.run(["check", PackagePaths.path("examples")])
    #expect(run.code == 74)
    #expect(run.stderr.hasSuffix("examples: is a directory\n"))
  }

  /// Absurd sizes that check symbolically are refused before anything is allocated.
  @Test(arguments: ["b=100000000", "b=9000000000000000000"])
  func absurdSizesAreRefusedBeforeRunning(_ size: String) {
    let run = CircuitInvocation.run(["run", PackagePaths.path("examples/mlp.circuit"), "--size", size])
    #expect(run.code == 1)
    #expect(run.stderr.contains("[tensor-too-large]"), "stderr: \(run.stderr)")
  }

  /// NaN-filled data is refused with one line naming the file and the tensor; infinities
  /// are allowed in inputs (additive masks) but not in parameters.
  @Test func nanFilledDataIsRefused() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-nan-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let program = PackagePaths.path("examples/multihead_attention.circuit")
    var values = [Float](repeating: 0.5, count: 20 * 128)
    values[7] = .nan
    try TensorFiles.writeNPY(try Tensor(shape: [20, 128], floats: values), to: dir + "/E.npy")
    let input = CircuitInvocation.run(["run", program, "--input", "E=\(dir)/E.npy"])
    #expect(input.code == 1)
    #expect(input.stderr == "Error: \(dir)/E.npy: input 'E' contains 1 NaN value (the first at flat index 7)\n")

    let save = CircuitInvocation.run(["run", program, "--save-params", dir + "/p.safetensors"])
    #expect(save.code == 0)
    var file = try TensorFiles.readSafeTensors(at: dir + "/p.safetensors")
    var w = try #require(file.tensors.first { $0.name == "mha.Wo" }?.tensor.floats)
    w[3] = .infinity
    file.tensors = try file.tensors.map { ($0.name, $0.name == "mha.Wo" ? try Tensor(shape: $0.tensor.shape, floats: w) : $0.tensor) }
    try TensorFiles.writeSafeTensors(file.tensors, to: dir + "/bad.safetensors")
    let params = CircuitInvocation.run(["run", program, "--params", dir + "/bad.safetensors"])
    #expect(params.code == 1)
    #expect(params.stderr.contains("parameter 'mha.Wo' contains 1 NaN or infinite value (the first at flat index 3)"))
  }

  /// `for … shared { }`: every iteration uses the same parameters (one name, one tensor), on
  /// both backends; without `shared` each iteration has its own.
  @Test func sharedLoopsShareParameters() throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-shared-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let source = """
      import nn
      sizes { t = 4, m = 8 }
      circuit main(X: [t m]) -> [t m] {
          size m' = m
          for l in 1...3 LOOP {
              Y = block: LinearBias<i: m, o: m'>(X)
              X = relu(X + rename[m' -> m](Y))
          }
          return X
      }

      """
    for (mode, expected) in [("shared", "block.weight  f32[o=8 i=8]  64\nblock.bias    f32[o=8]  8\ntotal: 2 tensors, 72 values\n"), ("", "total: 6 tensors, 216 values")] {
      let path = dir + "/loop_\(mode.isEmpty ? "own" : mode).circuit"
      try source.replacingOccurrences(of: "LOOP", with: mode).write(toFile: path, atomically: true, encoding: .utf8)
      let params = CircuitInvocation.run(["params", path])
      #expect(params.code == 0, "\(params.stderr)")
      #expect(params.stdout.hasSuffix(expected) || params.stdout.contains(expected), "\(params.stdout)")
      let check = CircuitInvocation.run(["run", "--check", path])
      #expect(check.code == 0, "\(check.stderr)")
      #expect(check.stdout.contains("ok"))
    }
  }
}

/// The declarative options: one parser for every subcommand.
@Suite struct OptionParsingTests {

  /// `--name=value` is the same as `--name value`, everywhere.
  @Test func inlineValuesEqualSeparateOnes() {
    let path = PackagePaths.path("examples/mlp.circuit")
    let separate = CircuitInvocation.run(["render", "--depth", "0", "--theme", "dark", path])
    let inline = CircuitInvocation.run(["render", "--depth=0", "--theme=dark", path])
    #expect(separate.code == 0 && inline.code == 0, "\(inline.stderr)")
    #expect(separate.stdout == inline.stdout)
    #expect(CircuitInvocation.run(["params", "--size=b=1", path]).code == 0)
  }

  /// After `--` every argument is a file; a flag takes no value.
  @Test func doubleDashAndFlags() {
    let dash = CircuitInvocation.run(["check", "--", "-x.circuit"])
    #expect(dash.stderr.hasPrefix("Error: -x.circuit:"), "\(dash.stderr)")
    let flag = CircuitInvocation.run(["dump-ir", "--raw=yes", "x.circuit"])
    #expect(flag.code == 64 && flag.stderr.hasPrefix("Error: The flag '--raw' does not take a value"))
    let many = CircuitInvocation.run(["dump-ir", "a.circuit", "b.circuit"])
    #expect(many.code == 64 && many.stderr.hasPrefix("Error: Expected one file, got 2"))
  }

  /// Each subcommand's help lists every option it accepts, with its value name.
  @Test func helpListsTheOptions() {
    let run = CircuitInvocation.run(["help", "run"]).stdout
    for line in ["  --input <name=path>     Read an input", "  --check                 Run on both", "  -h, --help"] {
      #expect(run.contains(line), "\(line)")
    }
    #expect(CircuitInvocation.run(["help", "bench"]).stdout.contains("  --backend <c|interp|both>  What to time"))
  }
}
