import CircuitCost
import CircuitNative
import TensorRuntime

#if canImport(Glibc)
  import Glibc
#endif

extension Session {

  /// The cache file of the machine model, beside the compile cache.
  static var machineModelPath: String { CompilerEnvironment.configuration.cacheDirectory + "/machine.txt" }

  /// The machine model: read from the cache beside the compile cache, or measured once (and
  /// cached) when the cache is missing, unreadable, from another compiler or flags, or
  /// `remeasure` is set (then merged with the cached one, rate by rate the better). Measuring
  /// says so on standard error.
  func machineModel(remeasure: Bool = false) throws(Failure) -> MachineModel {
    let configuration = CompilerEnvironment.configuration
    let compiler = ([configuration.compiler] + configuration.flags).joined(separator: " ")
    let path = Session.machineModelPath
    let cached = (try? Platform.readFile(path)).flatMap { MachineModel(text: String(decoding: $0, as: UTF8.self)) }
      .flatMap { $0.compiler == compiler ? $0 : nil }
    if !remeasure, let cached, cached.hasTranscendentalRates { return cached }
    if !remeasure, cached != nil {
      stderr += "the cached machine model has no transcendental throughput (an older format): measuring again\n"
    }
    let cores = Processors.online
    let counts = Array(Set([1, 2, cores].filter { $0 <= max(2, cores) })).sorted()
    stderr += "measuring the machine (threads \(counts.map(String.init).joined(separator: ", "))) into \(path)\n"
    var rates: [MachineModel.Rates] = []
    for threads in counts {
      let probe: MachineProbeLibrary
      do throws(NativeError) { probe = try MachineProbeLibrary(threads: threads, compiler: CCompiler(configuration)) } catch {
        throw fail("\(error)", CommandLineTool.ExitCode.internalFailure)
      }
      let levels = MachineModel.workingSets.map { MachineModel.Level(bytes: $0, bytesPerSecond: probe.bandwidth(bytes: $0)) }
      let peak = probe.peakFlops()
      let (exp, erf) = (probe.throughput(of: .exp), probe.throughput(of: .erf))
      guard peak > 0, exp > 0, erf > 0, levels.allSatisfy({ $0.bytesPerSecond > 0 }) else {
        throw fail("the machine probe failed on \(threads) threads (out of memory or threads)", CommandLineTool.ExitCode.internalFailure)
      }
      rates.append(MachineModel.Rates(threads: threads, peakFlops: peak, bandwidth: levels, expPerSecond: exp, erfPerSecond: erf))
    }
    let measured = MachineModel(compiler: compiler, rates: rates)
    let model = cached.map { measured.merged(with: $0) } ?? measured
    _ = Platform.makeDirectory(configuration.cacheDirectory)
    do throws(TensorFileError) { try AtomicFile.write(Array(model.text.utf8), to: path) } catch {
      stderr += "warning: could not cache the machine model: \(error)\n"
    }
    return model
  }
}
