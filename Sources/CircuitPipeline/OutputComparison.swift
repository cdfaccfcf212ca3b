import TensorRuntime

/// The comparison of a backend's outputs with the interpreter's, which defines the semantics.
public enum OutputComparison {

  /// One difference per output pair, in order (`Tensor.difference(from:)`, the reference
  /// being the interpreter's output); `names` are the outputs' names where they have one.
  public static func compare(reference: [Tensor], native: [Tensor], names: [String?] = []) -> [OutputDifference] {
    zip(reference, native).enumerated().map { i, pair in
      OutputDifference(
        index: i, name: i < names.count ? names[i] : nil, difference: pair.1.difference(from: pair.0))
    }
  }
}

/// How far one output of a backend is from the interpreter's.
public struct OutputDifference: CustomStringConvertible {

  /// The output's position.
  public let index: Int

  /// The output's name, when the circuit names it.
  public let name: String?

  /// The difference (relative to the interpreter output's largest magnitude).
  public let difference: TensorDifference

  /// Whether the difference is within `Tensor.relativeTolerance`.
  public var isWithinTolerance: Bool { difference.isWithin() }

  /// `check output 0 'hidden': max abs diff 1.19e-7  max rel diff 2.31e-8  ok`, or `MISMATCH`
  /// with the tolerance.
  public var description: String {
    "check output \(index)\(name.map { " '\($0)'" } ?? ""): max abs diff \(ScientificNotation.format(difference.absolute))"
      + "  max rel diff \(ScientificNotation.format(difference.relative))"
      + (isWithinTolerance ? "  ok" : "  MISMATCH (tolerance \(ScientificNotation.format(Tensor.relativeTolerance)))")
  }
}
