import CircuitTestSupport
import Foundation
import Testing

/// A runtime size of 1 shares the template of every other value: in the symbolic form index
/// expressions keep their `* stride` and offset terms when a stride is 1 or an offset 0 only
/// because a size is 1, and a column sum is chosen only when its reduced axes lie outside the
/// kept run at every size. Each run builds the template from samples above 1 with the size-1
/// program as the reference, so it succeeds only when their structures agree.
@Suite struct UnitSizeTemplateTests {

  /// Runs `circuit run FILE --backend c --verbose --check` with `arguments`.
  static func run(_ file: String, _ arguments: [String]) -> CircuitInvocation {
    CircuitInvocation.run(["run", file, "--backend", "c", "--verbose", "--check"] + arguments)
  }

  /// Attention with one key (x=1): the scores' `ax_y * 1` stays a product.
  @Test func attentionWithOneKeyRunsFromTheTemplate() {
    let r = Self.run(PackagePaths.path("examples/attention.circuit"), ["--size", "x=1", "--runtime-sizes", "y,x"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stderr.contains("runtime-sized library (y=20, x=1)"), "\(r.stderr)")
  }

  /// Sums over t at t=1: `[b t m]` summed over t is no column sum at other t, so not at t=1.
  @Test func sumsOverOneStepRunFromTheTemplate() throws {
    let dir = BuildTests.scratch("unit-size")
    try """
      sizes { b = 2, t = 5, m = 3 }

      circuit main(X: [b t], Y: [b t m]) -> ([b], [b m]) {
          return (sum[t](X * X), sum[t](Y))
      }

      """.write(toFile: dir + "/sums.circuit", atomically: true, encoding: .utf8)
    let r = Self.run(dir + "/sums.circuit", ["--size", "t=1", "--runtime-sizes", "t"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stderr.contains("runtime-sized library (t=1)"), "\(r.stderr)")
  }

  /// A one-layer encoder at batch 1: its GEMM packs keep the layout's loop order in the
  /// symbolic form (ordering them by the source's strides differs between b=1 and b=2). The
  /// sizes are named `t,b`: `RuntimeSizesTests.oneTemplateAcrossThreadingThresholds` runs an
  /// encoder of the same skeleton (other literals) with `b,t` in parallel and expects its own
  /// template in the store's one slot per skeleton and names, which this run must not replace.
  @Test func anEncoderAtBatchOneRunsFromTheTemplate() {
    let sizes = ["N=1", "m=64", "h=4", "f=128", "npos=64", "b=1", "t=16"].flatMap { ["--size", $0] }
    let r = Self.run(PackagePaths.path("examples/bert.circuit"), sizes + ["--runtime-sizes", "t,b"])
    #expect(r.code == 0, "\(r.stderr)")
    #expect(r.stderr.contains("runtime-sized library (t=16, b=1)"), "\(r.stderr)")
  }
}
