import CircuitCodeGenC
import CircuitNative
import Testing

/// The machine probe compiles with the prelude, loads and measures something plausible.
@Suite struct MachineProbeTests {

  @Test(arguments: [1, 2]) func probeMeasuresPositiveRates(_ threads: Int) throws {
    let cc = CCompiler(.init(flags: ["-O2"], cacheDirectory: CacheIntegrityTests.cacheDirectory("probe\(threads)")))
    let probe = try MachineProbeLibrary(threads: threads, compiler: cc)
    let flops = probe.peakFlops(seconds: 0.001, runs: 2)
    let bandwidth = probe.bandwidth(bytes: 64 << 10, seconds: 0.001, runs: 2)
    // More than 10 MFLOP/s and 10 MB/s, less than 100 TFLOP/s and 100 TB/s on any machine.
    #expect(flops > 1e7 && flops < 1e14)
    #expect(bandwidth > 1e7 && bandwidth < 1e14)
  }
}
