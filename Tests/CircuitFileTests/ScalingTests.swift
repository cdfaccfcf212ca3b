import CircuitTestSupport
import Foundation
import Testing

/// `circuit check` takes time about linear in the size of its input: checking an input four
/// times as large must take well under sixteen times as long (quadratic growth).
///
/// Timing is only meaningful on a quiet process, so this runs with `CIRCUIT_SLOW_TESTS=1` in a
/// `swift test --filter` invocation of its own (`.ci/run`), not inside the parallel suite.
@Suite(.serialized) struct ScalingTests {

  /// Whether the timing checks run: `CIRCUIT_SLOW_TESTS` is set.
  static let enabled = ProcessInfo.processInfo.environment["CIRCUIT_SLOW_TESTS"] == "1"

  /// A kind of growing input.
  enum Workload: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case callChain, statements, errors, warnings

    /// The input of size `n`.
    func program(_ n: Int) -> String {
      switch self {
      case .callChain: GeneratedPrograms.callChain(n)
      case .statements: GeneratedPrograms.statements(n)
      case .errors: GeneratedPrograms.unknownNames(n)
      case .warnings: GeneratedPrograms.unusedValues(n)
      }
    }

    /// The smaller size measured (the larger is four times as much).
    var baseSize: Int {
      switch self {
      case .callChain: 150
      case .statements: 1_000
      case .errors: 600
      case .warnings: 600
      }
    }

    var testDescription: String { rawValue }
  }

  /// The largest ratio of times accepted for four times the input: linear is 4, n·log n
  /// about 5, quadratic 16. The margin above 5 absorbs a busy machine (8 was exceeded once
  /// with three other builds running) while any quadratic term still fails.
  static let maximumRatio = 11.0

  /// Times below this are treated as this, so that noise on tiny times cannot fail the test.
  static let floorSeconds = 0.02

  /// The shortest of five times of `circuit check` on `text`, in seconds.
  static func checkSeconds(_ text: String) throws -> Double {
    try GeneratedPrograms.withFile(text, named: "main.circuit") { path in
      var best = Double.infinity
      for _ in 0..<5 {
        let start = ContinuousClock.now
        _ = CircuitInvocation.run(["check", path])
        let d = ContinuousClock.now - start
        best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
      }
      return best
    }
  }

  @Test(.enabled(if: ScalingTests.enabled, "a timing check: CIRCUIT_SLOW_TESTS=1 (.ci/run)"), arguments: Workload.allCases)
  func checkGrowsAboutLinearly(_ w: Workload) throws {
    let small = try Self.checkSeconds(w.program(w.baseSize))
    let large = try Self.checkSeconds(w.program(4 * w.baseSize))
    let ratio = large / max(small, Self.floorSeconds)
    #expect(
      ratio < Self.maximumRatio,
      "check of \(w.rawValue): \(small) s for n = \(w.baseSize), \(large) s for 4n (ratio \(ratio))")
  }
}
