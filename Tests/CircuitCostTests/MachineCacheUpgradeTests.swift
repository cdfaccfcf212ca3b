import CircuitTestSupport
import Foundation
import Testing

/// The machine model's cache across the format change, through the CLI (a subprocess, for its
/// own cache directory): a `circuit-machine/1` file is read, found to lack the exp and erf
/// rates, measured again and rewritten as `circuit-machine/2`; the next run uses it as is.
/// Measuring takes seconds, so this runs with `CIRCUIT_SLOW_TESTS=1` (`.ci/run` sets it);
/// `MachineModelTests.cacheUpgrade` checks the format itself in every run.
@Suite struct MachineCacheUpgradeTests {

  /// Whether the slow test runs: the debug tool is built and `CIRCUIT_SLOW_TESTS` is set.
  static let enabled =
    ProcessInfo.processInfo.environment["CIRCUIT_SLOW_TESTS"] == "1"
    && FileManager.default.isExecutableFile(atPath: PackagePaths.path(".build/debug/circuit"))

  /// Runs `circuit` with the cache in `dir` (unoptimised C, to compile fast).
  static func run(_ arguments: [String], cache dir: String) throws -> (code: Int32, stdout: String, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: PackagePaths.path(".build/debug/circuit"))
    p.arguments = arguments
    p.environment = ["CIRCUIT_CACHE_DIR": dir, "PATH": "/usr/bin:/bin", "CIRCUIT_CFLAGS": "-O0", "CC": "cc"]
    let (out, err) = (Pipe(), Pipe())
    (p.standardOutput, p.standardError) = (out, err)
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  @Test(.enabled(if: MachineCacheUpgradeTests.enabled))
  func formatOneIsMeasuredAgainAndRewritten() throws {
    let dir = "/tmp/circuit-cost-machine-\(getpid())"
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let v1 = "circuit-machine/1\ncompiler cc -O0\nthreads 1 flops 1e9\nthreads 1 bandwidth 16384 1e9\n"
    try v1.write(toFile: dir + "/machine.txt", atomically: true, encoding: .utf8)
    let arguments = ["cost", "--machine", "--concrete", "--depth", "0", PackagePaths.path("Tests/CircuitCostTests/Programs/linear.circuit")]
    let first = try MachineCacheUpgradeTests.run(arguments, cache: dir)
    #expect(first.code == 0, "\(first.stderr)")
    #expect(first.stderr.contains("no transcendental throughput (an older format): measuring again"))
    #expect(first.stdout.contains("Gexp/s") && first.stdout.contains("Gerf/s"))
    let text = try String(contentsOfFile: dir + "/machine.txt", encoding: .utf8)
    #expect(text.hasPrefix("circuit-machine/2\ncompiler cc -O0\n"))
    #expect(text.contains("threads 1 exp ") && text.contains("threads 1 erf "))
    // The old rates merge in (the better of the two): 1 GFLOP/s is below any measurement.
    let second = try MachineCacheUpgradeTests.run(arguments, cache: dir)
    #expect(second.code == 0 && !second.stderr.contains("measuring"), "\(second.stderr)")
    #expect(try String(contentsOfFile: dir + "/machine.txt", encoding: .utf8) == text)
  }
}
