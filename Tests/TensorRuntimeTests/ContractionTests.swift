import Testing

@testable import TensorRuntime

/// The packed GEMM and the einsum-style contraction against naive loops and numpy.
@Suite struct ContractionTests {

  /// Naive triple loop in `Double`: `[m, k] × [k, n]`.
  static func naiveMatmul(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var total = 0.0
        for p in 0..<k { total += Double(a[i * k + p]) * Double(b[p * n + j]) }
        c[i * n + j] = Float(total)
      }
    }
    return c
  }

  /// Awkward sizes (1, 7, 17, 33, 65, 130, non-multiples of the 6 × 16 tile and of kc = 256).
  static let sizes: [(Int, Int, Int)] = [
    (1, 1, 1), (7, 17, 33), (17, 7, 65), (33, 65, 17), (65, 33, 7), (130, 130, 130),
    (1, 130, 7), (130, 1, 65), (6, 16, 300), (13, 31, 257),
  ]

  /// The packed GEMM matches the naive loop at awkward sizes, within 1e-5 relative
  /// (1e-5 absolute for results near zero).
  @Test(arguments: sizes.indices)
  func gemmMatchesNaive(_ index: Int) throws {
    let (m, n, k) = Self.sizes[index]
    var random = RandomSource(seed: UInt64(index))
    let a = try random.uniformTensor(shape: [m, k], from: -1, to: 1)
    let b = try random.uniformTensor(shape: [k, n], from: -1, to: 1)
    let expected = try Tensor(shape: [m, n], floats: Self.naiveMatmul(a.floats!, b.floats!, m: m, n: n, k: k))
    for strategy in [ContractionStrategy.packedGEMM, .stridedLoop, .automatic] {
      let c = try Kernels.contract(a, labels: [0, 1], b, labels: [1, 2], output: [0, 2], strategy: strategy)
      expectClose(c, expected, relative: 1e-5, absolute: 1e-5)
    }
    // Transposed operand layouts go through the strided packing paths.
    let at = try Kernels.permute(a, axes: [1, 0])
    let bt = try Kernels.permute(b, axes: [1, 0])
    let c2 = try Kernels.contract(at, labels: [1, 0], bt, labels: [2, 1], output: [0, 2], strategy: .packedGEMM)
    expectClose(c2, expected, relative: 1e-5, absolute: 1e-5)
  }

  /// A large product is split across threads and still matches the naive loop.
  @Test func parallelGEMMMatchesNaive() throws {
    var random = RandomSource(seed: 99)
    let (m, n, k) = (200, 150, 90)
    let a = try random.uniformTensor(shape: [m, k], from: -1, to: 1)
    let b = try random.uniformTensor(shape: [k, n], from: -1, to: 1)
    let expected = try Tensor(shape: [m, n], floats: Self.naiveMatmul(a.floats!, b.floats!, m: m, n: n, k: k))
    expectClose(try Kernels.matmul(a, b), expected, relative: 1e-5, absolute: 1e-5)
  }

  /// Batched contractions (batch axes, transposed and interleaved layouts) agree across
  /// strategies and with a per-batch naive loop.
  @Test func batchedContraction() throws {
    var random = RandomSource(seed: 5)
    let (batch, m, n, k) = (3, 9, 21, 19)
    let a = try random.uniformTensor(shape: [batch, m, k], from: -1, to: 1)
    let b = try random.uniformTensor(shape: [k, batch, n], from: -1, to: 1)
    let bPerBatch = try Kernels.permute(b, axes: [1, 0, 2]).floats!
    var expected: [Float] = []
    for item in 0..<batch {
      let aItem = Array(a.floats![(item * m * k)..<((item + 1) * m * k)])
      let bItem = Array(bPerBatch[(item * k * n)..<((item + 1) * k * n)])
      expected += Self.naiveMatmul(aItem, bItem, m: m, n: n, k: k)
    }
    let expectedTensor = try Tensor(shape: [batch, m, n], floats: expected)
    for strategy in [ContractionStrategy.packedGEMM, .stridedLoop] {
      let c = try Kernels.contract(a, labels: [0, 1, 2], b, labels: [2, 0, 3], output: [0, 1, 3], strategy: strategy)
      expectClose(c, expectedTensor, relative: 1e-5, absolute: 1e-5)
      let cT = try Kernels.contract(a, labels: [0, 1, 2], b, labels: [2, 0, 3], output: [3, 0, 1], strategy: strategy)
      expectClose(cT, try Kernels.permute(expectedTensor, axes: [2, 0, 1]), relative: 1e-5, absolute: 1e-5)
    }
  }

  /// Fixtures from numpy: a plain matmul and `einsum('bikj,kbnj->bni')`.
  @Test func contractionMatchesNumpy() throws {
    let ab = try Kernels.matmul(try Fixtures.tensor("matmul_a"), try Fixtures.tensor("matmul_b"))
    expectClose(ab, try Fixtures.tensor("matmul_ab"), relative: 1e-5, absolute: 1e-5)
    let a = try Fixtures.tensor("einsum_a")
    let b = try Fixtures.tensor("einsum_b")
    for strategy in [ContractionStrategy.packedGEMM, .stridedLoop] {
      let out = try Kernels.contract(a, labels: [0, 1, 2, 3], b, labels: [2, 0, 4, 3], output: [0, 4, 1], strategy: strategy)
      expectClose(out, try Fixtures.tensor("einsum_out"), relative: 1e-5, absolute: 1e-5)
    }
  }

  /// Labels in one operand only are summed first; outer products and full contractions work.
  @Test func specialContractions() throws {
    let a = try Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
    let b = try Tensor(shape: [2], floats: [10, 20])
    for strategy in [ContractionStrategy.packedGEMM, .stridedLoop] {
      // sum over label 1 (a only), contract label 0 → scalar: (6*10 + 15*20)
      let s = try Kernels.contract(a, labels: [0, 1], b, labels: [0], output: [], strategy: strategy)
      #expect(s.shape == [] && s.floats == [360])
      let outer = try Kernels.contract(b, labels: [0], b, labels: [1], output: [0, 1], strategy: strategy)
      #expect(outer.floats == [100, 200, 200, 400])
    }
    #expect(
      tensorErrorMessage { _ = try Kernels.contract(a, labels: [0, 1], b, labels: [1], output: [0]) }
        == "contract: label 1 has extent 3 in one operand and 2 in the other")
    #expect(throws: TensorError.self) { _ = try Kernels.contract(a, labels: [0, 0], b, labels: [0], output: []) }
    #expect(throws: TensorError.self) { _ = try Kernels.contract(a, labels: [0, 1], b, labels: [0], output: [7]) }
  }

}
