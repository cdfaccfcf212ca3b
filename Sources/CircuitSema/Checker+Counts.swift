import CircuitDiagnostics

extension Checker {

  /// Reports `element-count-overflow` at `range` when the elements of `parameter` cannot be
  /// counted in 64 bits (say `[a b c]` with each size 2^22): every total would be wrong.
  func requireCountable(_ parameter: ParameterInstance, at range: SourceRange) {
    do throws(SizeError) {
      _ = try parameter.elementCount()
    } catch {
      report(
        Diagnostic(.elementCountOverflow, "parameter '\(parameter.fullName)' (\(parameter.type)) has more elements than 64-bit arithmetic can count",
          at: range, notes: [Note("choose smaller sizes with --size or in 'sizes { }'")]))
    }
  }

  /// Reports `element-count-overflow` at the entry's name when its parameters together have
  /// more elements than 64 bits can count (each alone being countable).
  func requireCountableParameters(of entry: Program.CircuitEntry) {
    guard parameters.allSatisfy({ (try? $0.elementCount()) != nil }) else { return }
    do throws(SizeError) {
      _ = try ParameterInstance.totalCount(parameters)
    } catch {
      report(
        Diagnostic(.elementCountOverflow, "the parameters of '\(entry.name)' together have more elements than 64-bit arithmetic can count",
          at: entry.decl.name.range, notes: [Note("choose smaller sizes with --size or in 'sizes { }'")]))
    }
  }
}
