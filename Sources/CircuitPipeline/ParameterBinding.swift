import CircuitIR
import CircuitInterpreter
import TensorRuntime

/// Binds a lowered function's parameters to the tensors of a checkpoint, by full name or
/// through a `CheckpointMap` (renames and layouts). Stored dimensions of size 1 are ignored
/// (PyTorch's depthwise `[c 1 kh kw]` fills `[c kh kw]`), and a stored tensor whose
/// dimensions are the declared ones with neighbours merged, in the declared order, is split
/// (BERT's query weight `[(h k) m]` fills `[h k m]`): both are the same bytes in row-major
/// order, so no layout rule is needed.
public enum ParameterBinding {

  /// Every parameter of `function` from `file`, renamed and rearranged by `map`, by full name.
  ///
  /// - Throws: `ParameterProblems` listing every parameter that is missing, has another
  ///   shape or element type, cannot be arranged, or holds NaN or infinities (all at once,
  ///   with the file's tensors that no parameter used).
  public static func bind(
    _ function: IR.Function, file: SafeTensorsFile, map: CheckpointMap = CheckpointMap()
  ) throws(ParameterProblems) -> [String: Tensor] {
    var out: [String: Tensor] = [:]
    var problems: [String] = []
    var used: Set<String> = []
    for p in function.parameters {
      let (tensorName, layout) = map.source(of: p.name)
      used.insert(tensorName)
      let shown = tensorName == p.name ? "'\(p.name)'" : "'\(p.name)' (from '\(tensorName)')"
      guard let stored = file.tensor(named: tensorName) else {
        problems.append("parameter \(shown) \(p.type) is missing")
        continue
      }
      var t = stored
      if let layout {
        do throws(CheckpointMapError) {
          t = try CheckpointMap.arrange(stored, layout: layout, as: p.type)
        } catch {
          problems.append("parameter \(shown): \(error)")
          continue
        }
      }
      guard t.elementType == .float32 else {
        let held = file.storedElementTypes[tensorName].map { "\($0) in the file" } ?? "\(t.elementType)"
        problems.append("parameter \(shown) is \(held), expected f32")
        continue
      }
      if let problem = t.nonFiniteProblem(allowingInfinity: false) {
        problems.append("parameter \(shown) \(problem)")
      } else if t.shape == p.type.shape {
        out[p.name] = t
      } else if t.shape.filter({ $0 != 1 }) == p.type.shape.filter({ $0 != 1 }),
        let squeezed = try? t.reshaped(to: p.type.shape)
      {
        out[p.name] = squeezed
      } else if LayoutHint.grouping(p.type.axes.filter { $0.size != 1 }, into: t.shape.filter { $0 != 1 }) != nil,
        let split = try? t.reshaped(to: p.type.shape)
      {
        out[p.name] = split
      } else if t.count == p.type.count {
        problems.append(
          "parameter \(shown) has shape \(t.shape) but \(p.type) is declared (same size: give its layout in a --param-map file, e.g. '\(p.name) <- \(tensorName) [\(LayoutHint.suggest(stored: t.shape, declared: p.type))]')")
      } else {
        problems.append("parameter \(shown) has shape \(t.shape) but \(p.type) is declared")
      }
    }
    guard problems.isEmpty else {
      throw ParameterProblems(problems: problems, unusedTensors: file.tensors.map(\.name).filter { !used.contains($0) })
    }
    return out
  }
}

/// Why a checkpoint does not fit a function's parameters.
public struct ParameterProblems: Error, CustomStringConvertible {

  /// One line per parameter that cannot be bound, in declaration order.
  public let problems: [String]

  /// The file's tensors that no parameter used, in file order.
  public let unusedTensors: [String]

  /// `2 problems with the parameters:` and the problems indented, then up to eight unused
  /// tensors.
  public var description: String {
    "\(problems.count) problem\(problems.count == 1 ? "" : "s") with the parameters:\n"
      + problems.map { "  \($0)" }.joined(separator: "\n")
      + (unusedTensors.isEmpty
        ? "" : "\n  tensors in the file that the circuit does not use: " + unusedTensors.prefix(8).joined(separator: ", "))
  }
}
