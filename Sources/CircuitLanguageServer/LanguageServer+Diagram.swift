import CircuitDiagnostics
import CircuitDiagram
import CircuitIR
import CircuitPipeline
import TensorRuntime

extension LanguageServer {

  /// `circuit/diagram` (params: `textDocument`, `position`): the SVG diagram of the circuit
  /// around the cursor (else the file's entry), drawn as `circuit render --entry` draws it:
  /// `{ "circuit": name, "svg": text }`. A file with errors gets a request error.
  func diagram(_ a: Analysis, _ offset: Int) throws(Failure) -> JSONValue {
    // A fresh compilation: lowering elaborates with concrete sizes, which the cached
    // analysis's checker must not see.
    guard let fresh = Analysis(path: a.path, reader: overlay, stdlibPath: stdlibPath) else {
      throw Failure(code: -32803, message: "cannot read the document")
    }
    let c = fresh.compilation
    if let first = c.log.sorted.first(where: { $0.severity == .error }) {
      throw Failure(code: -32803, message: "cannot draw: \(first.range): \(first.message)")
    }
    let name = a.circuit(at: offset)?.name.name
    guard let entry = c.entry(named: name) else { throw Failure(code: -32803, message: "no circuit to draw") }
    let shown = c.displaySizes(for: entry, given: [])
    var log = DiagnosticLog()
    let sizes = c.sizes(for: entry, given: shown, log: &log)
    let lowered: CircuitIR.IR.Function?
    do throws(InternalError) {
      lowered = try c.lower(entry, sizes: sizes, raw: true, log: &log)
    } catch {
      throw Failure(code: -32803, message: "internal compiler error: \(error)")
    }
    guard let function = lowered else {
      let first = log.sorted.first { $0.severity == .error }
      throw Failure(code: -32803, message: "cannot draw '\(entry.name)': \(first?.message ?? "it does not lower")")
    }
    var options = DiagramOptions()
    c.annotate(&options, for: entry, function: function, shown: shown)
    return .fields(["circuit": .string(entry.name), "svg": .string(DiagramRenderer.render(function, options: options))])
  }
}
