import CircuitDiagnostics
import CircuitSema
import CircuitIR
import TensorRuntime

extension Lowering {

  /// The instruction(s) for one built-in application.
  func lowerBuiltin(_ a: BuiltinApplication, _ args: [IR.Value], type: TensorType, site: SourceRange)
    -> IR.Value
  {
    if let f = IR.UnaryFunction(rawValue: a.name), a.name != "neg" {
      return emit(.unary(f), args, site: site)
    }
    switch a.name {
    case "max" where a.inputs.isEmpty: return emit(.binary(.maximum), args, site: site)
    case "min" where a.inputs.isEmpty: return emit(.binary(.minimum), args, site: site)
    case "where": return emit(.select, args, site: site)
    case "f32", "i32", "bool":
      let target = ElementType(rawValue: a.name)!
      return function.type(of: args[0]).element == target ? args[0] : emit(.convert(target), args, site: site)
    case "argmax", "argmin":
      return emit(.argExtremum(axis: a.inputs[0], minimum: a.name == "argmin"), args, site: site)
    case "onehot": return lowerOneHot(args[0], axis: a.inputs[0], type: type, site: site)
    case "sum", "mean", "max", "min":
      return emit(.reduce(IR.Reduction(rawValue: a.name)!, axes: a.inputs), args, site: site)
    case "softmax", "logsoftmax":
      return emit(.softmax(axes: a.inputs, log: a.name == "logsoftmax"), args, site: site)
    case "layernorm":
      return emit(.layerNorm(axes: a.inputs, epsilon: a.epsilon ?? 1e-5), args, site: site)
    case "merge": return emit(.merge(axes: a.inputs, into: a.outputs[0]), args, site: site)
    case "split":
      let t = concrete(type, site: site)
      let parts = a.outputs.map { IR.Axis($0, t.axis($0)?.size ?? 1) }
      return emit(.split(axis: a.inputs[0], into: parts), args, site: site)
    case "rename": return emit(.rename(from: a.inputs, to: a.outputs), args, site: site)
    case "concat": return emit(.concat(axes: a.inputs, into: a.outputs[0]), args, site: site)
    case "gather": return emit(.gather(axis: a.inputs[0]), args, site: site)
    case "window":
      let n = a.inputs.count
      let axes = (0..<n).map { i in
        IR.WindowAxis(
          input: a.inputs[i], grid: a.outputs[i], window: a.outputs[n + i], size: a.options["size"] ?? 1,
          stride: a.options["stride"] ?? 1, pad: a.options["pad"] ?? 0, dilation: a.options["dilation"] ?? 1)
      }
      return emit(.window(axes), args, site: site)
    case "unwindow":
      let n = a.outputs.count
      let axes = (0..<n).map { i in
        IR.UnwindowAxis(
          grid: a.inputs[i], window: a.inputs[n + i], output: a.outputs[i], stride: a.options["stride"] ?? 1,
          pad: a.options["pad"] ?? 0, dilation: a.options["dilation"] ?? 1, outputPad: a.options["outpad"] ?? 0)
      }
      return emit(.unwindow(axes), args, site: site)
    case "causal":
      return append(.causal(row: a.inputs[0], column: a.inputs[1]), [], concrete(type, site: site), site)
    case "arange":
      return append(.arange(axis: a.inputs[0]), [], concrete(type, site: site), site)
    default:
      problems.append(Diagnostic(.internalLowering, "internal error: no lowering for '\(a.name)'", at: site))
      return append(.constant(0), [], IR.TensorType(.float32, []), site)
    }
  }

  /// `onehot[k](ids)`: `f32(ids == i32(arange[k]))`, 1 where the id equals the position.
  func lowerOneHot(_ ids: IR.Value, axis: String, type: TensorType, site: SourceRange) -> IR.Value {
    let t = concrete(type, site: site)
    let positions = append(.arange(axis: axis), [], IR.TensorType(.float32, [t.axis(axis) ?? IR.Axis(axis, 1)]), site)
    let ints = emit(.convert(.int32), [positions], site: site)
    let equal = emit(.compare(.equal), [ids, ints], site: site)
    return emit(.convert(.float32), [equal], site: site)
  }
}
