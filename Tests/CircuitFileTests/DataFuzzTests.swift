import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// A seeded mutation fuzzer over the data a run reads: `.npy` inputs, safetensors and `.npz`
/// parameters, and `--param-map` files, starting from the Hugging Face self-attention
/// fixture. Each mutant goes through `circuit run` in-process and must end with exit code 0,
/// 1, 64 or 74 (never an internal error, never a trap), with a message whenever it fails.
///
/// Mutations land mostly in the first bytes of a file (its header: the `.npy` dict, the
/// safetensors JSON, the zip entry) where the parsing is. The number of mutants scales with
/// `CIRCUIT_FUZZ_SCALE` as for `RobustnessTests`. After a trap, the file `mutant` left in the
/// printed directory is the input that caused it.
@Suite struct DataFuzzTests {

  /// The fixture files, package-relative.
  static let fixture = "Tests/CircuitFileTests/Checkpoint/hf_self_attention"

  /// Which file of the run is mutated.
  enum Target: String, CaseIterable, Sendable {
    case input, safetensors, npz, map
  }

  /// Mutants per target: 60 in a developer's `swift test`, 150 times `CIRCUIT_FUZZ_SCALE` in
  /// `.ci/run`'s long pass (one seeded sequence, so the short pass's are its first).
  static let mutants = RobustnessTests.scale > 1 ? 150 * RobustnessTests.scale : 60

  @Test(arguments: Target.allCases)
  func mutatedDataGetsErrorsNotCrashes(_ target: Target) throws {
    let dir = try RobustnessTests.temporaryDirectory("data-\(target.rawValue)")
    print("fuzzing \(target) data in \(dir.path)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let f = { (suffix: String) in PackagePaths.path(Self.fixture + suffix) }
    let parameters = try TensorFiles.readSafeTensors(at: f(".safetensors")).tensors
    var npz = NPZWriter()
    for (name, t) in parameters { npz.add(name, NPY.write(t)) }
    let original: [UInt8] =
      switch target {
      case .input: try TensorFiles.readBytes(at: f("_x.npy"))
      case .safetensors: try TensorFiles.readBytes(at: f(".safetensors"))
      case .npz: npz.bytes()
      case .map: try TensorFiles.readBytes(at: f(".map"))
      }
    let header = target == .map ? original.count : min(original.count, 256)
    var r = RobustnessTests.Random(state: 0xDA7A_F022 &+ UInt64(target.rawValue.utf8.count))
    let mutant = dir.appending(path: "mutant").path
    try TensorFiles.writeBytes(npz.bytes(), to: dir.appending(path: "p.npz").path)
    var outcomes: [Int32: Int] = [:]
    for k in 0..<Self.mutants {
      // Mostly the header; sometimes anywhere; sometimes a few mutations stacked.
      var bytes = original
      for _ in 0..<(1 + r.below(3)) {
        if r.below(4) != 0 {
          let head = RobustnessTests.mutate(Array(bytes.prefix(header)), &r)
          bytes = head + bytes.dropFirst(header)
        } else {
          bytes = RobustnessTests.mutate(bytes, &r)
        }
      }
      try Data(bytes).write(to: URL(filePath: mutant))
      var arguments = ["run", f(".circuit"), "--input", "X=" + f("_x.npy"), "--params", f(".safetensors"), "--param-map", f(".map")]
      switch target {
      case .input: arguments[3] = "X=" + mutant
      case .safetensors: arguments[5] = mutant
      case .npz: arguments[5] = mutant
      case .map: arguments[7] = mutant
      }
      let run = CircuitInvocation.run(arguments)
      outcomes[run.code, default: 0] += 1
      #expect([0, 1, 64, 74].contains(run.code), "exit code \(run.code) for \(target) mutant \(k):\n\(run.stderr)")
      if run.code != 0 {
        #expect(!run.stderr.isEmpty, "failure without a message for \(target) mutant \(k)")
      }
    }
    print("\(target) mutants by exit code: \(outcomes.sorted { $0.key < $1.key })")
    // The mutants reach both the readers' errors and the run itself.
    #expect(outcomes[1, default: 0] > 0 && outcomes[0, default: 0] > 0, "\(outcomes)")
  }
}
