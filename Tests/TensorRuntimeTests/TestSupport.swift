import Testing

@testable import TensorRuntime

/// Shared helpers for the runtime tests: fixture loading and approximate comparisons.
enum Fixtures {

  /// The fixture folder, found next to this source file.
  static let directory: String = {
    let file = "\(#filePath)"
    return String(file[..<file.lastIndex(of: "/")!]) + "/Fixtures"
  }()

  /// Returns the raw bytes of fixture `name` (with extension).
  static func bytes(_ name: String) throws -> [UInt8] {
    try TensorFiles.readBytes(at: "\(directory)/\(name)")
  }

  /// Loads fixture `name.npy` as a tensor.
  static func tensor(_ name: String) throws -> Tensor {
    try TensorFiles.readNPY(at: "\(directory)/\(name).npy").tensor
  }

}

/// Records an issue unless `actual` approximately equals `expected`.
///
/// The default relative tolerance is `Tensor.relativeTolerance` (of the expected tensor's
/// largest magnitude), as the runtime's contract states.
func expectClose(
  _ actual: Tensor, _ expected: Tensor, relative: Double = Tensor.relativeTolerance, absolute: Double = 0,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let close = actual.isApproximatelyEqual(
    to: expected, relativeTolerance: relative, absoluteTolerance: absolute)
  if !close {
    var worst: Float = 0
    if let a = actual.floats, let e = expected.floats, a.count == e.count {
      for (x, y) in zip(a, e) where x.isFinite && y.isFinite { worst = max(worst, abs(x - y)) }
    }
    Issue.record(
      "tensors differ: shapes \(actual.shape) vs \(expected.shape), max abs error \(worst)",
      sourceLocation: sourceLocation)
  }
}

/// Returns the message of the `TensorFileError` thrown by `body`, or `nil` if none was thrown.
func fileErrorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let error as TensorFileError {
    return error.description
  } catch {
    return "unexpected error type: \(error)"
  }
}

/// Returns the message of the `TensorError` thrown by `body`, or `nil` if none was thrown.
func tensorErrorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let error as TensorError {
    return error.description
  } catch {
    return "unexpected error type: \(error)"
  }
}
