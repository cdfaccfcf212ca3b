import CircuitDiagnostics
import CircuitSema

/// The circuit a command runs, lowers or draws: chosen by name, else `main`, else the last
/// circuit of the root file.
public struct Entry {

  /// The checked circuit.
  public let circuit: Program.CircuitEntry

  /// The scalar constants given for this run (`--const name=value`); the others keep the
  /// defaults the circuit declares.
  public var constants: [String: Double] = [:]

  /// The circuit's name.
  public var name: String { circuit.name }

  /// The names of its inputs, in order.
  public var inputNames: [String] { circuit.decl.inputs.map(\.name.name) }

  /// Where its name is declared (the site of errors about the whole circuit).
  public var site: SourceRange { circuit.decl.name.range }
}

extension Compilation {

  /// The entry circuit `name` (nil: `main`, else the last circuit of the root file); nil when
  /// there is none.
  public func entry(named name: String?) -> Entry? {
    program.entry(named: name).map { Entry(circuit: $0) }
  }

  /// The names of the circuits declared in the root file, in order.
  public var rootCircuitNames: [String] {
    program.circuits.filter { $0.unit.file == program.units.first?.file }.map(\.name)
  }
}

extension Compilation {

  /// `entry` with the scalar constants `given` (in order; a later value wins), after
  /// reporting each name that is not a constant of the entry.
  public func entry(
    _ entry: Entry, settingConstants given: [(String, Double)], log: inout DiagnosticLog
  ) -> Entry {
    guard !given.isEmpty else { return entry }
    let declared = entry.circuit.decl.constants.map(\.name.name)
    let note = Note(
      declared.isEmpty ? "'\(entry.name)' declares no constants" : "its constants: " + declared.joined(separator: ", "))
    var result = entry
    for (name, value) in given {
      guard declared.contains(name) else {
        log.report(
          Diagnostic(.unknownConstant, "no constant named '\(name)' (given with --const) in '\(entry.name)'",
            at: entry.site, notes: [note]))
        continue
      }
      result.constants[name] = value
    }
    return result
  }
}
