import CircuitDiagnostics
import CircuitSyntax
import TensorRuntime

extension Checker {

  /// Checks a built-in whose brackets name axes: reductions, softmax, layernorm, reshapes,
  /// concat, gather, window, unwindow, causal and arange.
  func checkAxisBuiltin(_ name: String, _ spec: AxisSpec, _ call: Call, at range: SourceRange)
    -> ValueType?
  {
    let ins = expandBundles(spec.inputs)
    let outs = spec.outputs.map { expandBundles($0) }
    switch name {
    case "sum", "mean", "max", "min", "softmax", "logsoftmax", "layernorm":
      guard outs == nil, options(spec, allowed: [], of: name) != nil else {
        if outs != nil { badSpec(name, "takes no '->'", spec, usage: "\(name)[a b](X)") }
        return nil
      }
      let opts: Set<String> = name == "layernorm" ? ["eps"] : []
      guard let x = tensorArguments(call, count: 1, at: range, options: opts)?.first else {
        return nil
      }
      if ins.isEmpty { badSpec(name, "needs at least one axis", spec, usage: "\(name)[a b](X)") }
      var seen: Set<String> = []
      for item in ins {
        guard x.axis(item.name.name) != nil else {
          let verb = ["sum", "mean", "max", "min"].contains(name) ? "\(name) over" : "apply '\(name)' over"
          report(missingAxis(item.name.name, in: x, at: item.name.range, doing: verb))
          return nil
        }
        if !seen.insert(item.name.name).inserted {
          report(Diagnostic(.duplicateAxis, "axis '\(item.name.name)' is listed twice", at: item.name.range))
          return nil
        }
      }
      if x.element != .float32 {
        report(Diagnostic(.elementTypeMismatch, "'\(name)' applies to f32 tensors, not \(x.element)", at: range))
        return nil
      }
      if ["softmax", "logsoftmax", "layernorm"].contains(name) { return .tensor(x) }
      return .tensor(x.with(axes: x.axes.filter { !seen.contains($0.name) }))
    case "merge": return checkMerge(spec, ins, outs, call, at: range)
    case "split": return checkSplit(spec, ins, outs, call, at: range)
    case "rename": return checkRename(spec, ins, outs, call, at: range)
    case "concat": return checkConcat(spec, ins, outs, call, at: range)
    case "gather": return checkGather(spec, ins, outs, call, at: range)
    case "argmax", "argmin": return checkArgExtremum(name, spec, ins, outs, call, at: range)
    case "onehot": return checkOneHot(spec, ins, outs, call, at: range)
    case "window": return checkWindow(spec, ins, outs, call, at: range)
    case "unwindow": return checkUnwindow(spec, ins, outs, call, at: range)
    case "causal", "arange":
      let count = name == "causal" ? 2 : 1
      guard outs == nil, ins.count == count, options(spec, allowed: [], of: name) != nil else {
        badSpec(
          name, "takes \(count) axis name\(count == 1 ? "" : "s")", spec,
          usage: name == "causal" ? "causal[y x]" : "arange[t]")
        return nil
      }
      if !call.arguments.isEmpty || call.hasParentheses {
        report(Diagnostic(.arityMismatch, "'\(name)' takes no arguments", at: range))
        return nil
      }
      let t = evaluate(TensorTypeExpr(element: .float32, axes: ins, range: spec.range))
      return .tensor(t.with(element: name == "causal" ? .bool : .float32))
    default:
      report(Diagnostic(.unknownCircuit, "unknown built-in '\(name)'", at: call.callee.range))
      return nil
    }
  }

  /// The named axes of `x`, reporting the first missing one.
  func axes(_ items: [AxisItem], of x: TensorType, doing what: String) -> [Axis]? {
    var out: [Axis] = []
    for item in items {
      guard let a = x.axis(item.name.name) else {
        report(missingAxis(item.name.name, in: x, at: item.name.range, doing: what))
        return nil
      }
      out.append(a)
    }
    return out
  }

  /// Reports an output axis name that the operand already has.
  func clashes(_ items: [AxisItem], with x: TensorType, except: Set<String> = []) -> Bool {
    for item in items where x.axis(item.name.name) != nil && !except.contains(item.name.name) {
      report(
        Diagnostic(.duplicateAxis, "the result would have axis '\(item.name.name)' twice", at: item.name.range,
          notes: [Note("the operand already has it: \(x)"), Note("pick a new name, e.g. '\(item.name.name)''")]))
      return true
    }
    return false
  }

  /// `merge[a b -> c](X)`: row-major, first name major; `c` takes the first axis's place.
  func checkMerge(
    _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call, at range: SourceRange
  ) -> ValueType? {
    let usage = "merge[h w -> p](X)"
    guard let outs, outs.count == 1, !ins.isEmpty else {
      badSpec("merge", "merges several axes into one", spec, usage: usage)
      return nil
    }
    guard let x = tensorArguments(call, count: 1, at: range)?.first,
      let merged = axes(ins, of: x, doing: "merge")
    else { return nil }
    if clashes(outs, with: x, except: Set(ins.map(\.name.name))) { return nil }
    var size = Size(1)
    for a in merged {
      guard let s = try? Size.multiply(size, a.size) else {
        reportSizeError(.overflow, at: spec.range)
        return nil
      }
      size = s
    }
    if let e = outs[0].size, let declared = evaluate(e) {
      _ = requireEqual(
        declared, size, at: e.range,
        error: {
          Diagnostic(.sizeMismatch, "merged axis '\(outs[0].name.name)' has size \(size), not \(declared)", at: e.range)
        }, what: "merged axis '\(outs[0].name.name)'")
    }
    let first = x.axes.firstIndex { $0.name == merged[0].name }!
    var result: [Axis] = []
    for (i, a) in x.axes.enumerated() {
      if i == first { result.append(Axis(outs[0].name.name, size)) }
      if !merged.contains(where: { $0.name == a.name }) { result.append(a) }
    }
    return .tensor(x.with(axes: result))
  }

  /// `split[c -> a b](X)`: the inverse of merge; at most one output size may be unknown.
  func checkSplit(
    _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call, at range: SourceRange
  ) -> ValueType? {
    let usage = "split[c -> k h=4](X)"
    guard let outs, ins.count == 1, outs.count >= 1 else {
      badSpec("split", "splits one axis into several", spec, usage: usage)
      return nil
    }
    guard let x = tensorArguments(call, count: 1, at: range)?.first,
      let source = axes(ins, of: x, doing: "split")?.first
    else { return nil }
    if clashes(outs, with: x, except: [source.name]) { return nil }
    var sizes: [Size?] = []
    for item in outs {
      if let e = item.size {
        guard let v = evaluate(e), validateAxisSize(v, axis: item.name.name, at: e.range) else { return nil }
        sizes.append(v)
      } else if let v = scope.sizes[item.name.name] ?? scope.substitution[item.name.name] {
        sizes.append(v)
      } else if scope.freeSymbols.contains(item.name.name)
        && !scope.outputOnlySymbols.contains(item.name.name)
      {
        sizes.append(.symbol(item.name.name))
      } else {
        sizes.append(nil)
      }
    }
    let unknown = sizes.indices.filter { sizes[$0] == nil }
    if unknown.count > 1 {
      report(
        Diagnostic(.splitUnderdetermined, "cannot infer the sizes of \(axisList(unknown.map { outs[$0].name.name })) in 'split'",
          at: spec.range, notes: [Note("give all but one a size, e.g. 'split[c -> k h=4]'")]))
      return nil
    }
    var known = Size(1)
    for s in sizes.compactMap({ $0 }) {
      guard let product = try? Size.multiply(known, s) else {
        reportSizeError(.overflow, at: spec.range)
        return nil
      }
      known = product
    }
    if let u = unknown.first {
      guard let q = try? Size.divide(source.size, known) else { return nil }
      guard validateAxisSize(q, axis: outs[u].name.name, at: spec.range) else { return nil }
      sizes[u] = q
    } else {
      _ = requireEqual(
        known, source.size, at: spec.range,
        error: {
          Diagnostic(.sizeMismatch, "split axes multiply to \(known) but axis '\(source.name)' has size \(source.size)",
            at: spec.range)
        }, what: "split of '\(source.name)'")
    }
    var result: [Axis] = []
    for a in x.axes {
      if a.name == source.name {
        for (item, s) in zip(outs, sizes) { result.append(Axis(item.name.name, s!)) }
      } else {
        result.append(a)
      }
    }
    return .tensor(x.with(axes: result))
  }

  /// `rename[a b -> c d](X)`.
  func checkRename(
    _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call, at range: SourceRange
  ) -> ValueType? {
    guard let outs, outs.count == ins.count, !ins.isEmpty else {
      badSpec("rename", "needs as many new names as old ones", spec, usage: "rename[t -> s](X)")
      return nil
    }
    guard let x = tensorArguments(call, count: 1, at: range)?.first,
      axes(ins, of: x, doing: "rename") != nil
    else { return nil }
    let mapping = Dictionary(zip(ins.map(\.name.name), outs.map(\.name.name)), uniquingKeysWith: { a, _ in a })
    let result = x.axes.map { Axis(mapping[$0.name] ?? $0.name, $0.size) }
    let names = result.map(\.name)
    if let dup = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
      report(Diagnostic(.duplicateAxis, "the result would have axis '\(dup)' twice", at: spec.range))
      return nil
    }
    return .tensor(x.with(axes: result))
  }

  /// `concat[a, b -> c](A, B)`: joins along the named axes; other axes must agree.
  func checkConcat(
    _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call, at range: SourceRange
  ) -> ValueType? {
    guard let outs, outs.count == 1, ins.count >= 2 else {
      badSpec("concat", "joins two or more axes into one", spec, usage: "concat[c1, c2 -> c](A, B)")
      return nil
    }
    guard let args = tensorArguments(call, count: ins.count, at: range) else { return nil }
    var total = Size(0)
    var rest: TensorType? = nil
    for (i, (item, x)) in zip(ins, args).enumerated() {
      guard let a = axes([item], of: x, doing: "concatenate")?.first else { return nil }
      total = (try? Size.add(total, a.size)) ?? total
      let others = x.with(axes: x.axes.filter { $0.name != a.name })
      if let r = rest {
        let sameNames = others.element == r.element && Set(others.names) == Set(r.names)
        if sameNames {
          for a in others.axes {
            let b = r.axis(a.name)!
            _ = requireEqual(
              a.size, b.size, at: call.arguments[i].value.range,
              error: {
                Diagnostic(.sizeMismatch, "axis '\(a.name)' has size \(a.size) in argument \(i + 1) of 'concat' but \(b.size) in argument 1",
                  at: call.arguments[i].value.range)
              }, what: "axis '\(a.name)' in 'concat'")
          }
        } else {
          report(
            Diagnostic(.concatMismatch, "argument \(i + 1) of 'concat' has other axes \(others) but argument 1 has \(r)",
              at: call.arguments[i].value.range,
              notes: [Note("all axes except the joined ones must match in name and size")]))
          return nil
        }
      } else {
        rest = others
      }
    }
    let first = args[0]
    if clashes(outs, with: first, except: [ins[0].name.name]) { return nil }
    return .tensor(
      first.with(axes: first.axes.map { $0.name == ins[0].name.name ? Axis(outs[0].name.name, total) : $0 }))
  }

  /// `gather[v](W, ids)`: replaces `W`'s axis `v` by the axes of the i32 tensor `ids`.
  func checkGather(
    _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call, at range: SourceRange
  ) -> ValueType? {
    guard outs == nil, ins.count == 1 else {
      badSpec("gather", "takes the looked-up axis", spec, usage: "gather[v](W, ids)")
      return nil
    }
    guard let args = tensorArguments(call, count: 2, at: range),
      let v = axes(ins, of: args[0], doing: "gather along")?.first
    else { return nil }
    let ids = args[1]
    guard ids.element == .int32 else {
      report(
        Diagnostic(.elementTypeMismatch, "the indices of 'gather' must be i32, not \(ids.element)",
          at: call.arguments[1].value.range))
      return nil
    }
    if ids.axis(v.name) != nil {
      report(
        Diagnostic(.duplicateAxis, "the indices have the looked-up axis '\(v.name)' too", at: call.arguments[1].value.range,
          notes: [Note("rename the index axis, e.g. 'rename[\(v.name) -> \(v.name)'](ids)'")]))
      return nil
    }
    // Index axes the table also has are batch axes: each position looks up in its own slice.
    for a in ids.axes {
      guard let b = args[0].axis(a.name) else { continue }
      guard
        requireEqual(
          b.size, a.size, at: range,
          error: {
            Diagnostic(.sizeMismatch, "batch axis '\(a.name)' has size \(b.size) in the table but \(a.size) in the indices",
              at: range)
          }, what: "batch axis '\(a.name)' of 'gather'")
      else { return nil }
    }
    let own = ids.axes.filter { args[0].axis($0.name) == nil }
    var result: [Axis] = []
    for a in args[0].axes { if a.name == v.name { result += own } else { result.append(a) } }
    return .tensor(args[0].with(axes: result))
  }

  /// `argmax[k](X)`, `argmin[k](X)`: the i32 position of the first extremum along `k`.
  func checkArgExtremum(
    _ name: String, _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call,
    at range: SourceRange
  ) -> ValueType? {
    guard outs == nil, ins.count == 1, options(spec, allowed: [], of: name) != nil else {
      badSpec(name, "takes one axis", spec, usage: "\(name)[k](X)")
      return nil
    }
    guard let x = tensorArguments(call, count: 1, at: range)?.first,
      let k = axes(ins, of: x, doing: "search along")?.first
    else { return nil }
    guard x.element == .float32 else {
      report(Diagnostic(.elementTypeMismatch, "'\(name)' applies to f32 tensors, not \(x.element)", at: range))
      return nil
    }
    return .tensor(TensorType(.int32, x.axes.filter { $0.name != k.name }))
  }

  /// `onehot[k](ids)` (the size of `k` known) or `onehot[k = 10](ids)`: f32, 1 where the i32
  /// id equals the position along the new last axis `k`, else 0 (out-of-range ids give zeros).
  func checkOneHot(
    _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call, at range: SourceRange
  ) -> ValueType? {
    guard outs == nil, ins.count == 1, options(spec, allowed: [], of: "onehot") != nil else {
      badSpec("onehot", "takes the new axis", spec, usage: "onehot[k = 10](ids)")
      return nil
    }
    guard let ids = tensorArguments(call, count: 1, at: range)?.first else { return nil }
    guard ids.element == .int32 else {
      report(
        Diagnostic(.elementTypeMismatch, "the ids of 'onehot' must be i32, not \(ids.element)",
          at: call.arguments[0].value.range, notes: conversionNote(ids.element)))
      return nil
    }
    if clashes(ins, with: ids) { return nil }
    let k = evaluate(TensorTypeExpr(element: .float32, axes: ins, range: spec.range))
    return .tensor(TensorType(.float32, ids.axes + k.axes))
  }

  /// A note suggesting `i32(…)` for ids of another element type.
  func conversionNote(_ element: ElementType) -> [Note] {
    element == .float32 ? [Note("convert with 'i32(…)' (truncates toward zero)")] : []
  }
}
