import CircuitPipeline

/// Finds the directories searched for `import name`: the `--stdlib` flag, then
/// `CIRCUIT_STDLIB`, then beside the executable, then the source tree's `stdlib/`.
public enum StdlibLocator {

  /// The existing directories to search, in order.
  public static func searchPath(flag: String?) -> [String] {
    var candidates: [String] = []
    if let f = flag { candidates.append(f) }
    if let e = Platform.environment("CIRCUIT_STDLIB"), !e.isEmpty { candidates.append(e) }
    if let exe = Platform.executablePath {
      let dir = Path.directory(of: exe)
      candidates.append(Path.join(dir, "stdlib"))
      candidates.append(Path.normalize(Path.join(dir, "../share/circuit/stdlib")))
    }
    candidates.append(sourceTreeStdlib)
    var seen: Set<String> = []
    return candidates.filter { Platform.isDirectory($0) && seen.insert($0).inserted }
  }

  /// `stdlib/` at the root of the package this file was compiled from.
  static var sourceTreeStdlib: String {
    let this = #filePath  // …/Sources/CircuitDriver/StdlibLocator.swift
    let root = Path.directory(of: Path.directory(of: Path.directory(of: this)))
    return Path.join(root, "stdlib")
  }
}
