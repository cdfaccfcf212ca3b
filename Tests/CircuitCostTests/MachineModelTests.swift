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

extension MachineModelTests {
  @Test func transcendentalsBoundSoftmaxAndGelu() {
    let m = MachineModel(
      compiler: "cc",
      rates: [
        .init(
          threads: 1, peakFlops: 100e9, bandwidth: [.init(bytes: 16 << 10, bytesPerSecond: 100e9)], expPerSecond: 2e9,
          erfPerSecond: 1e9)
      ])
    // 1e6 FLOPs: 10 µs; 1e5 exps at 2e9/s (50 µs) plus 1e5 erfs at 1e9/s (100 µs): 150 µs;
    // 1e6 bytes at 100 GB/s: 10 µs. The transcendentals dominate.
    let t = m.bound(flops: 1_000_000, exps: 100_000, erfs: 100_000, bytes: 1_000_000, footprint: 1 << 10, threads: 1)
    #expect(abs(t - 150e-6) < 1e-12)
    // Without transcendental rates (an old cache) they bound nothing.
    let old = MachineModel(text: "circuit-machine/1\ncompiler cc\nthreads 1 flops 100e9\nthreads 1 bandwidth 16384 100e9\n")
    #expect(old?.bound(flops: 1_000_000, exps: 100_000, bytes: 0, footprint: 0, threads: 1) == 1e-5)
  }

  @Test func cacheUpgrade() throws {
    // A cache written before the transcendental probe (format 1) still reads, with no
    // transcendental rates, so the driver measures again; format 2 keeps them.
    let v1 = "circuit-machine/1\ncompiler cc -O3\nthreads 1 flops 5e10\nthreads 1 bandwidth 16384 1e11\n"
    let old = try #require(MachineModel(text: v1))
    #expect(!old.hasTranscendentalRates)
    #expect(old.rates(threads: 1)?.peakFlops == 5e10 && old.compiler == "cc -O3")
    // Format 1 never had exp/erf lines: such a line makes it unreadable, not half-read.
    #expect(MachineModel(text: v1 + "threads 1 exp 1e9\n") == nil)
    let new = MachineModel(
      compiler: "cc -O3",
      rates: [.init(threads: 1, peakFlops: 5e10, bandwidth: [.init(bytes: 16384, bytesPerSecond: 1e11)], expPerSecond: 2e9, erfPerSecond: 1e9)])
    #expect(new.text.hasPrefix("circuit-machine/2\n"))
    let read = try #require(MachineModel(text: new.text))
    #expect(read == new && read.hasTranscendentalRates)
    // Remeasuring merges the old cache with the new measurement: the rates it lacked come in.
    #expect(old.merged(with: new).hasTranscendentalRates)
  }
}
