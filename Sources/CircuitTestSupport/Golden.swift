import Foundation
import Testing

/// Golden-file comparison with a record mode: `CIRCUIT_RECORD=1`, or a missing golden file,
/// writes the file and fails the test, so that recording never passes silently.
public enum Golden {

  /// Whether record mode is on.
  static var recording: Bool { ProcessInfo.processInfo.environment["CIRCUIT_RECORD"] == "1" }

  /// Compares `actual` with the golden file at the package-relative `relative` path.
  public static func expect(
    _ actual: String, matches relative: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let expected = PackagePaths.read(relative)
    if recording || expected == nil {
      let url = URL(filePath: PackagePaths.path(relative))
      try? FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? actual.write(to: url, atomically: true, encoding: .utf8)
      Issue.record("recorded new golden \(relative); run again without CIRCUIT_RECORD", sourceLocation: sourceLocation)
      return
    }
    if actual != expected! {
      Issue.record(
        "output differs from \(relative) (CIRCUIT_RECORD=1 to update):\n\(lineDiff(expected!, actual))",
        sourceLocation: sourceLocation)
    }
  }

  /// The first 40 differing lines of two texts, `-` expected and `+` actual.
  public static func lineDiff(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(a.count, b.count) where out.count < 40 {
      let x = i < a.count ? String(a[i]) : nil
      let y = i < b.count ? String(b[i]) : nil
      if x != y {
        if let x { out.append("\(i + 1)- \(x)") }
        if let y { out.append("\(i + 1)+ \(y)") }
      }
    }
    return out.joined(separator: "\n")
  }
}
