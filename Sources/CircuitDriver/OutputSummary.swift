import TensorRuntime

/// One-line summaries of tensors: minimum, maximum, mean and the first values.
enum OutputSummary {

  /// `min -0.41 max 0.52 mean 0.0131 first [0.1, 0.2, …]`.
  static func describe(_ t: Tensor) -> String {
    let values: [Double]
    switch t.storage {
    case .float32(let v): values = v.map(Double.init)
    case .int32(let v): values = v.map(Double.init)
    case .bool(let v): values = v.map { $0 ? 1 : 0 }
    }
    guard !values.isEmpty else { return "empty" }
    let finite = values.filter { $0.isFinite }
    let nans = values.count - finite.count
    var parts: [String] = []
    if let lo = finite.min(), let hi = finite.max() {
      parts.append("min \(format(lo)) max \(format(hi)) mean \(format(finite.reduce(0, +) / Double(finite.count)))")
    }
    if nans > 0 { parts.append("\(nans) non-finite") }
    let first = values.prefix(4).map(format).joined(separator: ", ")
    parts.append("first [\(first)\(values.count > 4 ? ", …" : "")]")
    return parts.joined(separator: "  ")
  }

  /// `x` rounded to 6 significant digits, without trailing zeros.
  static func format(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    let magnitude = Swift.abs(x)
    if magnitude < 1e-30 { return "0" }
    if magnitude < 1e-4 || magnitude >= 1e7 { return String(Float(x)) }
    var exponent = 0
    var m = magnitude
    while m >= 10 {
      m /= 10
      exponent += 1
    }
    while m < 1 {
      m *= 10
      exponent -= 1
    }
    var scale = 1.0
    for _ in 0..<max(0, 5 - exponent) { scale *= 10 }
    var s = String((x * scale).rounded() / scale)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s == "-0" ? "0" : s
  }
}
