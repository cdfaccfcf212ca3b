import Foundation

/// Paths inside the package, found from this file's location.
public enum PackagePaths {

  /// The package root (the folder holding `Package.swift`).
  public static let root: String = {
    var dir = URL(filePath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
      if FileManager.default.fileExists(atPath: dir.appending(path: "Package.swift").path) {
        return dir.path
      }
      dir = dir.deletingLastPathComponent()
    }
    return "."
  }()

  /// `root/relative`.
  public static func path(_ relative: String) -> String { root + "/" + relative }

  /// The files under `relative` (recursively) ending in `.extension`, as package-relative
  /// paths in sorted order.
  public static func files(under relative: String, extension ext: String) -> [String] {
    let base = path(relative)
    guard let e = FileManager.default.enumerator(atPath: base) else { return [] }
    var out: [String] = []
    while let item = e.nextObject() as? String {
      if item.hasSuffix("." + ext) { out.append(relative + "/" + item) }
    }
    return out.sorted()
  }

  /// The text of the package file at `relative`, if it exists.
  public static func read(_ relative: String) -> String? {
    try? String(contentsOfFile: path(relative), encoding: .utf8)
  }
}
