import CircuitDiagnostics
import CircuitSema
import CircuitSyntax

/// A program loaded from its root file and imports and checked: the product of the front end
/// that every later step (sizes, lowering, reports, diagrams) starts from.
public struct Compilation {

  /// The loaded program.
  public let program: Program

  /// The checker that checked it.
  public let checker: Checker

  /// The diagnostics of loading and checking.
  public var log: DiagnosticLog

  /// The paths of every file read: the root and its imports.
  public let files: [String]

  /// Reads `path` and its imports through `reader` (searching `stdlibPath` for module
  /// imports), parses them and checks every circuit generically.
  ///
  /// With `checkingDespiteErrors` (editors), the circuits are checked even when parsing or
  /// loading reported errors, so that what parsed still has types.
  ///
  /// - Throws: the reader's failure when the root file cannot be read; a missing or
  ///   unreadable import is a diagnostic in `log` instead.
  public static func load(
    path: String, stdlibPath: [String], reader: SourceReader, checkingDespiteErrors: Bool = false
  ) throws(SourceReader.Failure) -> Compilation {
    let cwd = reader.currentDirectory
    let root = SourceFile(name: displayName(path, cwd: cwd), bytes: try reader.read(path))
    var log = DiagnosticLog()
    var realPaths: [String: String] = [root.name: path]
    let program = Program.load(root: root, reportingTo: &log) { imp, importer in
      let candidates: [String]
      if imp.isPath {
        let base = Path.directory(of: realPaths[importer.name] ?? importer.name)
        candidates = [Path.normalize(Path.join(base, imp.target))]
      } else {
        candidates = stdlibPath.map { Path.join($0, imp.target + ".circuit") }
      }
      guard let found = candidates.first(where: reader.isFile) else {
        let what = imp.isPath ? "file '\(imp.target)'" : "module '\(imp.target)'"
        let searched =
          imp.isPath
          ? ["looked for \(candidates[0])"]
          : stdlibPath.isEmpty
            ? ["no standard library directory was found; pass --stdlib DIR or set CIRCUIT_STDLIB"]
            : ["searched: " + stdlibPath.joined(separator: ", ")]
        return .failed("cannot find \(what)", notes: searched)
      }
      do throws(SourceReader.Failure) {
        let name = displayName(found, cwd: cwd)
        realPaths[name] = found
        return .found(SourceFile(name: name, bytes: try reader.read(found)))
      } catch {
        return .failed("cannot read \(imp.isPath ? "file" : "module") '\(imp.target)': \(error)", notes: [])
      }
    }
    let checker = Checker(program)
    if !log.hasErrors || checkingDespiteErrors { _ = checker.checkAll() }
    log.formUnion(checker.diagnostics)
    return Compilation(program: program, checker: checker, log: log, files: Array(realPaths.values))
  }

  /// `path` relative to `cwd` when inside it.
  static func displayName(_ path: String, cwd: String) -> String {
    path.hasPrefix("/") ? Path.relative(path, to: cwd) : Path.normalize(path)
  }
}
