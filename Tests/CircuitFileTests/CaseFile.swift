import CircuitTestSupport
import Testing

/// A `.circuit` file used as a test case, shown by its package-relative path.
struct CaseFile: CustomTestStringConvertible, Sendable {

  /// The package-relative path.
  let path: String

  /// The path, as the test case's name.
  var testDescription: String { path }

  /// Every annotated case under `Tests/CircuitFileTests/Cases`.
  static var cases: [CaseFile] {
    PackagePaths.files(under: "Tests/CircuitFileTests/Cases", extension: "circuit").map(CaseFile.init)
  }

  /// Every file of `examples/` and `stdlib/`.
  static var programs: [CaseFile] {
    (PackagePaths.files(under: "examples", extension: "circuit")
      + PackagePaths.files(under: "stdlib", extension: "circuit")).map(CaseFile.init)
  }

  /// The golden path for this file with `ext`, mirroring its location under `Golden/`.
  func golden(_ ext: String) -> String {
    let relative = path.hasPrefix("Tests/CircuitFileTests/") ? String(path.dropFirst("Tests/CircuitFileTests/".count)) : path
    return "Tests/CircuitFileTests/Golden/" + relative.dropLast(".circuit".count) + "." + ext
  }
}
