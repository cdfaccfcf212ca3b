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

  /// The module-level names of the prelude and the optional sections, which generated names
  /// avoid.
  static let reservedNames: Set<String> = [
    "forward", "load_params", "load_safetensors", "train_step", "loss", "PARAMETERS", "INPUTS", "OUTPUTS",
    "init_optimizer_state", "load_checkpoint", "learning_rate", "make_mesh", "input_shardings", "param_shardings",
    "shard_params", "shard_inputs", "sharded_forward", "sharded_train_step", "Mesh", "NamedSharding", "P",
    "OPTIMIZER", "LEARNING_RATE", "SCHEDULE", "TOTAL_STEPS", "MIN_LR", "WARMUP_STEPS", "WEIGHT_DECAY", "CLIP_NORM",
    "MOMENTUM", "NESTEROV", "BETAS", "EPS", "BUFFERS", "MESH_AXES", "MESH_SHAPE", "AXIS_SHARDING", "INPUT_SPECS",
    "PARAM_SPECS", "prefix",
  ]

  /// Prepares the export of `function`.
  init(_ function: IR.Function, options: Options) {
    self.function = function
    self.options = options
    var taken = JAXExporter.reservedNames
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

  /// The circuit functions, then the entry function.
  var entry: String {
    get throws(ExportError) {
      var lines = ["def \(entryName)(params, \(inputNames.joined(separator: ", "))\(meshKeyword)):"]
      lines.append("    \"\"\"The outputs of `\(function.name)` (\(options.source)).")
      lines.append("")
      lines += signatureLines.map { "    " + $0 }
      if options.sharding != nil {
        lines.append("With `mesh`, values with a sharded axis are constrained to their sharding.")
      }
      lines.append("    \"\"\"")
      let constrain = options.sharding.map { plan in { (name: String, t: IR.TensorType) in JAXExporter.constraint(name, t, plan) } }
      var writer = JAXFunctionWriter(self, constrain: constrain, taken: JAXExporter.reservedNames.union(inputNames).union([entryName]))
      var scope = JAXFunctionWriter.Scope(instance: nil)
      var body = try writer.statements(Array(function.instructions.indices), depth: 0, scope: &scope)
      let results = function.outputs.map { scope.names[$0.index]! }
      body.append("return " + (results.count == 1 ? results[0] : PythonText.tuple(results)))
      lines += body.map { "    " + $0 }
      return (writer.definitions + [lines.joined(separator: "\n")]).joined(separator: "\n\n")
    }
  }
}
