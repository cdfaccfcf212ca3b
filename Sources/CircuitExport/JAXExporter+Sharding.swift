import CircuitIR

extension JAXExporter {

  /// `P("data", None)`: the PartitionSpec of a type under `plan`.
  static func spec(_ t: IR.TensorType, _ plan: ShardingPlan) -> String {
    "P(" + plan.partition(t).map { $0.map(PythonText.string) ?? "None" }.joined(separator: ", ") + ")"
  }

  /// The sharding constraint of a value named `name` of type `t`, when one of its axes is
  /// sharded.
  static func constraint(_ name: String, _ t: IR.TensorType, _ plan: ShardingPlan) -> String? {
    plan.partition(t).contains { $0 != nil } ? "_shard(\(name), mesh, \(spec(t, plan)))" : nil
  }

  /// The mesh, the PartitionSpecs of inputs and parameters, and jitted sharded entry points.
  func shardingSection(_ plan: ShardingPlan) -> String {
    let mesh = PythonText.tuple(plan.mesh.map { PythonText.string($0.name) })
    let shape = PythonText.tuple(plan.mesh.map { String($0.size) })
    var lines = [
      "from jax.sharding import Mesh, NamedSharding, PartitionSpec as P",
      "",
      "# Sharding by axis name: \(plan.shards.map { "\($0.axis) over mesh axis \($0.meshAxis)" }.joined(separator: ", ")).",
      "# Inputs, parameters and every intermediate value with such an axis are laid out with",
      "# NamedSharding(mesh, PartitionSpec(...)); an axis whose size the mesh axis does not divide stays whole.",
      "MESH_AXES = \(mesh)",
      "MESH_SHAPE = \(shape)",
      "AXIS_SHARDING = {" + plan.shards.map { "\(PythonText.string($0.axis)): \(PythonText.string($0.meshAxis))" }.joined(separator: ", ") + "}",
      "INPUT_SPECS = {",
    ]
    for (i, input) in function.inputs.enumerated() { lines.append("    \(PythonText.string(inputNames[i])): \(JAXExporter.spec(input.type, plan)),") }
    lines += ["}", "PARAM_SPECS = {"]
    for p in function.parameters { lines.append("    \(PythonText.string(p.name)): \(JAXExporter.spec(p.type, plan)),") }
    lines.append("}")
    let inputs = inputNames.joined(separator: ", ")
    var text = lines.joined(separator: "\n") + "\n\n\n" + JAXPrelude.mesh + "\n\n" + """
      def sharded_forward(mesh):
          \"\"\"`\(entryName)` jitted for `mesh`: call it with `shard_params(params, mesh)` and
          `shard_inputs(mesh, \(inputs))`.\"\"\"
          return jax.jit(functools.partial(\(entryName), mesh=mesh),
                         in_shardings=(param_shardings(mesh), *input_shardings(mesh)))

      """
    if options.training != nil && hasLoss {
      text += "\n\n" + """
        def sharded_train_step(mesh):
            \"\"\"`train_step` jitted for `mesh`: parameters and optimiser buffers laid out as
            PARAM_SPECS, inputs as INPUT_SPECS; the loss and step replicated.\"\"\"
            params = param_shardings(mesh)
            replicated = NamedSharding(mesh, P())
            state = {"step": replicated, **{buffer: params for buffer in BUFFERS}}
            return jax.jit(functools.partial(train_step, mesh=mesh),
                           in_shardings=(params, state, *input_shardings(mesh)),
                           out_shardings=(replicated, params, state))

        """
    }
    return text
  }
}
