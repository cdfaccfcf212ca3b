import Testing

@testable import TensorRuntime

/// Reductions, softmax (with masks), log-softmax and layer normalization against numpy.
@Suite struct ReductionTests {

  /// Sum, mean, max and min over axis sets match numpy within 1e-5 relative.
  @Test func reductionsMatchNumpy() throws {
    let x = try Fixtures.tensor("reduce_x")
    expectClose(try Kernels.reduce(.sum, x, axes: [0, 2]), try Fixtures.tensor("reduce_sum_02"), absolute: 1e-5)
    expectClose(try Kernels.reduce(.mean, x, axes: [1]), try Fixtures.tensor("reduce_mean_1"), absolute: 1e-6)
    expectClose(try Kernels.reduce(.max, x, axes: [2, 1]), try Fixtures.tensor("reduce_max_12"), relative: 0)
    expectClose(try Kernels.reduce(.min, x, axes: [0]), try Fixtures.tensor("reduce_min_0"), relative: 0)
    #expect(
      tensorErrorMessage { _ = try Kernels.reduce(.sum, x, axes: [1, 1]) }
        == "reduce sum: axis 1 is invalid for rank 3")
  }

  /// Softmax over the last axis handles partly and fully masked rows (fully masked → zeros).
  @Test func softmaxWithMasks() throws {
    let x = try Fixtures.tensor("softmax_x")
    let y = try Kernels.softmax(x, axes: [2])
    expectClose(y, try Fixtures.tensor("softmax_last"), relative: 1e-5, absolute: 1e-7)
    let masked = try Kernels.index(try Kernels.index(y, axis: 0, position: 1), axis: 0, position: 2)
    #expect(masked.floats == [0, 0, 0, 0, 0])
    #expect(y.floats!.allSatisfy { !$0.isNaN })
    let logY = try Kernels.logSoftmax(x, axes: [2])
    let maskedLog = try Kernels.index(try Kernels.index(logY, axis: 0, position: 1), axis: 0, position: 2)
    #expect(maskedLog.floats!.allSatisfy { $0 == -.infinity })
  }

  /// Softmax over two axes and log-softmax over a middle axis match numpy.
  @Test func softmaxOverAxisSets() throws {
    let x = try Fixtures.tensor("softmax_ok")
    expectClose(try Kernels.softmax(x, axes: [1, 2]), try Fixtures.tensor("softmax_ok_12"), relative: 1e-5)
    expectClose(try Kernels.logSoftmax(x, axes: [1]), try Fixtures.tensor("logsoftmax_ok_1"), relative: 1e-5, absolute: 1e-6)
    let big = try Tensor(shape: [3], floats: [1000, 1001, 1002])
    #expect(try Kernels.softmax(big, axes: [0]).floats!.allSatisfy { $0.isFinite })
  }

  /// Layer norm (biased variance) matches numpy, with and without affine parameters.
  @Test func layerNormMatchesNumpy() throws {
    let x = try Fixtures.tensor("layernorm_x")
    expectClose(try Kernels.layerNorm(x, axes: [2]), try Fixtures.tensor("layernorm_2"), relative: 1e-5, absolute: 1e-6)
    expectClose(
      try Kernels.layerNorm(x, axes: [1, 2], epsilon: 1e-3), try Fixtures.tensor("layernorm_12"),
      relative: 1e-5, absolute: 1e-6)
    let affine = try Kernels.layerNorm(
      x, axes: [2], scale: try Fixtures.tensor("layernorm_gamma"), bias: try Fixtures.tensor("layernorm_beta"))
    expectClose(affine, try Fixtures.tensor("layernorm_2_affine"), relative: 1e-5, absolute: 1e-6)
    #expect(throws: TensorError.self) {
      _ = try Kernels.layerNorm(x, axes: [1], scale: try Fixtures.tensor("layernorm_gamma"))
    }
  }

}
