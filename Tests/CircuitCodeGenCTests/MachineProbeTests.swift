import CircuitCodeGenC
import CircuitDriver
import CircuitNative
import Testing

/// The machine probe compiles with the prelude, loads and measures something plausible.
@Suite struct MachineProbeTests {

  /// The probe's compiler at `-O2`, with the environment's cache (`circuit cost --machine`'s):
  /// its key is exact (source, flags, compiler), so a repeated run loads the same library
  /// without `cc`, while changed probe or runtime code is compiled again.
  static var compiler: CCompiler {
    var configuration = CompilerEnvironment.configuration
    configuration.flags = ["-O2"]
    return CCompiler(configuration)
  }

  @Test(arguments: [1, 2]) func probeMeasuresPositiveRates(_ threads: Int) throws {
    let probe = try MachineProbeLibrary(threads: threads, compiler: MachineProbeTests.compiler)
    let flops = probe.peakFlops(seconds: 0.001, runs: 2)
    let bandwidth = probe.bandwidth(bytes: 64 << 10, seconds: 0.001, runs: 2)
    // More than 10 MFLOP/s and 10 MB/s, less than 100 TFLOP/s and 100 TB/s on any machine.
    #expect(flops > 1e7 && flops < 1e14)
    #expect(bandwidth > 1e7 && bandwidth < 1e14)
  }
}

extension MachineProbeTests {
  /// The branch-free exponential and erf run as compiled into programs: between 1 M and
  /// 1 T calls/s; erf (which calls the exponential) is not faster than it by much.
  @Test func probeMeasuresTranscendentalThroughput() throws {
    let probe = try MachineProbeLibrary(threads: 1, compiler: MachineProbeTests.compiler)
    let exp = probe.throughput(of: .exp, seconds: 0.001, runs: 3)
    let erf = probe.throughput(of: .erf, seconds: 0.001, runs: 3)
    #expect(exp > 1e6 && exp < 1e12)
    #expect(erf > 1e6 && erf < 2 * exp)
  }
}
