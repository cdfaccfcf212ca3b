import Foundation
import Testing

/// Every diagnostic ID that the front end can emit must appear, as `[id]`, in at least one
/// golden `.diag` file of the annotated cases: each diagnostic has a regression test.
@Suite struct DiagnosticCoverageTests {

  /// The package root, found from this file's location.
  static let root: URL = {
    var dir = URL(filePath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
      if FileManager.default.fileExists(atPath: dir.appending(path: "Package.swift").path) {
        return dir
      }
      dir = dir.deletingLastPathComponent()
    }
    return dir
  }()

  /// The texts of the files under `relative` whose names end in `suffix`.
  static func texts(under relative: String, suffix: String) -> [String] {
    let base = root.appending(path: relative)
    guard let e = FileManager.default.enumerator(atPath: base.path) else { return [] }
    var out: [String] = []
    while let item = e.nextObject() as? String {
      if item.hasSuffix(suffix),
        let t = try? String(contentsOf: base.appending(path: item), encoding: .utf8)
      {
        out.append(t)
      }
    }
    return out
  }

  /// The IDs in `.error("id"` and `.warning("id"` (possibly across a line break).
  static func emittedIDs(in sources: [String]) -> Set<String> {
    let pattern = /\.(?:error|warning)\(\s*"([a-z0-9-]+)"/
    var ids: Set<String> = []
    for s in sources {
      for m in s.matches(of: pattern) { ids.insert(String(m.output.1)) }
    }
    return ids
  }

  @Test func sourcesEmitDiagnostics() {
    let ids = Self.emittedIDs(
      in: Self.texts(under: "Sources/CircuitSema", suffix: ".swift")
        + Self.texts(under: "Sources/CircuitSyntax", suffix: ".swift"))
    #expect(ids.count > 30, "the ID scan found too few IDs; is the pattern stale?")
  }

  @Test func everyDiagnosticIDHasAGoldenCase() {
    let ids = Self.emittedIDs(
      in: Self.texts(under: "Sources/CircuitSema", suffix: ".swift")
        + Self.texts(under: "Sources/CircuitSyntax", suffix: ".swift"))
    let goldens = Self.texts(under: "Tests/CircuitFileTests/Golden/Cases", suffix: ".diag")
      .joined(separator: "\n")
    let uncovered = ids.filter { !goldens.contains("[\($0)]") }.sorted()
    #expect(
      uncovered.isEmpty,
      "diagnostic IDs without a case in Tests/CircuitFileTests/Cases (add one and record its golden): \(uncovered.joined(separator: ", "))"
    )
  }
}
