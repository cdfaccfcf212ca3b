import CircuitDiagnostics
import CircuitIR
import CircuitSema
import CircuitSyntax

extension Compilation {

  /// The sizes to run `entry` with: the file's `sizes { }`, then `--size` options, then sizes
  /// read off the shapes of given inputs (`shapes[i]` for input `i`) for axes still unknown.
  func sizes(
    for entry: Program.CircuitEntry, options: CommonOptions, inputShapes: [Int: [Int]],
    log: inout DiagnosticLog
  ) -> [String: Size] {
    reportGivenSizes(options.sizes, for: entry, log: &log)
    let overrides = Dictionary(options.sizes, uniquingKeysWith: { _, b in b })
    var sizes = checker.resolveSizes(program.defaultSizes, overrides: overrides)
    guard let sig = checker.signatures[entry.name] else { return sizes }
    for (i, input) in sig.inputs.enumerated() {
      guard let shape = inputShapes[i], shape.count == input.type.axes.count else { continue }
      for (axis, n) in zip(input.type.axes, shape) {
        if let s = axis.size.symbolName, overrides[s] == nil, inputShapes.keys.contains(i) {
          if sizes[s] == nil || program.defaultSizes.contains(where: { $0.0.name == s }) {
            sizes[s] = Size(n)
          }
        }
      }
    }
    log.formUnion(checker.diagnostics)
    return sizes
  }

  /// Checks the names given with `--size`: an error for a name that is neither a size of
  /// `entry` nor declared in the file's `sizes { }`, a warning for one that `entry` does not
  /// use; both list the entry's sizes.
  func reportGivenSizes(_ given: [(String, Int)], for entry: Program.CircuitEntry, log: inout DiagnosticLog) {
    guard let sig = checker.signatures[entry.name], let rootFile = program.units.first?.file else { return }
    let declared = Set(program.defaultSizes.map(\.0.name))
    let known = sig.freeSymbols.sorted()
    let note = Note(known.isEmpty ? "'\(entry.name)' has no sizes" : "its sizes: " + known.joined(separator: ", "))
    for (name, _) in given where !sig.freeSymbols.contains(name) {
      if declared.contains(name) {
        log.report(
          .warning(
            "unused-size", "size '\(name)' given with --size is not a size of '\(entry.name)'",
            at: SourceRange.point(rootFile, 0), notes: [note]))
      } else {
        log.report(
          .error(
            "unknown-size", "no size named '\(name)' (given with --size) in '\(entry.name)' or in 'sizes { }'",
            at: SourceRange.point(rootFile, 0), notes: [note]))
      }
    }
  }

  /// The entry circuit lowered to IR with `sizes`, after the standard passes; nil (with
  /// diagnostics in `log`) when it cannot be lowered. `raw` skips the passes.
  func lower(
    _ entry: Program.CircuitEntry, sizes: [String: Size], raw: Bool = false,
    log: inout DiagnosticLog
  ) throws(InternalError) -> IR.Function? {
    guard var function = Lowering.lower(entry, sizes: sizes, checker: checker, reportingTo: &log)
    else { return nil }
    var problems = function.verify().map { "after lowering: \($0)" }
    if !raw {
      PassPipeline.run(PassPipeline.standard, on: &function) { name, f in
        problems += f.verify().map { "after \(name): \($0)" }
      }
    }
    if !problems.isEmpty { throw InternalError(description: problems.joined(separator: "\n")) }
    return function
  }
}

/// A compiler bug detected at run time (exit code 70).
struct InternalError: Error, CustomStringConvertible {

  /// What went wrong.
  let description: String
}
