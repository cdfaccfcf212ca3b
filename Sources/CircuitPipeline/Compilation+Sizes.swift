import CircuitDiagnostics
import CircuitSema

/// The sizes an entry circuit is lowered with, by size name.
public struct EntrySizes {

  /// Each known size; symbolic sizes remain for what only lowering can infer.
  public let values: [String: Size]
}

extension Compilation {

  /// The sizes to run `entry` with: the file's `sizes { }`, then `given` (`--size`), then
  /// sizes read off the shapes of given inputs (`inputShapes[i]` for input `i`) for axes still
  /// unknown. Reports names in `given` that `entry` does not have (`reportGivenSizes`).
  public func sizes(
    for entry: Entry, given: [(String, Int)], inputShapes: [Int: [Int]] = [:],
    log: inout DiagnosticLog
  ) -> EntrySizes {
    reportGivenSizes(given, for: entry, log: &log)
    let overrides = Dictionary(given, uniquingKeysWith: { _, b in b })
    var sizes = checker.resolveSizes(program.defaultSizes, overrides: overrides)
    guard let sig = checker.signatures[entry.name] else { return EntrySizes(values: sizes) }
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
    return EntrySizes(values: sizes)
  }

  /// The number a size without one is drawn with (`render` of a circuit with symbolic sizes).
  public static let displaySize = 2

  /// The number an output size that only a caller fixes is drawn with: 8, which the usual
  /// exact divisions of channels (`c1 / 4` in a bottleneck) keep whole.
  public static let displayOutputSize = 8

  /// The sizes a caller of `entry` supplies (its size parameters and its inputs' axis sizes)
  /// that neither the file's `sizes { }` nor `given` fixes, each paired with `displaySize`,
  /// by name: what `render` substitutes to draw a circuit whose sizes are symbolic
  /// (`--entry Conv2d` without `--size kk=…`). Output axes are left to lowering, which infers
  /// them from the body, except those the body cannot tell (ResNet's `Block` makes `c1`
  /// channels, a size only its caller fixes: drawn as `displayOutputSize`). The wires still show the names; the legend
  /// lists the substitutes.
  public func displaySizes(for entry: Entry, given: [(String, Int)]) -> [(String, Int)] {
    guard let sig = checker.signatures[entry.name] else { return [] }
    let known = Set(program.defaultSizes.map(\.0.name)).union(given.map(\.0))
    var needed = Set(sig.sizeParameters)
    for input in sig.inputs {
      for axis in input.type.axes { if let s = axis.size.symbolName { needed.insert(s) } }
    }
    var outputOnly = Set<String>()
    let inferred = checker.inferredOutputSizes[entry.name] ?? [:]
    for output in sig.outputs {
      for axis in output.axes {
        if let s = axis.size.symbolName, inferred[s] == nil, !needed.contains(s) { outputOnly.insert(s) }
      }
    }
    return needed.union(outputOnly).intersection(sig.freeSymbols).subtracting(known).sorted().map {
      ($0, outputOnly.contains($0) ? Self.displayOutputSize : Self.displaySize)
    }
  }

  /// Checks the names given with `--size`: an error for a name that is neither a size of
  /// `entry` nor declared in the file's `sizes { }`, a warning for one that `entry` does not
  /// use; both list the entry's sizes.
  func reportGivenSizes(_ given: [(String, Int)], for entry: Entry, log: inout DiagnosticLog) {
    guard let sig = checker.signatures[entry.name], let rootFile = program.units.first?.file else { return }
    let declared = Set(program.defaultSizes.map(\.0.name))
    let known = sig.freeSymbols.sorted()
    let note = Note(known.isEmpty ? "'\(entry.name)' has no sizes" : "its sizes: " + known.joined(separator: ", "))
    for (name, _) in given where !sig.freeSymbols.contains(name) {
      if declared.contains(name) {
        log.report(
          Diagnostic(.unusedSize, "size '\(name)' given with --size is not a size of '\(entry.name)'",
            at: SourceRange.point(rootFile, 0), notes: [note]))
      } else {
        log.report(
          Diagnostic(.unknownSize, "no size named '\(name)' (given with --size) in '\(entry.name)' or in 'sizes { }'",
            at: SourceRange.point(rootFile, 0), notes: [note]))
      }
    }
  }
}
