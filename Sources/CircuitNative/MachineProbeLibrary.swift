import CircuitCodeGenC

/// The machine probe (`MachineProbe`'s C source) compiled with the configured compiler and
/// flags, loaded, and called: the peak FLOP/s of the GEMM micro-kernel, the streaming
/// bandwidth over a working set and the throughput of the branch-free exponential and erf,
/// on a given number of threads.
public final class MachineProbeLibrary: @unchecked Sendable {

  /// `double (long calls)`.
  typealias Flops = @convention(c) (Int) -> Double

  /// `double (long bytes, long repeats)`.
  typealias Bandwidth = @convention(c) (Int, Int) -> Double

  /// `double (long repeats)`.
  typealias Transcendental = @convention(c) (Int) -> Double

  /// The transcendental functions probed.
  public enum Function: Sendable {
    /// `cc_exp_nonpositive_` (softmax).
    case exp
    /// `cc_erf_` (GELU).
    case erf
  }

  /// The library.
  private let library: SharedLibrary

  /// The FLOP/s probe.
  private let flopsProbe: Flops

  /// The bandwidth probe.
  private let bandwidthProbe: Bandwidth

  /// The exponential's and erf's probes.
  private let expProbe: Transcendental, erfProbe: Transcendental

  /// The threads every probe runs on.
  public let threads: Int

  /// Compiles (or finds in the cache) and loads the probe for `threads` threads.
  /// - Throws: `NativeError` when compiling or loading fails.
  public init(threads: Int, compiler: CCompiler) throws(NativeError) {
    let built = try compiler.compile(MachineProbe.source(threads: threads))
    defer { built.discardTemporaryFiles() }
    library = try SharedLibrary(path: built.libraryPath)
    flopsProbe = unsafeBitCast(try library.symbol(MachineProbe.flopsSymbol), to: Flops.self)
    bandwidthProbe = unsafeBitCast(try library.symbol(MachineProbe.bandwidthSymbol), to: Bandwidth.self)
    expProbe = unsafeBitCast(try library.symbol(MachineProbe.expSymbol), to: Transcendental.self)
    erfProbe = unsafeBitCast(try library.symbol(MachineProbe.erfSymbol), to: Transcendental.self)
    self.threads = threads
  }

  /// The best FLOP/s of `runs` short runs (about `seconds` each): the best is the one least
  /// disturbed by other load, and a short run is likely to fit one scheduler time slice.
  public func peakFlops(seconds: Double = 0.003, runs: Int = 40) -> Double {
    let first = flopsProbe(2000)
    guard first > 0 else { return 0 }
    let calls = max(20, Int(seconds * first / Double(threads) / Double(MachineProbe.flopsPerCall)))
    return (0..<max(1, runs)).map { _ in flopsProbe(calls) }.max() ?? 0
  }

  /// The best bytes/s of `runs` runs streaming over `bytes` per thread, each about `seconds`.
  public func bandwidth(bytes: Int, seconds: Double = 0.005, runs: Int = 15) -> Double {
    let first = bandwidthProbe(bytes, 2)
    guard first > 0 else { return 0 }
    let repeats = max(2, Int(seconds * first / Double(threads) / Double(bytes)))
    return (0..<max(1, runs)).map { _ in bandwidthProbe(bytes, repeats) }.max() ?? 0
  }

  /// The best calls/s of `runs` runs of `function` over a cache-resident row, each about
  /// `seconds`, on every thread.
  public func throughput(of function: Function, seconds: Double = 0.003, runs: Int = 20) -> Double {
    let probe = function == .exp ? expProbe : erfProbe
    let first = probe(4)
    guard first > 0 else { return 0 }
    let repeats = max(2, Int(seconds * first / Double(threads) / Double(MachineProbe.transcendentalRow)))
    return (0..<max(1, runs)).map { _ in probe(repeats) }.max() ?? 0
  }
}
