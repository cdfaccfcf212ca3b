import CircuitTraining

/// What `circuit train` shows while it runs: on a terminal, one progress line rewritten per
/// step (epoch, batch, loss, examples/s, ETA); otherwise one plain line per epoch. `live`
/// writes as it happens (the `circuit` executable); otherwise text is collected (tests).
struct TrainingProgress {

  /// Whether to write to the process's streams as it happens.
  let live: Bool

  /// Whether standard error is a terminal (and `live`): the rewritten progress line.
  let terminal: Bool

  /// Collected standard output (when not live).
  var stdout = ""

  /// When the run started and how many examples it has seen since.
  private var start = ContinuousClock.now
  private var examples = 0

  /// Creates a display.
  init(live: Bool, terminal: Bool) {
    self.live = live
    self.terminal = terminal
  }

  /// The number of updates done before this run's first (a resumed run's).
  private var stepsBefore = 0

  /// Restarts the clock (after compiling, before the first step) with `steps` updates done.
  mutating func begin(afterSteps steps: Int) {
    start = .now
    examples = 0
    stepsBefore = steps
  }

  /// The seconds since `begin`.
  var elapsed: Double {
    let d = start.duration(to: .now).components
    return Double(d.seconds) + Double(d.attoseconds) * 1e-18
  }

  /// Examples per second so far.
  var rate: Double { Double(examples) / max(elapsed, 1e-9) }

  /// Records a step; on a terminal rewrites the progress line.
  mutating func step(_ s: TrainingLoop.Step, epochs: Int) {
    examples += s.examples
    guard terminal else { return }
    let left = Double((epochs - s.epoch) * s.batchCount + (s.batchCount - s.batch))
    let eta = Int((left * elapsed / Double(max(1, s.step - stepsBefore))).rounded())
    Platform.writeStandardError(
      "\repoch \(s.epoch)/\(epochs) batch \(s.batch)/\(s.batchCount) loss \(Self.fixed(Double(s.loss))) "
        + "\(Int(rate)) ex/s ETA \(eta / 60):\(String(eta % 60).leftPadded(2))\u{1B}[K")
  }

  /// Writes a line to standard output (after clearing the progress line on a terminal).
  mutating func line(_ text: String) {
    if terminal { Platform.writeStandardError("\r\u{1B}[K") }
    if live { Platform.writeStandardOutput(text + "\n") } else { stdout += text + "\n" }
  }

  /// Hands `session`'s standard error to the terminal now (live) so warnings precede progress.
  func flushWarnings(_ session: Session) {
    guard live else { return }
    Platform.writeStandardError(session.stderr)
    session.stderr = ""
  }

  /// `x` with four decimals (`0.4321`).
  static func fixed(_ x: Double) -> String {
    guard x.isFinite, abs(x) < 1e12 else { return "\(x)" }
    let scaled = Int((abs(x) * 10_000).rounded())
    return (x < 0 && scaled > 0 ? "-" : "") + "\(scaled / 10_000)." + String(scaled % 10_000).leftPadded(4)
  }
}

extension String {

  /// The string with `"0"`s in front up to `width` characters.
  func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
