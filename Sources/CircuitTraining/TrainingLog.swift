/// The lines of a training log: every step and every evaluation, as CSV (one header line) or
/// JSON lines. Numbers are printed in Swift's shortest round-trip form.
public enum TrainingLog {

  /// The log's format.
  public enum Format: String, Sendable {
    /// Comma-separated values with a header.
    case csv
    /// One JSON object per line.
    case jsonl

    /// The format implied by a file name (`.jsonl`/`.json`: JSON lines, else CSV).
    public init(fileName: String) {
      self = fileName.hasSuffix(".jsonl") || fileName.hasSuffix(".json") ? .jsonl : .csv
    }
  }

  /// The CSV columns.
  static let columns = ["kind", "epoch", "step", "batch", "examples", "loss", "metric", "learning_rate", "gradient_norm"]

  /// The header (CSV only; empty for JSON lines).
  public static func header(_ format: Format) -> String {
    format == .csv ? columns.joined(separator: ",") + "\n" : ""
  }

  /// The line of one training step.
  public static func line(_ s: TrainingLoop.Step, _ format: Format) -> String {
    line(
      [
        ("kind", "step"), ("epoch", "\(s.epoch)"), ("step", "\(s.step)"), ("batch", "\(s.batch)"),
        ("examples", "\(s.examples)"), ("loss", "\(s.loss)"), ("metric", nil),
        ("learning_rate", "\(s.update.learningRate)"), ("gradient_norm", "\(s.update.gradientNorm)"),
      ], format)
  }

  /// The line of the evaluation after epoch `epoch` (`step` updates done).
  public static func line(_ e: Evaluation, epoch: Int, step: Int, _ format: Format) -> String {
    line(
      [
        ("kind", "eval"), ("epoch", "\(epoch)"), ("step", "\(step)"), ("batch", nil), ("examples", "\(e.examples)"),
        ("loss", "\(e.loss)"), ("metric", e.metric.map { "\($0)" }), ("learning_rate", nil), ("gradient_norm", nil),
      ], format)
  }

  /// One line of `fields` (in `columns` order; nil: empty / omitted).
  static func line(_ fields: [(String, String?)], _ format: Format) -> String {
    switch format {
    case .csv:
      return fields.map { $0.1 ?? "" }.joined(separator: ",") + "\n"
    case .jsonl:
      let items = fields.compactMap { key, value in
        value.map { "\"\(key)\":" + (key == "kind" ? "\"\($0)\"" : json($0)) }
      }
      return "{" + items.joined(separator: ",") + "}\n"
    }
  }

  /// A number for JSON: non-finite values become `null`.
  static func json(_ number: String) -> String {
    Double(number).map { $0.isFinite } == true ? number : "null"
  }
}
