import CircuitIR
import TensorRuntime

/// Writes a lowered function as a readable Python module on `jax` and `numpy`: the tables of
/// inputs, outputs and parameters, the safetensors loader, one function for the entry with
/// one line per op (contractions as `jnp.einsum`), and optionally the training step and the
/// sharding by axis name.
public struct JAXExporter {

  /// What to write besides the forward function.
  public struct Options: Sendable {

    /// The source file, for the module's docstring.
    public var source: String

    /// The training step (optimiser), written when the entry's first output is a scalar
    /// loss; nil for the forward pass only.
    public var training: TrainingSpec?

    /// The device mesh and axis shardings, or nil for none.
    public var sharding: ShardingPlan?

    /// Creates options.
    public init(source: String, training: TrainingSpec? = nil, sharding: ShardingPlan? = nil) {
      (self.source, self.training, self.sharding) = (source, training, sharding)
    }
  }

  /// The function exported.
  let function: IR.Function

  /// The options.
  let options: Options

  /// The Python identifiers of the inputs, in order.
  let inputNames: [String]

  /// The Python name of the entry function.
  let entryName: String

  /// Prepares the export of `function`.
  init(_ function: IR.Function, options: Options) {
    self.function = function
    self.options = options
    var taken: Set<String> = ["forward", "load_params", "load_safetensors", "train_step", "loss", "PARAMETERS",
      "INPUTS", "OUTPUTS"]
    entryName = PythonText.identifier(function.name, taken: &taken)
    inputNames = function.inputs.map { PythonText.identifier($0.name, taken: &taken) }
  }

  /// The Python module for `function`.
  public static func export(_ function: IR.Function, options: Options) throws(ExportError) -> String {
    let e = JAXExporter(function, options: options)
    if let plan = options.sharding { try plan.validate(against: function) }
    var sections = [e.header, JAXPrelude.imports, e.tables, JAXPrelude.loaders, JAXPrelude.helpers, try e.entry]
    sections.append("forward = \(e.entryName)\n")
    if let training = options.training, e.hasLoss { sections.append(e.trainingSection(training)) }
    if let plan = options.sharding { sections.append(e.shardingSection(plan)) }
    return sections.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined(separator: "\n\n")
  }

  /// The module docstring: source, entry, inputs and outputs with their axes.
  var header: String {
    var lines = ["\"\"\"\(options.source): entry circuit `\(function.name)`, exported by `circuit export --jax`.", ""]
    lines.append("Call `\(entryName)(params, \(inputNames.joined(separator: ", ")))` (also `forward`); `params` maps the")
    lines.append("full parameter names of `circuit params` to arrays (`load_params(path)` reads a safetensors")
    lines.append("file). Sizes are those of the export; arrays are laid out in the axis order shown.")
    lines.append("")
    lines += signatureLines
    return lines.joined(separator: "\n") + "\n\"\"\"\n"
  }

  /// `Inputs:`/`Outputs:` lines with element types and named axes.
  var signatureLines: [String] {
    var lines = ["Inputs:"]
    for (i, input) in function.inputs.enumerated() { lines.append("    \(inputNames[i]): \(input.type)") }
    lines.append("Outputs:")
    for (i, v) in function.outputs.enumerated() {
      lines.append("    \(function.outputName(i) ?? "output \(i)"): \(function.type(of: v))")
    }
    return lines
  }

  /// `INPUTS`, `OUTPUTS` and `PARAMETERS`: name → (dtype, axes, shape).
  var tables: String {
    /// One table line: name, dtype, axes, shape.
    func entry(_ name: String, _ t: IR.TensorType) -> String {
      "    \(PythonText.string(name)): (\(PythonText.dtype(t.element)), \(PythonText.axes(t)), \(PythonText.shape(t))),"
    }
    var lines = ["# name: (dtype, axes, shape)", "INPUTS = {"]
    for input in function.inputs { lines.append(entry(input.name, input.type)) }
    lines += ["}", "OUTPUTS = {"]
    for (i, v) in function.outputs.enumerated() { lines.append(entry(function.outputName(i) ?? "output_\(i)", function.type(of: v))) }
    lines += ["}", "PARAMETERS = {"]
    for p in function.parameters { lines.append(entry(p.name, p.type)) }
    lines.append("}")
    return lines.joined(separator: "\n")
  }

  /// The entry function.
  var entry: String {
    get throws(ExportError) {
      var lines = ["def \(entryName)(params, \(inputNames.joined(separator: ", "))\(meshKeyword)):"]
      lines.append("    \"\"\"The outputs of `\(function.name)` (\(options.source)).")
      lines.append("")
      lines += signatureLines.map { "    " + $0 }
      lines.append("    \"\"\"")
      if options.sharding != nil {
        lines.insert("    With `mesh`, values with a sharded axis are constrained to their sharding.", at: lines.count - 1)
      }
      let constrain = options.sharding.map { plan in { (name: String, t: IR.TensorType) in JAXExporter.constraint(name, t, plan) } }
      lines += try body(constrain: constrain).map { "    " + $0 }
      return lines.joined(separator: "\n")
    }
  }

  /// The statements computing the outputs, then `return`; with `constrain`, each value
  /// with a sharded axis is followed by its sharding constraint (`constrain` gives the
  /// constraining expression of a named value of a type, if any).
  func body(constrain: ((String, IR.TensorType) -> String?)?) throws(ExportError) -> [String] {
    var lines: [String] = []
    var names: [String] = []
    var commented: Int?? = .none
    for (i, ins) in function.instructions.enumerated() {
      let x = ins.operands.map { names[$0.index] }
      let t = ins.operands.map { function.type(of: $0) }
      guard let expression = try expression(ins, x, t) else {
        if case .input(let index, _) = ins.op { names.append(inputNames[index]) } else { names.append(x[0]) }
        continue
      }
      if commented != .some(ins.region), let r = ins.region { lines.append("# \(function.regionPath(r))") }
      commented = .some(ins.region)
      let name = "v\(i)"
      names.append(name)
      lines.append("\(name) = \(expression)")
      if let constrain, let constrained = constrain(name, ins.type) { lines.append("\(name) = \(constrained)") }
    }
    let results = function.outputs.map { names[$0.index] }
    lines.append("return " + (results.count == 1 ? results[0] : PythonText.tuple(results)))
    return lines
  }
}
