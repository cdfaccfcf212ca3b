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

/// What elaborating one circuit instance quietly adds, relative to the instance: its
/// parameters (with names after the instance's own) and its deferred size constraints.
struct CachedInstance {

  /// The parameters, with the part of the full name after the instance's path.
  let parameters: [(suffix: String, parameter: ParameterInstance)]

  /// The size equalities deferred inside the instance.
  let deferred: [SizeConstraint]
}

extension Checker {

  /// The notes naming the instances around the current point, innermost first, at most
  /// `maximumInstanceNotes` of them and then a count of the rest.
  func enclosingInstanceNotes() -> [Note] {
    let shown = instanceFrames.suffix(Checker.maximumInstanceNotes).reversed()
    var notes = shown.map { f in
      let bindings = f.substitution.keys.sorted().map { "\($0) = \(f.substitution[$0]!)" }
      return Note(
        "in instance '\(instancePath[..<f.pathLength].joined(separator: "."))' of '\(f.callee)' (\(bindings.joined(separator: ", ")))",
        at: f.range)
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
  }

  /// Whether instances of circuits can be reused from the cache here: while elaborating
  /// quietly for a summary (no observer, diagnostics dropped) outside symbolic loops.
  private var cachesInstances: Bool {
    elaboratingQuietly && emit == nil && multiplicity == Size(1)
  }

  /// The cache key of an instance of `callee` with `substitution`.
  private func cacheKey(_ callee: Program.CircuitEntry, _ substitution: [String: Size]) -> String {
    ([callee.name] + substitution.keys.sorted().map { "\($0)=\(substitution[$0]!)" })
      .joined(separator: " ")
  }

  /// Adds the cached parameters and constraints of an instance of `callee` with
  /// `substitution`, named by the current instance path; false when there is none to reuse.
  func reuseCachedInstance(of callee: Program.CircuitEntry, substitution: [String: Size]) -> Bool {
    guard cachesInstances, let cached = instanceCache[cacheKey(callee, substitution)] else {
      return false
    }
    let prefix = cached.parameters.isEmpty ? "" : instancePath.joined(separator: ".")
    for (suffix, p) in cached.parameters where parameterIndex[prefix + suffix] == nil {
      collect(
        ParameterInstance(
          fullName: prefix + suffix, type: p.type, initializer: p.initializer, range: p.range,
          multiplicity: p.multiplicity))
    }
    deferred += cached.deferred
    return true
  }

  /// Runs `elaborate` (the elaboration of an instance of `callee` with `substitution`, named
  /// by the current instance path) and caches what it adds, when caching applies and the
  /// instance was elaborated completely.
  func cachingInstance(
    of callee: Program.CircuitEntry, substitution: [String: Size], _ elaborate: () -> Void
  ) {
    guard cachesInstances else { return elaborate() }
    let (parametersBefore, deferredBefore, limitsBefore) =
      (parameters.count, deferred.count, instanceDepthErrors)
    elaborate()
    guard instanceDepthErrors == limitsBefore else { return }
    let prefixLength =
      parameters.count == parametersBefore ? 0 : instancePath.joined(separator: ".").count
    instanceCache[cacheKey(callee, substitution)] = CachedInstance(
      parameters: parameters[parametersBefore...].map { (String($0.fullName.dropFirst(prefixLength)), $0) },
      deferred: Array(deferred[deferredBefore...]))
  }
}
