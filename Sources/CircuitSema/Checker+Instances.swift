import CircuitDiagnostics
import CircuitSyntax

/// A call being elaborated: enough to describe it in a note, which is built only when a
/// diagnostic is reported inside it (so deep instance trees cost no text per level).
struct InstanceFrame {

  /// The length of the checker's instance path up to and including this instance.
  let pathLength: Int

  /// The called circuit's name.
  let callee: String

  /// The callee's symbols in the caller's sizes.
  let substitution: [String: Size]

  /// The call.
  let range: SourceRange
}

/// What elaborating one circuit instance quietly adds: how many parameters, with how many
/// values, and its deferred size constraints. (Names are not kept: a summary only counts, and
/// the names of a deep instance tree would cost quadratic space.)
struct CachedInstance {

  /// The number of parameter tensors of the instance tree.
  let tensors: Int

  /// Their number of values.
  let values: Size

  /// The size equalities deferred inside the instance.
  let deferred: [SizeConstraint]
}

extension Checker {

  /// The notes naming the instances around the current point, innermost first, at most
  /// `maximumInstanceNotes` of them and then a count of the rest; a name deeper than
  /// `maximumInstanceNameComponents` shows only its last components.
  func enclosingInstanceNotes() -> [Note] {
    let shown = instanceFrames.suffix(Checker.maximumInstanceNotes).reversed()
    var notes = shown.map { f in
      let bindings = f.substitution.keys.sorted().map { "\($0) = \(f.substitution[$0]!)" }
      let first = max(0, f.pathLength - Checker.maximumInstanceNameComponents)
      let name = (first > 0 ? "..." : "") + instancePath[first..<f.pathLength].joined(separator: ".")
      return Note(
        "in instance '\(name)' of '\(f.callee)' (\(bindings.joined(separator: ", ")))", at: f.range)
    }
    if instanceFrames.count > shown.count {
      notes.append(Note("and \(instanceFrames.count - shown.count) more enclosing instances"))
    }
    return notes
  }

  /// Adds `p` to the elaboration's parameters.
  func collect(_ p: ParameterInstance) {
    parameterIndex[p.fullName] = parameters.count
    parameters.append(p)
    if elaboratingQuietly, let sum = collectedValues {
      collectedValues = try? Size.add(sum, p.elementCount())
    }
  }

  /// The values of the parameters collected and reused so far in a quiet elaboration (nil
  /// past 64 bits).
  private var valuesSoFar: Size? {
    guard let a = collectedValues, let b = reusedValues else { return nil }
    return try? Size.add(a, b)
  }

  /// Whether instances of circuits can be reused from the cache here: while elaborating
  /// quietly for a summary (no observer, diagnostics dropped), outside symbolic loops and
  /// outside shared loops (whose iterations are one instance, elaborated again).
  private var cachesInstances: Bool {
    elaboratingQuietly && recording == nil && multiplicity == Size(1) && sharedLoopDepth == 0
  }

  /// The cache key of an instance of `callee` with `substitution` and `constants` (two
  /// calls with different constants are different instances).
  private func cacheKey(
    _ callee: Program.CircuitEntry, _ substitution: [String: Size], _ constants: [String: Double]
  ) -> String {
    ([callee.name] + substitution.keys.sorted().map { "\($0)=\(substitution[$0]!)" }
      + constants.keys.sorted().map { "\($0):\(constants[$0]!)" })
      .joined(separator: " ")
  }

  /// Counts the cached parameters and adds the constraints of an instance of `callee` with
  /// `substitution`; false when there is none to reuse.
  func reuseCachedInstance(
    of callee: Program.CircuitEntry, substitution: [String: Size], constants: [String: Double]
  ) -> Bool {
    guard cachesInstances, let cached = instanceCache[cacheKey(callee, substitution, constants)] else {
      return false
    }
    reusedTensors += cached.tensors
    reusedValues = reusedValues.flatMap { try? Size.add($0, cached.values) }
    deferred += cached.deferred
    return true
  }

  /// Runs `elaborate` (the elaboration of an instance of `callee` with `substitution`, named
  /// by the current instance path) and caches what it adds, when caching applies and the
  /// instance was elaborated completely.
  func cachingInstance(
    of callee: Program.CircuitEntry, substitution: [String: Size], constants: [String: Double],
    _ elaborate: () -> Void
  ) {
    guard cachesInstances else { return elaborate() }
    let (parametersBefore, deferredBefore, limitsBefore) =
      (parameters.count, deferred.count, instanceDepthErrors)
    let (tensorsBefore, valuesBefore) = (reusedTensors, valuesSoFar)
    elaborate()
    guard instanceDepthErrors == limitsBefore, let before = valuesBefore, let after = valuesSoFar,
      let values = try? Size.subtract(after, before)
    else { return }
    instanceCache[cacheKey(callee, substitution, constants)] = CachedInstance(
      tensors: parameters.count - parametersBefore + reusedTensors - tensorsBefore,
      values: values, deferred: Array(deferred[deferredBefore...]))
  }
}
