import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// Scalar constants of circuits (`eps: f32 = 1e-5`): passed by label, defaulted, usable as
/// `layernorm`'s eps and in arithmetic, and each set of values its own instance.
@Suite struct CircuitConstantTests {

  /// Rows `[0, 0, 0, 4]` and `[1, 2, 3, 4]` through `Norm` with the default eps (1, doubled
  /// inside to 2), with eps 0.25 passed (0.5 inside) and a scale: computed here by hand.
  @Test(arguments: ["interp", "c"])
  func constantsReachLayerNormAndArithmetic(_ backend: String) throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-const-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      sizes { t = 2, m = 4 }
      circuit Norm(X: [m], eps: f32 = 1, scale: f32 = 1) -> [m] {
          return layernorm[m](X, eps: eps * 2) * scale + eps
      }
      circuit main(X: [t m]) -> ([t m], [t m]) {
          return (Norm(X), Norm(X, scale: -3, eps: 0.25))
      }
      """.write(toFile: dir + "/k.circuit", atomically: true, encoding: .utf8)
    let rows: [[Double]] = [[0, 0, 0, 4], [1, 2, 3, 4]]
    try TensorFiles.writeNPY(try Tensor(shape: [2, 4], floats: rows.flatMap { $0.map(Float.init) }), to: dir + "/x.npy")
    let run = CircuitInvocation.run(["run", dir + "/k.circuit", "--input", "X=\(dir)/x.npy", "--backend", backend, "--out", dir + "/out"])
    #expect(run.code == 0, "\(run.stderr)")
    for (i, (eps, scale)) in [(1.0, 1.0), (0.25, -3.0)].enumerated() {
      let expected = rows.flatMap { row -> [Double] in
        let mean = row.reduce(0, +) / 4
        let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
        return row.map { ($0 - mean) / (variance + 2 * eps).squareRoot() * scale + eps }
      }
      let actual = try TensorFiles.readNPY(at: "\(dir)/out/output_\(i).npy").tensor.floats ?? []
      #expect(actual.count == 8)
      for (a, e) in zip(actual, expected) { #expect(abs(Double(a) - e) < 1e-5, "output \(i): \(actual) vs \(expected)") }
    }
  }

  /// `--const` sets an entry's constant on both backends (x * scale with scale 0.5 and -3,
  /// and the default 2 without it); a malformed value is a usage error.
  @Test(arguments: ["interp", "c"])
  func entryConstantsFromTheCommandLine(_ backend: String) throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-const-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      sizes { n = 3 }
      circuit main(X: [n], scale: f32 = 2) -> [n] {
          return X * scale
      }
      """.write(toFile: dir + "/k.circuit", atomically: true, encoding: .utf8)
    try TensorFiles.writeNPY(try Tensor(shape: [3], floats: [1, -2, 4]), to: dir + "/x.npy")
    for (flags, scale) in [([String](), 2.0), (["--const", "scale=0.5"], 0.5), (["--const", "scale=1", "--const", "scale=-3"], -3)] {
      let run = CircuitInvocation.run(
        ["run", dir + "/k.circuit", "--input", "X=\(dir)/x.npy", "--backend", backend, "--out", dir + "/out"] + flags)
      #expect(run.code == 0, "\(run.stderr)")
      let actual = try TensorFiles.readNPY(at: "\(dir)/out/output_0.npy").tensor.floats ?? []
      #expect(actual == [1, -2, 4].map { Float($0 * scale) }, "\(flags): \(actual)")
    }
    let bad = CircuitInvocation.run(["run", dir + "/k.circuit", "--const", "scale=1e99"])
    #expect(bad.code == 64 && bad.stderr.contains("finite f32"), "\(bad.stderr)")
  }

  /// `check` shows a constant with its default in the signature.
  @Test func signatureShowsConstants() {
    let run = CircuitInvocation.run(["check", PackagePaths.path("stdlib/nn.circuit")])
    #expect(run.stdout.contains("LayerNorm(X: [m], eps: f32 = 1e-05) -> [m]"), "\(run.stdout)")
  }
}
