import CircuitDiagnostics
import CircuitSyntax

/// What a value name is bound to.
struct ValueBinding {

  /// The kinds of bound names.
  enum Kind { case input, constant, value, parameter }

  /// The value's type; nil when the value's expression had an error (uses stay silent).
  var type: ValueType?

  /// Where the name was bound.
  let range: SourceRange

  /// What bound it.
  let kind: Kind

  /// Whether the value has been read.
  var used = false
}

/// The names visible while checking one circuit body.
struct Scope {

  /// Value names to bindings.
  var values: [String: ValueBinding] = [:]

  /// Bindings replaced by a later assignment or gone out of scope, checked for use at the end.
  var retired: [(String, ValueBinding)] = []

  /// The values of the circuit's scalar constants in this instance (their defaults when
  /// checked generically); a constant counts only while its name is bound as `.constant`.
  var constants: [String: Double] = [:]

  /// Declared sizes (legend entries, `=` sizes, loop variables), already evaluated.
  var sizes: [String: Size] = [:]

  /// Where each declared size came from.
  var sizeOrigins: [String: SourceRange] = [:]

  /// Size families `c[i] = …`.
  var families: [String: (index: String, body: SizeExpr)] = [:]

  /// Axis bundles.
  var bundles: [String: [AxisItem]] = [:]

  /// Values of the circuit's free symbols in this instance (empty when checked generically).
  var substitution: [String: Size] = [:]

  /// The free symbols the body may mention (signature axes, size parameters, loop variables).
  var freeSymbols: Set<String> = []

  /// Free symbols that only the outputs mention (like `o` of `Linear`): nothing inside the
  /// body binds them, so operations that infer sizes treat them as unknown.
  var outputOnlySymbols: Set<String> = []

  /// Indexed memories: name to stored slots.
  var memory: [String: [Int: TensorType]] = [:]

  /// Memories stored at a slot that is not a constant, with the stored type.
  var symbolicMemory: [String: TensorType] = [:]

  /// The return statement's value, once seen (nil also when its expression had an error).
  var returned: ValueType? = nil

  /// Whether a return statement was seen.
  var sawReturn = false
}
