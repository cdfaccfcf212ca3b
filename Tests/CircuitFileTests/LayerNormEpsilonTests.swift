import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// `layernorm`'s `eps:` takes any constant expression, and both backends use its value
/// (it used to fall back to 1e-5 unless written as a plain number).
@Suite struct LayerNormEpsilonTests {

  /// Rows `[0, 0, 0, 4]` and `[1, 2, 3, 4]`, with eps = 0.5 · 2 = 1 and eps = size(m)^-2:
  /// `(x - mean) / sqrt(var + eps)` computed here by hand.
  @Test(arguments: ["interp", "c"])
  func epsilonExpressionsAreHonoured(_ backend: String) throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-eps-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      sizes { t = 2, m = 4 }
      circuit main(X: [t m]) -> ([t m], [t m]) {
          return (layernorm[m](X, eps: 0.5 * 2), layernorm[m](X, eps: size(m)^-2))
      }
      """.write(toFile: dir + "/eps.circuit", atomically: true, encoding: .utf8)
    let rows: [[Double]] = [[0, 0, 0, 4], [1, 2, 3, 4]]
    try TensorFiles.writeNPY(try Tensor(shape: [2, 4], floats: rows.flatMap { $0.map(Float.init) }), to: dir + "/x.npy")
    let run = CircuitInvocation.run(["run", dir + "/eps.circuit", "--input", "X=\(dir)/x.npy", "--backend", backend, "--out", dir + "/out"])
    #expect(run.code == 0, "\(run.stderr)")
    for (i, eps) in [1.0, 1.0 / 16].enumerated() {
      let expected = rows.flatMap { row -> [Double] in
        let mean = row.reduce(0, +) / 4
        let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
        return row.map { ($0 - mean) / (variance + eps).squareRoot() }
      }
      let actual = try TensorFiles.readNPY(at: "\(dir)/out/output_\(i).npy").tensor.floats ?? []
      #expect(actual.count == 8)
      for (a, e) in zip(actual, expected) { #expect(abs(Double(a) - e) < 1e-6, "output \(i): \(actual) vs \(expected)") }
    }
  }
}
