import CircuitTestSupport
import Foundation
import Testing

/// The exported models computed in jax and onnxruntime against `circuit run`, through
/// `scripts/check_export.py` on one small example with convolutions, pooling and a symbolic
/// batch (every example and stdlib file runs from
/// `.ci/run`). Skipped, with the reason, when python3 cannot import jax, onnx and
/// onnxruntime.
@Suite struct ExportCrossCheckTests {

  /// Whether `python3` imports everything the script needs.
  static let pythonHasPackages: Bool = run(["python3", "-c", "import numpy, jax, onnx, onnxruntime"]).status == 0

  /// Runs a command through `/usr/bin/env`; its exit status and combined output.
  static func run(_ arguments: [String], environment: [String: String]? = nil) -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    if let environment { p.environment = environment }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    do { try p.run() } catch { return (-1, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// JAX and onnxruntime give `circuit run`'s outputs within 1e-5 of each output's largest
  /// magnitude; the ONNX models pass onnx.checker and run at two batch sizes. Starting jax
  /// takes seconds, so this runs with `CIRCUIT_SLOW_TESTS=1` (`.ci/run`, after it installs the
  /// packages); the condition on the variable comes first, so python is not started without it.
  @Test(
    .enabled(if: ProcessInfo.processInfo.environment["CIRCUIT_SLOW_TESTS"] == "1",
      "skipped: a python cross-check, run with CIRCUIT_SLOW_TESTS=1 (.ci/run)"),
    .enabled(if: pythonHasPackages, "python3 lacks jax, onnx or onnxruntime: pip install them to cross-check exports"))
  func exportsMatchTheInterpreter() throws {
    let tool = PackagePaths.path(".build/debug/circuit")
    try #require(FileManager.default.isExecutableFile(atPath: tool), "build the tool first (swift build)")
    let r = ExportCrossCheckTests.run([
      "python3", PackagePaths.path("scripts/check_export.py"), "--circuit", tool, "--formats", "jax,onnx",
      PackagePaths.path("examples/small_cnn.circuit"),
    ])
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("0 failure(s)"))
    #expect(r.output.contains("small_cnn.circuit onnx at b=3"))
  }
}
