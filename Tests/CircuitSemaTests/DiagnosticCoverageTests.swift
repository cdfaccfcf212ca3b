import Foundation
import Testing

/// Every diagnostic ID catalogued by any module (`Sources/<Module>/DiagnosticKind+Catalogue.swift`)
/// must appear, as `[id]`, in a golden `.diag` file of the annotated cases or in a
/// command-line test: each diagnostic has a regression test.
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

  /// One catalogued diagnostic: the module declaring it and its identifier.
  struct Entry: CustomStringConvertible {
    let module: String
    let id: String
    var description: String { "\(module): \(id)" }
  }

  /// Identifiers that no program can provoke: they report compiler bugs.
  static let internalErrors: Set<String> = ["internal-lowering"]

  /// The `Sources/<Module>/DiagnosticKind+Catalogue.swift` files, by module.
  static func catalogues() -> [(module: String, text: String)] {
    let sources = Self.root.appending(path: "Sources")
    let modules = (try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []
    return modules.sorted().compactMap { m in
      let file = sources.appending(path: m).appending(path: "DiagnosticKind+Catalogue.swift")
      return (try? String(contentsOf: file, encoding: .utf8)).map { (m, $0) }
    }
  }

  /// Every catalogued diagnostic of every module.
  static let entries: [Entry] = catalogues().flatMap { c in
    c.text.matches(of: /DiagnosticKind\(\s*\.(?:error|warning|note),\s*"([a-z0-9-]+)"/)
      .map { Entry(module: c.module, id: String($0.output.1)) }
  }

  @Test func everyReportingModuleHasACatalogue() {
    let modules = Set(Self.entries.map(\.module))
    for m in ["CircuitSyntax", "CircuitSema", "CircuitLowering", "CircuitPipeline", "CircuitInterpreter"] {
      #expect(modules.contains(m), "no diagnostic catalogue in Sources/\(m)")
    }
    #expect(Self.entries.count > 60, "the catalogue scan found too few IDs; is the pattern stale?")
    let ids = Self.entries.map(\.id)
    #expect(Set(ids).count == ids.count, "an ID is catalogued twice")
  }

  @Test func emitSitesReferToTheCatalogue() {
    // Inline identifiers (`.error("id", …)`, `DiagnosticID("id")`, `DiagnosticKind(…)`) may
    // appear only in the catalogues and in CircuitDiagnostics itself.
    let inline = /\.(?:error|warning)\(\s*"|DiagnosticID\(\s*"|DiagnosticKind\(\s*\./
    let sources = Self.root.appending(path: "Sources")
    guard let e = FileManager.default.enumerator(atPath: sources.path) else { return }
    while let item = e.nextObject() as? String {
      guard item.hasSuffix(".swift"), !item.hasSuffix("DiagnosticKind+Catalogue.swift"),
        !item.hasPrefix("CircuitDiagnostics/"),
        let text = try? String(contentsOf: sources.appending(path: item), encoding: .utf8)
      else { continue }
      #expect(text.firstMatch(of: inline) == nil, "Sources/\(item) spells a diagnostic ID inline")
    }
  }

  @Test func everyDiagnosticIDHasATest() {
    // A case's golden `.diag` file shows `[id]`; diagnostics past `circuit check` (lowering,
    // memory, runtime) are covered by command-line tests that look for `[id]`.
    let covering = (Self.texts(under: "Tests", suffix: ".diag") + Self.texts(under: "Tests", suffix: ".swift"))
      .joined(separator: "\n")
    let uncovered = Self.entries.filter {
      !Self.internalErrors.contains($0.id) && !covering.contains("[\($0.id)]")
    }
    #expect(
      uncovered.isEmpty,
      "diagnostic IDs without a test (add a case under Tests/CircuitFileTests/Cases and record its golden, or a command-line test): \(uncovered.map(\.description).joined(separator: ", "))"
    )
  }
}
