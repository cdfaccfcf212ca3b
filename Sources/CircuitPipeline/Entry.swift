import CircuitDiagnostics
import CircuitSema

/// The circuit a command runs, lowers or draws: chosen by name, else `main`, else the last
/// circuit of the root file.
public struct Entry {

  /// The checked circuit.
  public let circuit: Program.CircuitEntry

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
    program.entry(named: name).map(Entry.init)
  }

  /// The names of the circuits declared in the root file, in order.
  public var rootCircuitNames: [String] {
    program.circuits.filter { $0.unit.file == program.units.first?.file }.map(\.name)
  }
}
