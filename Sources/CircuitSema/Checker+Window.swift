import CircuitDiagnostics
import CircuitSyntax

extension Checker {

  /// `window[h w -> h' w' kh kw; size k, stride s, pad p, dilation d](X)`: each input axis
  /// becomes its grid axis of size `floor((h + 2p - d(k-1) - 1)/s) + 1`; the window axes
  /// (size `k`) are appended.
  func checkWindow(
    _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call, at range: SourceRange
  ) -> ValueType? {
    let usage = "window[h w -> h' w' kh kw; size 3, stride 1, pad 1, dilation 1](X)"
    guard let outs, !ins.isEmpty, outs.count == 2 * ins.count else {
      badSpec("window", "needs one grid axis and one window axis per input axis", spec, usage: usage)
      return nil
    }
    guard let opts = options(spec, allowed: ["size", "stride", "pad", "dilation"], of: "window")
    else { return nil }
    guard let k = opts["size"] else {
      report(Diagnostic(.missingOption, "'window' needs its 'size'", at: spec.range, notes: [Note("usage: \(usage)")]))
      return nil
    }
    let s = opts["stride"] ?? Size(1)
    let p = opts["pad"] ?? Size(0)
    let d = opts["dilation"] ?? Size(1)
    guard let x = tensorArguments(call, count: 1, at: range)?.first,
      let windowed = axes(ins, of: x, doing: "window")
    else { return nil }
    if clashes(outs, with: x, except: Set(ins.map(\.name.name))) { return nil }
    var grid: [String: Axis] = [:]
    for (i, a) in windowed.enumerated() {
      let size: Size
      do throws(SizeError) {
        let span = try Size.add(
          Size.subtract(Size.add(a.size, Size.multiply(Size(2), p)), Size.multiply(d, Size.subtract(k, Size(1)))),
          Size(-1))
        size = try Size.add(Size.rounded(span, s, up: false), Size(1))
      } catch {
        reportSizeError(error, at: spec.range)
        return nil
      }
      if let c = size.constant, c <= 0 {
        report(
          Diagnostic(.windowTooLarge, "window of size \(k) (dilation \(d), padding \(p)) does not fit axis '\(a.name)' of size \(a.size)",
            at: spec.range))
        return nil
      }
      let item = outs[i]
      if let e = item.size, let declared = evaluate(e) {
        _ = requireEqual(
          declared, size, at: e.range,
          error: { Diagnostic(.sizeMismatch, "grid axis '\(item.name.name)' has size \(size), not \(declared)", at: e.range) },
          what: "grid axis '\(item.name.name)'")
      }
      grid[a.name] = Axis(item.name.name, size)
    }
    var result = x.axes.map { grid[$0.name] ?? $0 }
    for item in outs[ins.count...] { result.append(Axis(item.name.name, k)) }
    return .tensor(x.with(axes: result))
  }

  /// `unwindow[h' kh -> h; stride s, pad p, dilation d, outpad o](X)`: the transpose of
  /// window (scatter-add); the output axis has size `(h' - 1)s - 2p + d(k - 1) + o + 1`.
  func checkUnwindow(
    _ spec: AxisSpec, _ ins: [AxisItem], _ outs: [AxisItem]?, _ call: Call, at range: SourceRange
  ) -> ValueType? {
    let usage = "unwindow[h' kh -> h; stride 2, pad 0](X)"
    guard let outs, !outs.isEmpty, ins.count == 2 * outs.count else {
      badSpec("unwindow", "needs a grid axis and a window axis per output axis", spec, usage: usage)
      return nil
    }
    guard let opts = options(spec, allowed: ["stride", "pad", "dilation", "outpad"], of: "unwindow")
    else { return nil }
    let s = opts["stride"] ?? Size(1)
    let p = opts["pad"] ?? Size(0)
    let d = opts["dilation"] ?? Size(1)
    let o = opts["outpad"] ?? Size(0)
    guard let x = tensorArguments(call, count: 1, at: range)?.first,
      let given = axes(ins, of: x, doing: "unwindow")
    else { return nil }
    let n = outs.count
    if clashes(outs, with: x, except: Set(ins.map(\.name.name))) { return nil }
    var grid: [String: Axis] = [:]
    for i in 0..<n {
      let (g, w) = (given[i], given[n + i])
      let size: Size
      do throws(SizeError) {
        let stretched = try Size.multiply(Size.subtract(g.size, Size(1)), s)
        let reach = try Size.multiply(d, Size.subtract(w.size, Size(1)))
        size = try Size.add(
          Size.add(Size.subtract(stretched, Size.multiply(Size(2), p)), reach), Size.add(o, Size(1)))
      } catch {
        reportSizeError(error, at: spec.range)
        return nil
      }
      guard validateAxisSize(size, axis: outs[i].name.name, at: spec.range) else { return nil }
      grid[g.name] = Axis(outs[i].name.name, size)
    }
    let windowNames = Set(given[n...].map(\.name))
    let result = x.axes.compactMap { a -> Axis? in windowNames.contains(a.name) ? nil : (grid[a.name] ?? a) }
    return .tensor(x.with(axes: result))
  }
}
