/// What one machine sustains, measured by the C backend's own code (`circuit cost
/// --machine`): per thread count, the GEMM micro-kernel's peak FLOP/s, the streaming
/// bandwidth over working sets of several sizes, and the throughput of the branch-free
/// exponential (softmax's) and erf (GELU's). It gives each step the roofline lower bound
/// max(FLOPs / peak, exps / exp rate + erfs / erf rate, bytes / bandwidth).
public struct MachineModel: Sendable, Equatable {

  /// The rates on one number of threads.
  public struct Rates: Sendable, Equatable {
    /// The threads.
    public let threads: Int
    /// Peak FLOP/s of the micro-kernel on all of them.
    public let peakFlops: Double
    /// Bytes/s streaming over a working set of `bytes` (per thread), by increasing `bytes`.
    public let bandwidth: [Level]
    /// Calls/s of `cc_exp_nonpositive_` and of `cc_erf_` on all the threads; 0 when not
    /// measured (a cache written before the transcendental probe).
    public let expPerSecond: Double, erfPerSecond: Double

    /// Creates the rates.
    public init(threads: Int, peakFlops: Double, bandwidth: [Level], expPerSecond: Double = 0, erfPerSecond: Double = 0) {
      (self.threads, self.peakFlops, self.bandwidth) = (threads, peakFlops, bandwidth.sorted { $0.bytes < $1.bytes })
      (self.expPerSecond, self.erfPerSecond) = (expPerSecond, erfPerSecond)
    }

    /// The better of these rates and `other`'s, rate by rate (bandwidth by working set).
    func better(_ other: Rates, threads: Int) -> Rates {
      let levels = bandwidth.map { l in
        Level(bytes: l.bytes, bytesPerSecond: max(l.bytesPerSecond, other.bandwidth.first { $0.bytes == l.bytes }?.bytesPerSecond ?? 0))
      }
      return Rates(
        threads: threads, peakFlops: max(peakFlops, other.peakFlops), bandwidth: levels,
        expPerSecond: max(expPerSecond, other.expPerSecond), erfPerSecond: max(erfPerSecond, other.erfPerSecond))
    }

    /// The bandwidth a step whose data spans `footprint` bytes can at best reach: that of
    /// the largest measured working set not above it (the smallest set's when below all),
    /// since smaller working sets stream at least as fast.
    public func bandwidth(footprint: Int) -> Double {
      (bandwidth.last { $0.bytes <= footprint } ?? bandwidth.first)?.bytesPerSecond ?? 0
    }
  }

  /// One measured working set.
  public struct Level: Sendable, Equatable {
    /// Bytes of the working set per thread.
    public let bytes: Int
    /// Bytes read and written per second over it.
    public let bytesPerSecond: Double
    /// Creates a level.
    public init(bytes: Int, bytesPerSecond: Double) { (self.bytes, self.bytesPerSecond) = (bytes, bytesPerSecond) }
  }

  /// The working sets measured: from first-level cache to main memory.
  public static let workingSets = [16 << 10, 128 << 10, 1 << 20, 8 << 20, 64 << 20]

  /// The compiler and flags the rates were measured with (a cache of another is stale).
  public let compiler: String

  /// The rates, by increasing thread count.
  public let rates: [Rates]

  /// Creates a model. Rates are made monotone in the thread count (more threads can always
  /// leave some idle), which also keeps a measurement disturbed by other load from raising
  /// the bounds.
  public init(compiler: String, rates: [Rates]) {
    self.compiler = compiler
    var out: [Rates] = []
    for r in rates.sorted(by: { $0.threads < $1.threads }) {
      guard let previous = out.last else {
        out.append(r)
        continue
      }
      out.append(r.better(previous, threads: r.threads))
    }
    self.rates = out
  }

  /// The better of two measurements of the same machine, rate by rate (a measurement can only
  /// underestimate what the hardware sustains, when other load disturbs it).
  public func merged(with other: MachineModel) -> MachineModel {
    var byThreads = Dictionary(uniqueKeysWithValues: rates.map { ($0.threads, $0) })
    for r in other.rates {
      guard let mine = byThreads[r.threads] else {
        byThreads[r.threads] = r
        continue
      }
      byThreads[r.threads] = mine.better(r, threads: r.threads)
    }
    return MachineModel(compiler: compiler, rates: Array(byThreads.values))
  }

  /// The rates on `threads` threads (the nearest measured count not above it).
  public func rates(threads: Int) -> Rates? { rates.last { $0.threads <= threads } ?? rates.first }

  /// Whether every thread count has its transcendental rates (a cache written before the
  /// transcendental probe has none: the driver measures again).
  public var hasTranscendentalRates: Bool { !rates.isEmpty && rates.allSatisfy { $0.expPerSecond > 0 && $0.erfPerSecond > 0 } }

  /// The roofline lower bound in seconds for `flops` FLOPs, `exps` calls of the exponential
  /// and `erfs` of erf, moving `bytes` bytes over a footprint of `footprint` bytes on
  /// `threads` threads: the largest of the compute, transcendental and memory times. The
  /// exponentials and erfs are summed (both occupy the same vector units); an unmeasured
  /// rate bounds nothing.
  public func bound(flops: Int, exps: Int = 0, erfs: Int = 0, bytes: Int, footprint: Int, threads: Int) -> Double {
    guard let r = rates(threads: threads), r.peakFlops > 0 else { return 0 }
    let bw = r.bandwidth(footprint: max(1, footprint / max(1, r.threads)))
    func time(_ calls: Int, _ rate: Double) -> Double { rate > 0 ? Double(calls) / rate : 0 }
    return max(Double(flops) / r.peakFlops, time(exps, r.expPerSecond) + time(erfs, r.erfPerSecond), time(bytes, bw))
  }

  /// The lower bound of each step of `p` (its footprint: bytes moved plus scratch); a
  /// Winograd convolution performs 2.25× fewer multiply-adds than its FLOPs count.
  public func bounds(_ p: PlanCost) -> [Double] {
    p.steps.map { s in
      let flops = s.winograd ? Int(Double(s.cost.flops) / 2.25) : s.cost.flops
      return bound(
        flops: flops, exps: s.exponentials, erfs: s.errorFunctions, bytes: s.bytes, footprint: s.bytes + s.scratchBytes,
        threads: s.threads)
    }
  }

  /// The cache file's text: a header line, then one line per measurement.
  public var text: String {
    var out = "\(MachineModel.format)\ncompiler \(compiler)\n"
    for r in rates {
      out += "threads \(r.threads) flops \(r.peakFlops)\n"
      out += "threads \(r.threads) exp \(r.expPerSecond)\nthreads \(r.threads) erf \(r.erfPerSecond)\n"
      for l in r.bandwidth { out += "threads \(r.threads) bandwidth \(l.bytes) \(l.bytesPerSecond)\n" }
    }
    return out
  }

  /// The cache file's first line.
  public static let format = "circuit-machine/2"

  /// Reads `text` (this format, or `circuit-machine/1`, which has no transcendental rates);
  /// nil when it is not a complete model.
  public init?(text: String) {
    let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    guard let header = lines.first, [[MachineModel.format], ["circuit-machine/1"]].contains(header), lines.count > 1,
      lines[1].first == "compiler"
    else { return nil }
    var flops: [Int: Double] = [:]
    var transcendental: [String: [Int: Double]] = [:]
    var levels: [Int: [Level]] = [:]
    for l in lines.dropFirst(2) {
      guard l.count >= 4, l[0] == "threads", let t = Int(l[1]) else { return nil }
      switch l[2] {
      case "flops": flops[t] = Double(l[3])
      case "exp", "erf":
        guard header == [MachineModel.format], let r = Double(l[3]) else { return nil }
        transcendental[l[2], default: [:]][t] = r
      case "bandwidth":
        guard l.count == 5, let b = Int(l[3]), let r = Double(l[4]) else { return nil }
        levels[t, default: []].append(Level(bytes: b, bytesPerSecond: r))
      default: return nil
      }
    }
    guard !flops.isEmpty, flops.keys.allSatisfy({ levels[$0] != nil }) else { return nil }
    self.init(
      compiler: lines[1].dropFirst().joined(separator: " "),
      rates: flops.map {
        Rates(
          threads: $0.key, peakFlops: $0.value, bandwidth: levels[$0.key]!, expPerSecond: transcendental["exp"]?[$0.key] ?? 0,
          erfPerSecond: transcendental["erf"]?[$0.key] ?? 0)
      })
  }

  /// The table `circuit cost --machine` prints.
  public var report: String {
    var header = ["threads", "GFLOP/s", "Gexp/s", "Gerf/s"]
    header += MachineModel.workingSets.map { "GB/s @" + MachineModel.size($0) }
    let rows = rates.map { r in
      (
        "\(r.threads)",
        [r.peakFlops, r.expPerSecond, r.erfPerSecond].map { PlanReport.format($0 / 1e9, digits: $0 > 0 && $0 < 1e8 ? 3 : 1) }
          + r.bandwidth.map { PlanReport.format($0.bytesPerSecond / 1e9, digits: 1) }
      )
    }
    return "measured with \(compiler)\n"
      + CostReport.table(header: (header[0], Array(header.dropFirst())), rows: rows)
  }

  /// The JSON (the `machine` member of `circuit-cost/1`).
  public var json: JSONDocument {
    .object([
      .init("compiler", .string(compiler)),
      .init(
        "rates",
        .array(
          rates.map { r in
            .object([
              .init("threads", .int(r.threads)), .init("peakFlopsPerSecond", .number(r.peakFlops)),
              .init("expPerSecond", .number(r.expPerSecond)), .init("erfPerSecond", .number(r.erfPerSecond)),
              .init(
                "bandwidth",
                .array(r.bandwidth.map { .object([.init("bytes", .int($0.bytes)), .init("bytesPerSecond", .number($0.bytesPerSecond))]) })),
            ])
          })),
    ])
  }

  /// `16KiB`, `8MiB`.
  static func size(_ bytes: Int) -> String {
    bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20)MiB" : "\(bytes >> 10)KiB"
  }
}
