import CircuitTestSupport
import Foundation
import TensorRuntime
import Testing

/// Ctrl-C during `circuit train`: SIGINT to the built `circuit` executable (a subprocess, the
/// only place the handler is installed) writes a checkpoint and exits with 130; `--resume`
/// continues from it. On the C backend the parameters and the optimiser's buffers come from
/// native memory, settled mid-epoch.
@Suite struct InterruptTests {

  /// The executable `swift build` / `swift test` put beside the test bundle.
  static let executable = PackagePaths.path(".build/debug/circuit")

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)), arguments: ["interp", "c"])
  func sigintWritesACheckpointAndExits130(backend: String) throws {
    let dir = try TrainCommandTests.temporaryDirectory()
    let fixture = TrainCommandTests.fixture
    let checkpoint = dir + "/w.safetensors"
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.executable)
    // 18 batches of 1 per epoch: the interruption usually falls inside an epoch.
    p.arguments = [
      "train", fixture + ".circuit", "--stdlib", PackagePaths.path("stdlib"), "--input", fixture + "/data.npz",
      "--batch-size", "1", "--epochs", "1000000", "--optimizer", "adam", "--seed", "4", "--save", checkpoint,
      "--backend", backend,
    ]
    let (out, err) = (Pipe(), Pipe())
    (p.standardOutput, p.standardError) = (out, err)
    try p.run()
    // Interrupt once the first epoch has ended (training is under way).
    var seen = Data()
    let deadline = Date().addingTimeInterval(120)
    while !String(decoding: seen, as: UTF8.self).contains("epoch 1/"), Date() < deadline, p.isRunning {
      seen += out.fileHandleForReading.availableData
    }
    p.interrupt()
    seen += out.fileHandleForReading.readDataToEndOfFile()
    let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    let stdout = String(decoding: seen, as: UTF8.self)
    #expect(p.terminationStatus == 130, "\(stdout)\n\(errors)")
    #expect(errors.contains("Error: interrupted (Ctrl-C); resume with --resume \(checkpoint)"))
    #expect(stdout.contains("interrupted at epoch ") && stdout.contains(": saved \(checkpoint) ("))

    let saved = try TrainCommandTests.tensors(checkpoint)
    let step = Int(try #require(saved["@optimizer/step"]?.int32s?.first))
    let epochs = Int(try #require(saved["@train/epoch"]?.int32s?.first))
    #expect(epochs >= 1 && step >= 18 * epochs && step < 18 * (epochs + 1), "step \(step), epochs \(epochs)")
    #expect(saved["@optimizer/exp_avg/W1"] != nil)
    #expect(saved["@optimizer/exp_avg_sq/W1"]?.floats?.contains { $0 > 0 } == true)

    // --resume continues with the next epoch (an interrupted epoch restarts at its first batch).
    let resumed = TrainCommandTests.train([
      "--batch-size", "1", "--epochs", "\(epochs + 1)", "--optimizer", "adam", "--seed", "4", "--resume", checkpoint,
      "--save", dir + "/next.safetensors", "--backend", backend,
    ])
    #expect(resumed.stdout.hasPrefix("epoch \(epochs + 1)/\(epochs + 1): "))
    let next = try TrainCommandTests.tensors(dir + "/next.safetensors")
    #expect(next["@optimizer/step"]?.int32s == [Int32(step + 18)])
  }
}
