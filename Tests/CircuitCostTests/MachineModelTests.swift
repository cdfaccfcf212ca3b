import CircuitCost
import Testing

/// The roofline arithmetic and the cache format of the machine model.
@Suite struct MachineModelTests {

  static let model = MachineModel(
    compiler: "cc -O3 -march=native",
    rates: [
      .init(
        threads: 2, peakFlops: 100e9,
        bandwidth: [.init(bytes: 1 << 20, bytesPerSecond: 50e9), .init(bytes: 16 << 10, bytesPerSecond: 200e9)]),
      .init(threads: 1, peakFlops: 50e9, bandwidth: [.init(bytes: 16 << 10, bytesPerSecond: 100e9)]),
    ])

  @Test func cacheTextRoundTrips() {
    #expect(MachineModel(text: MachineModelTests.model.text) == MachineModelTests.model)
    #expect(MachineModel(text: "circuit-machine/1\ncompiler cc\nthreads x flops 1\n") == nil)
    #expect(MachineModel(text: "something else") == nil)
  }

  @Test func boundIsTheSlowerOfComputeAndMemory() {
    let m = MachineModelTests.model
    // 1 GFLOP on 2 threads at 100 GFLOP/s: 10 ms; 1 MB at 50 GB/s (1 MiB per thread): 20 µs.
    #expect(m.bound(flops: 1_000_000_000, bytes: 1_000_000, footprint: 2 << 20, threads: 2) == 0.01)
    // No arithmetic, 2 MiB per thread: the 1 MiB level's bandwidth.
    #expect(m.bound(flops: 0, bytes: 50_000_000_000, footprint: 4 << 20, threads: 2) == 1)
    // A footprint below every level streams at the smallest level's rate.
    #expect(m.bound(flops: 0, bytes: 200, footprint: 100, threads: 2) == 1e-9)
    // One thread uses the one-thread rates; three threads the nearest count below.
    #expect(m.bound(flops: 50, bytes: 0, footprint: 0, threads: 1) == 1e-9)
    #expect(m.bound(flops: 100, bytes: 0, footprint: 0, threads: 3) == 1e-9)
  }
}

extension MachineModelTests {
  @Test func ratesAreMonotoneInTheThreadCount() {
    let m = MachineModel(
      compiler: "cc",
      rates: [
        .init(threads: 1, peakFlops: 100, bandwidth: [.init(bytes: 1, bytesPerSecond: 10)]),
        .init(threads: 2, peakFlops: 80, bandwidth: [.init(bytes: 1, bytesPerSecond: 30)]),
      ])
    #expect(m.rates(threads: 2)?.peakFlops == 100)
    #expect(m.rates(threads: 2)?.bandwidth.first?.bytesPerSecond == 30)
  }
}

extension MachineModelTests {
  @Test func remeasuringKeepsTheBetterRates() {
    let slow = MachineModel(
      compiler: "cc", rates: [.init(threads: 1, peakFlops: 50, bandwidth: [.init(bytes: 1, bytesPerSecond: 40)])])
    let fast = MachineModel(
      compiler: "cc", rates: [.init(threads: 1, peakFlops: 90, bandwidth: [.init(bytes: 1, bytesPerSecond: 20)])])
    let merged = slow.merged(with: fast)
    #expect(merged.rates(threads: 1)?.peakFlops == 90)
    #expect(merged.rates(threads: 1)?.bandwidth.first?.bytesPerSecond == 40)
  }
}
