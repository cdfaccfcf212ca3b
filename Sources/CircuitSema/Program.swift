import CircuitDiagnostics
import CircuitSyntax

/// The result of resolving an import: the file to load, or why it could not be loaded.
public enum ImportResolution: Sendable {
  case found(SourceFile)
  case failed(String, notes: [String])
}

/// A parsed program: a root file and every file it imports, transitively, with the circuits
/// of all of them by name.
public struct Program: Sendable {

  /// The parsed files, root first, then imports in the order first met.
  public let units: [SourceUnit]

  /// Every circuit in declaration order (root file first).
  public let circuits: [CircuitEntry]

  /// The position of each circuit in `circuits`, by name.
  let circuitIndex: [String: Int]

  /// The file-level bundles and size declarations of each file, in order.
  let fileLegends: [SourceFile: (bundles: [BundleDecl], sizes: [SizeDecl])]

  /// Creates a program from its files and circuits (whose names must be distinct).
  init(units: [SourceUnit], circuits: [CircuitEntry]) {
    self.units = units
    self.circuits = circuits
    var index: [String: Int] = [:]
    for (i, c) in circuits.enumerated() where index[c.name] == nil { index[c.name] = i }
    self.circuitIndex = index
    var legends: [SourceFile: (bundles: [BundleDecl], sizes: [SizeDecl])] = [:]
    for unit in units {
      var bundles: [BundleDecl] = []
      var sizes: [SizeDecl] = []
      for item in unit.items {
        switch item {
        case .bundle(let b): bundles.append(b)
        case .sizeDecl(let d): sizes.append(d)
        default: break
        }
      }
      legends[unit.file] = (bundles, sizes)
    }
    self.fileLegends = legends
  }

  /// The file-level bundles and size declarations of `unit`, in order.
  func legend(of unit: SourceUnit) -> (bundles: [BundleDecl], sizes: [SizeDecl]) {
    fileLegends[unit.file] ?? ([], [])
  }

  /// A circuit with the file it is declared in.
  public struct CircuitEntry: Sendable {

    /// The declaration.
    public let decl: CircuitDecl

    /// The unit declaring it.
    public let unit: SourceUnit

    /// The circuit's name.
    public var name: String { decl.name.name }
  }

  /// Parses `root` and, transitively, every file it imports, resolving imports with
  /// `resolve(import, importingFile)`; reports syntax errors, missing imports and duplicate
  /// circuits to `log`.
  public static func load(
    root: SourceFile, reportingTo log: inout DiagnosticLog,
    resolve: (ImportDecl, SourceFile) -> ImportResolution
  ) -> Program {
    var units: [SourceUnit] = []
    var queue = [root]
    var seen: Set<String> = [root.name]
    while !queue.isEmpty {
      let file = queue.removeFirst()
      let unit = Parser.parse(file, reportingTo: &log)
      units.append(unit)
      for case .importDecl(let imp) in unit.items {
        switch resolve(imp, file) {
        case .found(let f):
          if !seen.contains(f.name) {
            seen.insert(f.name)
            queue.append(f)
          }
        case .failed(let message, let notes):
          log.report(
            Diagnostic(.importNotFound, message, at: imp.range, notes: notes.map { Note($0) }))
        }
      }
    }
    var circuits: [CircuitEntry] = []
    var firstDeclaration: [String: SourceRange] = [:]
    for unit in units {
      for case .circuit(let c) in unit.items {
        if let first = firstDeclaration[c.name.name] {
          log.report(
            Diagnostic(.duplicateCircuit, "circuit '\(c.name.name)' is declared more than once",
              at: c.name.range, notes: [Note("first declared here", at: first)]))
          continue
        }
        firstDeclaration[c.name.name] = c.name.range
        circuits.append(CircuitEntry(decl: c, unit: unit))
      }
    }
    return Program(units: units, circuits: circuits)
  }

  /// The circuit named `name`.
  public func circuit(named name: String) -> CircuitEntry? {
    circuitIndex[name].map { circuits[$0] }
  }

  /// The entry circuit of the root file: `name` if given, else `main`, else the root file's
  /// last circuit.
  public func entry(named name: String?) -> CircuitEntry? {
    if let n = name { return circuit(named: n) }
    let rootCircuits = circuits.filter { $0.unit.file == units.first?.file }
    return rootCircuits.first { $0.name == "main" } ?? rootCircuits.last
  }

  /// The default sizes of the root file's `sizes { }` blocks, in order.
  public var defaultSizes: [(Identifier, SizeExpr)] {
    guard let root = units.first else { return [] }
    var out: [(Identifier, SizeExpr)] = []
    for case .sizes(let block) in root.items { out += block.entries }
    return out
  }
}
