import CircuitCost
import Testing

/// The Napkin IO model against hand-derived transfers.
@Suite struct NapkinIOTests {

  @Test func tilingMatchesABruteForceSearch() {
    for (m, n, k, M) in [(64, 48, 32, 200), (100, 7, 50, 64), (9, 9, 9, 30), (300, 200, 100, 1000)] {
      var best = Int.max
      for tm in 1...m {
        for tn in 1...n where tm * tn + tm + tn <= M {
          best = min(best, m * n + m * k * ((n + tn - 1) / tn) + n * k * ((m + tm - 1) / tm))
        }
      }
      let fits = m * k + k * n + m * n <= M
      #expect(NapkinIO.matmulTiling(m: m, n: n, k: k, words: M).words == (fits ? m * k + k * n + m * n : best))
    }
  }

  @Test func longAttentionStreamsKeysInsteadOfMaterialisingScores() throws {
    // y = x = 4096 queries and keys, k = v = 16, M = 64 Ki words (256 KiB).
    let a = try CostFixture.analyse(
      "examples/attention.circuit", sizes: [("b", 1), ("k", 16), ("x", 4096), ("y", 4096)], symbolic: false)
    let io = NapkinIO(a.function, fastMemoryBytes: 256 << 10)
    let attention = try #require(io.attentions.first)
    let (y, x, k, M) = (4096, 4096, 16, 65536)
    #expect(attention.batch == 1 && attention.y == y && attention.x == x && attention.k == k && attention.v == k)
    let compulsory = y * k + x * k + x * k + y * k
    #expect(attention.compulsory == compulsory)
    #expect(attention.materialised == compulsory + 4 * y * x)  // scores and weights, written and read
    let ty = (M - 2 * k) / (2 * k + 3)  // 1,867 queries per block
    #expect(attention.queryBlock == ty)
    #expect(attention.streamed == y * k + y * k + ((y + ty - 1) / ty) * x * 2 * k)
    #expect(attention.materialised > 20 * attention.streamed)
  }

  @Test func contractionsOfABertLayerAreClassified() throws {
    let a = try CostFixture.analyse("bench/bert_layer.circuit", symbolic: false)
    let io = NapkinIO(a.function, fastMemoryBytes: 1 << 20)
    #expect(io.contractions.count == 8)
    let scores = try #require(io.contractions.first { $0.batch == 12 && $0.n == 128 })
    #expect((scores.m, scores.k) == (128, 32))
    // Everything of one head's scores fits in 256 Ki words: compulsory traffic only.
    #expect(scores.streamed == scores.compulsory)
    #expect(io.attentions.count == 1)
    for c in io.contractions { #expect(c.lowerBound <= c.streamed) }
  }
}
