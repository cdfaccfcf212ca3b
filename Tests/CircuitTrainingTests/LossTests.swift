import CircuitTestSupport
import Foundation
import TensorRuntime
import Testing

/// `stdlib/losses.circuit` against the formulas, evaluated in Double here.
@Suite struct LossTests {

  /// Logits (two large ones, where a naive binary cross-entropy overflows) and targets `[b=4 k=3]`.
  static let z: [Float] = [0.5, -1, 2, 30, -40, 0, 1.5, 0.25, -0.75, -2, 3, 0.1]
  static let y: [Float] = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.25, 0.25]

  /// Class indices for the rows of `z` (the last, 5, is outside `0..<3`).
  static let labels: [Int32] = [0, 0, 2, 5]

  /// Output 0 of `entry` of the losses file on `z` and `y` (or `labels` for the circuits that
  /// take class indices `L`).
  static func run(_ entry: String) throws -> Double {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-loss-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let takesLabels = ["SoftmaxCrossEntropyWithLabels", "Accuracy"].contains(entry)
    let (first, second) = entry == "MeanSquaredError" ? ("Y", "T") : ("Z", takesLabels ? "L" : "Y")
    try TensorFiles.writeNPY(try Tensor(shape: [4, 3], floats: z), to: dir + "/a.npy")
    let targets = takesLabels ? try Tensor(shape: [4], int32s: labels) : try Tensor(shape: [4, 3], floats: y)
    try TensorFiles.writeNPY(targets, to: dir + "/b.npy")
    let run = CircuitInvocation.run([
      "run", PackagePaths.path("stdlib/losses.circuit"), "--entry", entry, "--input", "\(first)=\(dir)/a.npy",
      "--input", "\(second)=\(dir)/b.npy", "--out", dir,
    ])
    #expect(run.code == 0, "\(run.stderr)")
    return Double(try TensorFiles.readNPY(at: dir + "/output_0.npy").tensor.floats![0])
  }

  /// Rows of `[4 3]` values in Double.
  static func rows(_ v: [Float]) -> [[Double]] { (0..<4).map { r in (0..<3).map { Double(v[r * 3 + $0]) } } }

  /// `log Σ exp(row)`.
  static func logSumExp(_ row: [Double]) -> Double {
    let m = row.max()!
    return m + log(row.map { exp($0 - m) }.reduce(0, +))
  }

  /// Whether `x` is within 1e-5 relative of `r`.
  static func close(_ x: Double, _ r: Double) -> Bool { abs(x - r) <= 1e-5 * abs(r) }

  @Test func meanSquaredError() throws {
    var total = 0.0
    for (z, y) in zip(Self.z, Self.y) { total += Double(z - y) * Double(z - y) }
    #expect(Self.close(try Self.run("MeanSquaredError"), total / 12))
  }

  @Test func softmaxCrossEntropy() throws {
    var total = 0.0
    for (z, y) in zip(Self.rows(Self.z), Self.rows(Self.y)) {
      let lse = Self.logSumExp(z)
      for k in 0..<3 { total -= y[k] * (z[k] - lse) }
    }
    #expect(Self.close(try Self.run("SoftmaxCrossEntropy"), total / 4))
  }

  @Test func binaryCrossEntropyWithLogitsIsStable() throws {
    var naive = 0.0
    var stable = 0.0
    for (zf, yf) in zip(Self.z, Self.y) {
      let z = Double(zf)
      let y = Double(yf)
      let p: Double = 1 / (1 + exp(-z))
      let q: Double = 1 / (1 + exp(z))
      naive -= y * log(p) + (1 - y) * log(q)
      let positive: Double = max(z, 0)
      stable += positive - z * y + log(1 + exp(-abs(z)))
    }
    #expect(Self.close(stable, naive))
    #expect(Self.close(try Self.run("BinaryCrossEntropyWithLogits"), stable / 12))
  }

  @Test func targetProbability() throws {
    var total = 0.0
    for (z, y) in zip(Self.rows(Self.z), Self.rows(Self.y)) {
      let lse = Self.logSumExp(z)
      for k in 0..<3 { total += y[k] * exp(z[k] - lse) }
    }
    #expect(Self.close(try Self.run("TargetProbability"), total / 4))
  }

  /// Labels 0, 0, 2 pick z[0][0], z[1][0], z[2][2]; the out-of-range label adds nothing.
  @Test func softmaxCrossEntropyWithLabels() throws {
    var total = 0.0
    for (r, z) in Self.rows(Self.z).enumerated() where Self.labels[r] < 3 {
      total -= z[Int(Self.labels[r])] - Self.logSumExp(z)
    }
    #expect(Self.close(try Self.run("SoftmaxCrossEntropyWithLabels"), total / 4))
  }

  /// Row maxima are at 2, 0, 0, 1: against labels 0, 0, 2, 5 only row 1 is right (1/4);
  /// against the one-hot targets (first maxima 0, 1, 2, 0) none is.
  @Test func accuracyCountsFirstMaxima() throws {
    let argmax = Self.rows(Self.z).map { row in row.firstIndex(of: row.max()!)! }
    let hits = zip(argmax, Self.labels).filter { $0 == Int($1) }.count
    #expect(argmax == [2, 0, 0, 1])
    #expect(try Self.run("Accuracy") == Double(hits) / 4)
    let oneHotTargets = Self.rows(Self.y).map { row in row.firstIndex(of: row.max()!)! }
    let oneHotHits = zip(argmax, oneHotTargets).filter { $0 == $1 }.count
    #expect(try Self.run("OneHotAccuracy") == Double(oneHotHits) / 4)
  }
}
