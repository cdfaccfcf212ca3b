import CircuitDiagnostics

/// The diagnostics of the checker (names, types, sizes, calls, parameters): every identifier this
/// module reports, with its severity and the shape of its message (`…` stands for interpolated
/// text). Emit sites refer to these entries, so an identifier is spelled once;
/// `DiagnosticCoverageTests` requires a test case for each.
extension DiagnosticKind {

  /// `argument-not-constant`: constant '…' of '…' must be a constant number.
  public static let argumentNotConstant = DiagnosticKind(
    .error, "argument-not-constant", "constant '…' of '…' must be a constant number")

  /// `arity-mismatch`: '…' takes no arguments.
  public static let arityMismatch = DiagnosticKind(
    .error, "arity-mismatch", "'…' takes no arguments")

  /// `bad-axis-spec`: '…' ….
  public static let badAxisSpec = DiagnosticKind(.error, "bad-axis-spec", "'…' …")

  /// `bindings-on-builtin`: '…' is a built-in and takes no axis bindings '<…>'.
  public static let bindingsOnBuiltin = DiagnosticKind(
    .error, "bindings-on-builtin", "'…' is a built-in and takes no axis bindings '<…>'")

  /// `broadcast-clash`: the call of '…' is broadcast over axis '…', which its result already has.
  public static let broadcastClash = DiagnosticKind(
    .error, "broadcast-clash", "the call of '…' is broadcast over axis '…', which its result already has")

  /// `code-after-return`: statement after 'return' is never run.
  public static let codeAfterReturn = DiagnosticKind(
    .error, "code-after-return", "statement after 'return' is never run")

  /// `concat-mismatch`: argument … of 'concat' has other axes … but argument 1 has ….
  public static let concatMismatch = DiagnosticKind(
    .error, "concat-mismatch", "argument … of 'concat' has other axes … but argument 1 has …")

  /// `division-by-zero`: size expression divides by zero.
  public static let divisionByZero = DiagnosticKind(
    .error, "division-by-zero", "size expression divides by zero")

  /// `duplicate-axis`: axis '…' is listed twice.
  public static let duplicateAxis = DiagnosticKind(
    .error, "duplicate-axis", "axis '…' is listed twice")

  /// `duplicate-binding`: axis '…' is bound twice.
  public static let duplicateBinding = DiagnosticKind(
    .error, "duplicate-binding", "axis '…' is bound twice")

  /// `duplicate-circuit`: circuit '…' is declared more than once.
  public static let duplicateCircuit = DiagnosticKind(
    .error, "duplicate-circuit", "circuit '…' is declared more than once")

  /// `constant-type`: constant '…' is …, but circuit constants are f32.
  public static let constantType = DiagnosticKind(
    .error, "constant-type", "constant '…' is …, but circuit constants are f32")

  /// `duplicate-output-name`: output name '…' is used twice.
  public static let duplicateOutputName = DiagnosticKind(
    .error, "duplicate-output-name", "output name '…' is used twice")

  /// `duplicate-input`: input '…' is declared twice.
  public static let duplicateInput = DiagnosticKind(
    .error, "duplicate-input", "input '…' is declared twice")

  /// `duplicate-parameter`: '…' is already defined.
  public static let duplicateParameter = DiagnosticKind(
    .error, "duplicate-parameter", "'…' is already defined")

  /// `element-count-overflow`: parameter '…' (…) has more elements than 64-bit arithmetic can
  /// count.
  public static let elementCountOverflow = DiagnosticKind(
    .error, "element-count-overflow", "parameter '…' (…) has more elements than 64-bit arithmetic can count")

  /// `element-type-mismatch`: '…' applies to f32 tensors, not ….
  public static let elementTypeMismatch = DiagnosticKind(
    .error, "element-type-mismatch", "'…' applies to f32 tensors, not …")

  /// `empty-loop`: loop runs no iterations (… to …).
  public static let emptyLoop = DiagnosticKind(
    .warning, "empty-loop", "loop runs no iterations (… to …)")

  /// `expected-index`: '…' is a value; index an axis with '…[axis = i]'.
  public static let expectedIndex = DiagnosticKind(
    .error, "expected-index", "'…' is a value; index an axis with '…[axis = i]'")

  /// `import-not-found`: see the emit site.
  public static let importNotFound = DiagnosticKind(.error, "import-not-found", "")

  /// `index-out-of-range`: slice …..<… of axis '…' is outside 0..<… or empty.
  public static let indexOutOfRange = DiagnosticKind(
    .error, "index-out-of-range", "slice …..<… of axis '…' is outside 0..<… or empty")

  /// `inexact-division`: size of axis '…' is …, not a whole number: the division is not exact.
  public static let inexactDivision = DiagnosticKind(
    .error, "inexact-division", "size of axis '…' is …, not a whole number: the division is not exact")

  /// `invalid-option`: option '…' of '…' cannot be ….
  public static let invalidOption = DiagnosticKind(
    .error, "invalid-option", "option '…' of '…' cannot be …")

  /// `label-on-builtin`: '…' is a built-in and has no instance to label.
  public static let labelOnBuiltin = DiagnosticKind(
    .error, "label-on-builtin", "'…' is a built-in and has no instance to label")

  /// `labelled-argument`: '…' has no constant '…' (circuit inputs are positional), or a
  /// constant is given twice.
  public static let labelledArgument = DiagnosticKind(
    .error, "labelled-argument", "'…' has no constant '…'")

  /// `loop-type-changes`: see the emit site.
  public static let loopTypeChanges = DiagnosticKind(.error, "loop-type-changes", "")

  /// `loop-variable-shadows`: loop variable '…' hides an existing name.
  public static let loopVariableShadows = DiagnosticKind(
    .error, "loop-variable-shadows", "loop variable '…' hides an existing name")

  /// `memory-needs-slot`: '…' is a memory; read one of its slots with '…[slot]'.
  public static let memoryNeedsSlot = DiagnosticKind(
    .error, "memory-needs-slot", "'…' is a memory; read one of its slots with '…[slot]'")

  /// `memory-tuple`: a memory slot holds one tensor, not a tuple.
  public static let memoryTuple = DiagnosticKind(
    .error, "memory-tuple", "a memory slot holds one tensor, not a tuple")

  /// `memory-unset-slot`: see the emit site.
  public static let memoryUnsetSlot = DiagnosticKind(.error, "memory-unset-slot", "")

  /// `missing-axes`: '…' needs its axes in brackets, e.g. '…[k](X)'.
  public static let missingAxes = DiagnosticKind(
    .error, "missing-axes", "'…' needs its axes in brackets, e.g. '…[k](X)'")

  /// `missing-axis`: argument … of '…' has no axis '…' for input '…'….
  public static let missingAxis = DiagnosticKind(
    .error, "missing-axis", "argument … of '…' has no axis '…' for input '…'…")

  /// `missing-option`: 'window' needs its 'size'.
  public static let missingOption = DiagnosticKind(
    .error, "missing-option", "'window' needs its 'size'")

  /// `missing-return`: circuit '…' has no 'return' statement.
  public static let missingReturn = DiagnosticKind(
    .error, "missing-return", "circuit '…' has no 'return' statement")

  /// `missing-size-argument`: call of '…' does not give its size parameter '…'.
  public static let missingSizeArgument = DiagnosticKind(
    .error, "missing-size-argument", "call of '…' does not give its size parameter '…'")

  /// `nonpositive-size`: axis '…' has size … (…); axis sizes must be positive.
  public static let nonpositiveSize = DiagnosticKind(
    .error, "nonpositive-size", "axis '…' has size … (…); axis sizes must be positive")

  /// `not-a-memory`: '…' is a value, not a memory; memories are written as 'name[slot] =
  /// value' with a fresh name.
  public static let notAMemory = DiagnosticKind(
    .error, "not-a-memory", "'…' is a value, not a memory; memories are written as 'name[slot] = value' with a fresh name")

  /// `option-not-constant`: 'eps' of '…' must be a constant number.
  public static let optionNotConstant = DiagnosticKind(
    .error, "option-not-constant", "'eps' of '…' must be a constant number")

  /// `option-out-of-range`: 'eps' of '…' must be finite and not negative, not ….
  public static let optionOutOfRange = DiagnosticKind(
    .error, "option-out-of-range", "'eps' of '…' must be finite and not negative, not …")

  /// `output-size-undetermined`: output axis '…' gets its size … from the body, but the
  /// signature leaves it free.
  public static let outputSizeUndetermined = DiagnosticKind(
    .error, "output-size-undetermined", "output axis '…' gets its size … from the body, but the signature leaves it free")

  /// `parameter-element-type`: parameters must be f32, not ….
  public static let parameterElementType = DiagnosticKind(
    .error, "parameter-element-type", "parameters must be f32, not …")

  /// `recursive-circuit`: circuit '…' calls itself (…); recursion is not supported.
  public static let recursiveCircuit = DiagnosticKind(
    .error, "recursive-circuit", "circuit '…' calls itself (…); recursion is not supported")

  /// `reorder-mismatch`: 'as …' must list every axis of … exactly once.
  public static let reorderMismatch = DiagnosticKind(
    .error, "reorder-mismatch", "'as …' must list every axis of … exactly once")

  /// `return-mismatch`: circuit '…' returns … value… but declares … output….
  public static let returnMismatch = DiagnosticKind(
    .error, "return-mismatch", "circuit '…' returns … value… but declares … output…")

  /// `return-not-last`: 'return' must be the last statement of the circuit body.
  public static let returnNotLast = DiagnosticKind(
    .error, "return-not-last", "'return' must be the last statement of the circuit body")

  /// `shared-parameter-changes`: shared parameter '…' is … in this iteration but … in an
  /// earlier one.
  public static let sharedParameterChanges = DiagnosticKind(
    .error, "shared-parameter-changes", "shared parameter '…' is … in this iteration but … in an earlier one")

  /// `size-mismatch`: merged axis '…' has size …, not ….
  public static let sizeMismatch = DiagnosticKind(
    .error, "size-mismatch", "merged axis '…' has size …, not …")

  /// `size-overflow`: size is too large: it overflows 64-bit arithmetic.
  public static let sizeOverflow = DiagnosticKind(
    .error, "size-overflow", "size is too large: it overflows 64-bit arithmetic")

  /// `sizes-on-builtin`: '…' is a built-in and takes no size arguments.
  public static let sizesOnBuiltin = DiagnosticKind(
    .error, "sizes-on-builtin", "'…' is a built-in and takes no size arguments")

  /// `split-underdetermined`: cannot infer the sizes of … in 'split'.
  public static let splitUnderdetermined = DiagnosticKind(
    .error, "split-underdetermined", "cannot infer the sizes of … in 'split'")

  /// `symbolic-default-size`: default size '…' uses '…', which is not an earlier entry of
  /// 'sizes { }'.
  public static let symbolicDefaultSize = DiagnosticKind(
    .error, "symbolic-default-size", "default size '…' uses '…', which is not an earlier entry of 'sizes { }'")

  /// `tuple-arity`: cannot destructure … value… into … names.
  public static let tupleArity = DiagnosticKind(
    .error, "tuple-arity", "cannot destructure … value… into … names")

  /// `tuple-not-tensor`: expected one tensor but this is a tuple of type ….
  public static let tupleNotTensor = DiagnosticKind(
    .error, "tuple-not-tensor", "expected one tensor but this is a tuple of type …")

  /// `unknown-binding`: '…' has no axis '…' to bind.
  public static let unknownBinding = DiagnosticKind(
    .error, "unknown-binding", "'…' has no axis '…' to bind")

  /// `unknown-circuit`: unknown built-in '…'.
  public static let unknownCircuit = DiagnosticKind(
    .error, "unknown-circuit", "unknown built-in '…'")

  /// `unknown-name`: unknown value '…'.
  public static let unknownName = DiagnosticKind(.error, "unknown-name", "unknown value '…'")

  /// `unknown-option`: '…' has no option '…'.
  public static let unknownOption = DiagnosticKind(
    .error, "unknown-option", "'…' has no option '…'")

  /// `unknown-size`: no size named '…' (given with --size) in '…' or in 'sizes { }'.
  public static let unknownSize = DiagnosticKind(
    .error, "unknown-size", "no size named '…' (given with --size) in '…' or in 'sizes { }'")

  /// `unknown-size-parameter`: '…' has no size parameter '…'.
  public static let unknownSizeParameter = DiagnosticKind(
    .error, "unknown-size-parameter", "'…' has no size parameter '…'")

  /// `unused-input`: input '…' is never used.
  public static let unusedInput = DiagnosticKind(
    .warning, "unused-input", "input '…' is never used")

  /// `unused-parameter`: parameter '…' is never used.
  public static let unusedParameter = DiagnosticKind(
    .warning, "unused-parameter", "parameter '…' is never used")

  /// `unused-value`: value '…' is never used.
  public static let unusedValue = DiagnosticKind(
    .warning, "unused-value", "value '…' is never used")

  /// `window-too-large`: window of size … (dilation …, padding …) does not fit axis '…' of size ….
  public static let windowTooLarge = DiagnosticKind(
    .error, "window-too-large", "window of size … (dilation …, padding …) does not fit axis '…' of size …")
}
