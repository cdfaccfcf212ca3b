import CircuitDiagnostics
import CircuitSyntax

/// A learned parameter of an elaborated circuit instance.
public struct ParameterInstance: Sendable {

  /// The hierarchical name, e.g. `encoder.layer.3.attention.Wq`.
  public let fullName: String

  /// The parameter's type with the instance's sizes.
  public let type: TensorType

  /// The declared initialiser, if any.
  public let initializer: Initializer?

  /// Where the parameter is declared.
  public let range: SourceRange

  /// How many copies the name stands for (more than one for loops with symbolic bounds).
  public let multiplicity: Size
}

/// A size equality the checker could not prove or refute, kept with its location so that it
/// is checked once sizes are concrete.
public struct SizeConstraint: Sendable {

  /// The two sizes that must be equal.
  public let lhs: Size, rhs: Size

  /// What the constraint is about.
  public let message: String

  /// Where it arose.
  public let range: SourceRange
}

/// The type checker: checks every circuit generically (symbolic sizes), and elaborates an
/// entry circuit with given sizes into its instance tree and parameter list.
public final class Checker {

  /// How a body is being checked.
  enum Mode {
    /// Once per circuit, with symbolic sizes; calls use the callee's signature only.
    case generic
    /// As part of an instance tree: calls recurse into callee bodies.
    case instance
  }

  /// The program being checked.
  let program: Program

  /// The diagnostics found.
  var log = DiagnosticLog()

  /// Signatures computed so far, by circuit name.
  public internal(set) var signatures: [String: CircuitSignature] = [:]

  /// Circuits whose signature is being computed (to detect cycles).
  var signaturesInProgress: Set<String> = []

  /// The scope of the body being checked.
  var scope = Scope()

  /// The file of the body being checked.
  var file: SourceFile? = nil

  /// The current mode.
  var mode = Mode.generic

  /// The instance name prefix of the body being checked (instance mode).
  var instancePath: [String] = []

  /// The circuits being elaborated, outermost first (instance mode).
  var instanceStack: [String] = []

  /// The members of `instanceStack` (which has no repeats), for constant-time lookups.
  var instancesInProgress: Set<String> = []

  /// The calls being elaborated, outermost first, for the notes of diagnostics found inside
  /// them (instance mode).
  var instanceFrames: [InstanceFrame] = []

  /// The multiplicity of the current instance (instance mode).
  var multiplicity = Size(1)

  /// Parameters collected (instance mode).
  var parameters: [ParameterInstance] = []

  /// Size equalities deferred to run time.
  var deferred: [SizeConstraint] = []

  /// Instance names already used in the current body, to make them unique, by their path
  /// inside the body.
  var usedInstanceNames: [String: Int] = [:]

  /// The length of `instancePath` where the current body's instance names start.
  var bodyPathStart = 0

  /// The position of each collected parameter in `parameters`, by full name.
  var parameterIndex: [String: Int] = [:]

  /// Whether the current elaboration drops its diagnostics (see `elaborate`).
  var elaboratingQuietly = false

  /// The parameters and deferred constraints of circuit instances elaborated quietly, by
  /// callee and substitution (see `Checker+Instances`).
  var instanceCache: [String: CachedInstance] = [:]

  /// How many times the instance-depth limit was hit.
  var instanceDepthErrors = 0

  /// The parameter tensors, and their values, of instances reused from `instanceCache` in
  /// the current elaboration (counted, not listed).
  var reusedTensors = 0, reusedValues: Size? = Size(0)

  /// The values of the parameters listed in the current quiet elaboration (nil past 64 bits).
  var collectedValues: Size? = Size(0)

  /// How many shared loops enclose the current point.
  var sharedLoopDepth = 0

  /// The name being assigned by the current statement and the range of its expression: a call
  /// spanning exactly that range is named after the variable.
  var assignmentHint: (range: SourceRange, name: String)? = nil

  /// The notes added to every diagnostic reported in instance mode, after those of the
  /// enclosing instances.
  var instanceNotes: [Note] = []

  /// The recursion cycles already reported (sorted member names), so each is reported once.
  var reportedCycles: Set<[String]> = []

  /// The maximum depth of nested circuit instances while elaborating (the instance tree's
  /// depth is at most the number of circuits, since recursion is rejected).
  static let maximumInstanceDepth = 10_000

  /// The most enclosing instances listed in the notes of one diagnostic (innermost first).
  static let maximumInstanceNotes = 16

  /// The most components of an instance name shown in a note (the innermost ones).
  static let maximumInstanceNameComponents = 12

  /// The most names compared with unknown names for "did you mean" suggestions.
  static let maximumSuggestionComparisons = 200_000

  /// The names compared for suggestions so far.
  var suggestionComparisons = 0

  /// The maximum number of loop iterations checked one by one.
  static let maximumUnrolledIterations = 4096

  /// Circuits whose body has been (or is being) checked generically.
  var checkedBodies: Set<String> = []

  /// Sizes of output-only axes that a circuit's body determines (e.g. a convolution's grid),
  /// in terms of its inputs' sizes and size parameters, by circuit and symbol.
  public internal(set) var inferredOutputSizes: [String: [String: Size]] = [:]

  /// The type of every expression checked generically, by source range (the typed program's
  /// side table; for loops checked iteration by iteration, the last iteration's type).
  public internal(set) var expressionTypes: [SourceRange: ValueType] = [:]

  /// Records the elaborated program while elaborating (not quietly).
  var recorder: ElaborationRecorder? = nil

  /// The recorder, while elaborating an instance.
  var recording: ElaborationRecorder? { mode == .instance ? recorder : nil }

  /// Creates a checker for `program`.
  public init(_ program: Program) { self.program = program }

  /// Reports `d`, with the instance notes in instance mode.
  func report(_ d: Diagnostic) {
    if mode == .instance && (!instanceFrames.isEmpty || !instanceNotes.isEmpty) {
      let notes = d.notes + enclosingInstanceNotes() + instanceNotes
      log.report(Diagnostic(d.severity, d.id, d.message, at: d.range, notes: notes))
    } else {
      log.report(d)
    }
  }

  // MARK: - Entry points

  /// Checks every circuit of the program generically, callees before callers (so no body
  /// check nests inside another, however long a chain of calls is), and reports cycles of
  /// calls; returns the signatures by name.
  public func checkAll() -> [String: CircuitSignature] {
    for c in program.circuits { _ = signature(of: c) }
    for c in calleesFirstOrder() { ensureBodyChecked(c) }
    return signatures
  }

  /// Checks the body of `c` generically once (callees on demand before their callers, so
  /// that output sizes the callee's body determines are known at the call).
  func ensureBodyChecked(_ c: Program.CircuitEntry) {
    guard !checkedBodies.contains(c.name) else { return }
    checkedBodies.insert(c.name)
    let saved = (mode, instancePath, instanceStack, multiplicity, instanceNotes, assignmentHint)
    defer { (mode, instancePath, instanceStack, multiplicity, instanceNotes, assignmentHint) = saved }
    let savedInstances = (instancesInProgress, instanceFrames)
    defer { (instancesInProgress, instanceFrames) = savedInstances }
    (mode, instancePath, instanceStack, multiplicity, instanceNotes) = (.generic, [], [], Size(1), [])
    (instancesInProgress, instanceFrames) = ([], [])
    assignmentHint = nil
    _ = checkBody(c, substitution: [:])
  }

  /// Elaborates `entry` with the sizes `sizes` (symbol to value): checks the instance tree
  /// and collects parameters with full names.
  /// `constants` sets the entry's scalar constants (the others keep their defaults).
  /// With `quietly`, diagnostics found while elaborating are dropped (for summaries computed
  /// with symbolic sizes, where the generic check has already reported what it can).
  public func elaborate(
    _ entry: Program.CircuitEntry, sizes: [String: Size], constants: [String: Double] = [:],
    quietly: Bool = false
  ) -> Elaboration {
    let savedLog = log
    let errorsBefore = log.errorCount
    elaboratingQuietly = quietly
    recorder = quietly ? nil : ElaborationRecorder()
    defer {
      elaboratingQuietly = false
      recorder = nil
      if quietly {
        // Recursion is a property of the program, not of the sizes: keep it.
        let recursion = log.all.filter { DiagnosticKind.recursiveCircuit.matches($0) }
        log = savedLog
        for d in recursion { log.report(d) }
      }
    }
    mode = .instance
    parameters = []
    parameterIndex = [:]
    (reusedTensors, reusedValues, collectedValues) = (0, Size(0), Size(0))
    instancePath = []
    multiplicity = Size(1)
    deferred = []
    instanceStack = [entry.name]
    instancesInProgress = [entry.name]
    instanceFrames = []
    defer { (instanceStack, instancesInProgress, instanceFrames) = ([], [], []) }
    let savedNotes = instanceNotes
    defer { instanceNotes = savedNotes }
    if !sizes.isEmpty {
      let given = sizes.keys.sorted().map { "\($0) = \(sizes[$0]!)" }.joined(separator: ", ")
      instanceNotes = [Note("while checking '\(entry.name)' with \(given)")]
    }
    var sizes = sizes
    ensureBodyChecked(entry)
    let inferred = inferredOutputSizes[entry.name] ?? [:]
    for s in inferred.keys.sorted() where sizes[s] == nil {
      if let v = try? inferred[s]!.substituting(sizes) { sizes[s] = v }
    }
    let outputs = checkBody(entry, substitution: sizes, constants: constants)
    requireCountableParameters(of: entry)
    let sig = signature(of: entry)?.substituting(sizes)
    let program = recorder?.program(
      name: entry.name, circuit: entry.decl.name.name, site: entry.decl.name.range,
      outputNames: entry.decl.outputNames.map { $0?.name }, isComplete: log.errorCount == errorsBefore)
    return Elaboration(
      signature: sig, outputs: outputs, parameters: parameters,
      reusedParameters: (reusedTensors, reusedValues), deferred: deferred, sizes: sizes,
      program: program)
  }

  /// The diagnostics found so far.
  public var diagnostics: DiagnosticLog { log }
}

/// The result of elaborating an entry circuit.
public struct Elaboration: Sendable {

  /// The entry's signature with the given sizes.
  public let signature: CircuitSignature?

  /// The output types computed from the body.
  public let outputs: [TensorType]?

  /// Every parameter of the instance tree, in order of declaration; a quiet elaboration
  /// lists only those of instances not reused from an earlier one (see `tensorCount`).
  public let parameters: [ParameterInstance]

  /// The parameter tensors and values of reused instances (quiet elaborations only; nil
  /// values when they overflow 64 bits).
  let reusedParameters: (tensors: Int, values: Size?)

  /// The number of parameter tensors of the instance tree.
  public var tensorCount: Int { parameters.count + reusedParameters.tensors }

  /// Size equalities that could not be decided with the given sizes.
  public let deferred: [SizeConstraint]

  /// The sizes used: the given ones plus output sizes the body determines.
  public let sizes: [String: Size]

  /// The elaborated instance tree, which lowering turns into IR (nil for quiet elaborations).
  public let program: ElaboratedProgram?

  /// The total parameter count.
  ///
  /// - Throws: `SizeError.overflow` when it does not fit in 64 bits (the checker has then
  ///   reported `element-count-overflow`, except in quiet elaborations).
  public func parameterCount() throws(SizeError) -> Size {
    guard let reused = reusedParameters.values else { throw .overflow }
    return try Size.add(reused, ParameterInstance.totalCount(parameters))
  }
}

extension ParameterInstance {

  /// The number of elements the parameter stands for: its element count times its
  /// multiplicity.
  public func elementCount() throws(SizeError) -> Size {
    try Size.multiply(type.elementCountSize(), multiplicity)
  }

  /// The elements of all of `parameters` together; the one place parameter totals are summed.
  public static func totalCount(_ parameters: [ParameterInstance]) throws(SizeError) -> Size {
    var total = Size(0)
    for p in parameters { total = try Size.add(total, p.elementCount()) }
    return total
  }}
