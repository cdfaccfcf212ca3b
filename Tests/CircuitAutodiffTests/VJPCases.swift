import CircuitIR
import Testing
import TensorRuntime

/// One op (or op configuration) whose gradient program is checked: `build` adds parameters and
/// the op to a tiny function and returns the value the loss probes.
struct VJPCase: CustomTestStringConvertible, Sendable {

  /// `unary relu`, `contract diagonal`, ….
  let name: String

  /// Builds the op under test.
  let build: @Sendable (inout TinyFunction) -> IR.Value

  /// The name.
  var testDescription: String { name }
}

/// Odd axis sizes: 3, 5 and 7.
private let (i, j, k) = (IR.Axis("i", 3), IR.Axis("j", 5), IR.Axis("k", 7))

extension VJPCase {

  /// Every case.
  static let all: [VJPCase] = unary + binary + reductions + rows + views + lookups + windows

  /// Each elementwise function of one operand, on inputs away from its kinks and domain edges.
  static let unary: [VJPCase] = IR.UnaryFunction.allCases.filter { $0 != .sign }.map { fn in
    let draw: Draw =
      switch fn {
      case .relu, .abs: .awayFromZero
      case .log, .sqrt, .rsqrt: .positive
      default: .normal
      }
    return VJPCase(name: "unary \(fn.rawValue)") { t in
      t.emit(.unary(fn), [t.parameter("x", [i, j, k], draw)])
    }
  }

  /// Each binary function with broadcasting both ways: `a[i j] ∘ b[j k]`.
  static let binary: [VJPCase] = IR.BinaryFunction.allCases.map { fn in
    VJPCase(name: "binary \(fn.rawValue)") { t in
      let (da, db): (Draw, Draw) =
        switch fn {
        case .divide: (.normal, .positive)
        case .power: (.positive, .normal)
        case .maximum, .minimum: (.distinct(offset: 0), .distinct(offset: 0.1))
        default: (.normal, .normal)
        }
      return t.emit(.binary(fn), [t.parameter("a", [i, j], da), t.parameter("b", [j, k], db)])
    }
  } + [
    VJPCase(name: "binary pow constant exponent") { t in
      t.emit(.binary(.power), [t.parameter("a", [i, j], .positive), t.constant(3)])
    },
    VJPCase(name: "select") { t in
      let mask = (0..<(3 * 5)).map { ($0 * 7) % 3 != 0 }
      let m = t.input("m", IR.TensorType(.bool, [i, j]), try! Tensor(shape: [3, 5], bools: mask))
      return t.emit(.select, [m, t.parameter("a", [i, j, k]), t.parameter("b", [j])])
    },
  ]

  /// Reductions and contractions.
  static let reductions: [VJPCase] = [
    VJPCase(name: "sum[j]") { t in t.emit(.reduce(.sum, axes: ["j"]), [t.parameter("x", [i, j, k])]) },
    VJPCase(name: "mean[i k]") { t in t.emit(.reduce(.mean, axes: ["i", "k"]), [t.parameter("x", [i, j, k])]) },
    VJPCase(name: "max[j]") { t in
      t.emit(.reduce(.max, axes: ["j"]), [t.parameter("x", [i, j, k], .distinct(offset: 0))])
    },
    VJPCase(name: "min[k i]") { t in
      t.emit(.reduce(.min, axes: ["k", "i"]), [t.parameter("x", [i, j, k], .distinct(offset: 0))])
    },
    VJPCase(name: "contract matrix product") { t in
      t.emit(.contract(axes: ["j"]), [t.parameter("a", [i, j]), t.parameter("b", [j, k])])
    },
    VJPCase(name: "contract diagonal and one-sided axes") { t in
      let l = IR.Axis("l", 2)
      return t.emit(.contract(axes: ["j"]), [t.parameter("a", [i, j, l]), t.parameter("b", [j, k, i])])
    },
    VJPCase(name: "contract an axis only one side has") { t in
      t.emit(.contract(axes: ["i", "j"]), [t.parameter("a", [i, j]), t.parameter("b", [j, k])])
    },
  ]

  /// Softmax, log-softmax and layer norm.
  static let rows: [VJPCase] = [
    VJPCase(name: "softmax[k]") { t in t.emit(.softmax(axes: ["k"], log: false), [t.parameter("x", [i, j, k])]) },
    VJPCase(name: "softmax[j k]") { t in t.emit(.softmax(axes: ["j", "k"], log: false), [t.parameter("x", [i, j, k])]) },
    VJPCase(name: "logsoftmax[j]") { t in t.emit(.softmax(axes: ["j"], log: true), [t.parameter("x", [i, j, k])]) },
    VJPCase(name: "logsoftmax[i k]") { t in t.emit(.softmax(axes: ["i", "k"], log: true), [t.parameter("x", [i, j, k])]) },
    VJPCase(name: "layernorm[k]") { t in
      t.emit(.layerNorm(axes: ["k"], epsilon: 1e-5), [t.parameter("x", [i, j, k])])
    },
    VJPCase(name: "layernorm[i k]") { t in
      t.emit(.layerNorm(axes: ["i", "k"], epsilon: 1e-3), [t.parameter("x", [i, j, k])])
    },
  ]

  /// Views, concatenation, slicing and indexing.
  static let views: [VJPCase] = [
    VJPCase(name: "merge non-adjacent") { t in
      t.emit(.merge(axes: ["k", "i"], into: "m"), [t.parameter("x", [i, j, k])])
    },
    VJPCase(name: "split") { t in
      let m = IR.Axis("m", 15)
      return t.emit(.split(axis: "m", into: [IR.Axis("p", 3), j]), [t.parameter("x", [m, k])])
    },
    VJPCase(name: "rename") { t in t.emit(.rename(from: ["i", "k"], to: ["k", "q"]), [t.parameter("x", [i, j, k])]) },
    VJPCase(name: "transpose") { t in t.emit(.transpose(order: ["k", "i"]), [t.parameter("x", [i, j, k])]) },
    VJPCase(name: "concat") { t in
      let (a, b) = (IR.Axis("a", 3), IR.Axis("b", 5))
      return t.emit(.concat(axes: ["a", "b"], into: "c"), [t.parameter("x", [i, a]), t.parameter("y", [b, i])])
    },
    VJPCase(name: "slice renamed") { t in
      t.emit(.slice(axis: "j", start: 1, end: 4, renamed: "s"), [t.parameter("x", [i, j, k])])
    },
    VJPCase(name: "index") { t in t.emit(.index(axis: "j", position: 2), [t.parameter("x", [i, j, k])]) },
  ]

  /// Gather with repeated indices.
  static let lookups: [VJPCase] = [
    VJPCase(name: "gather repeated ids") { t in
      let ids = t.input(
        "ids", IR.TensorType(.int32, [IR.Axis("b", 5)]), try! Tensor(shape: [5], int32s: [4, 0, 6, 4, 4]))
      return t.emit(.gather(axis: "v"), [t.parameter("W", [IR.Axis("d", 3), IR.Axis("v", 7)]), ids])
    },
    VJPCase(name: "gather with a shared batch axis") { t in
      let ids = t.input(
        "ids", IR.TensorType(.int32, [IR.Axis("b", 2), IR.Axis("n", 3)]),
        try! Tensor(shape: [2, 3], int32s: [4, 0, 4, 6, 6, 1]))
      let table = t.parameter("W", [IR.Axis("v", 7), IR.Axis("b", 2), IR.Axis("d", 3)])
      return t.emit(.gather(axis: "v"), [table, ids])
    },
    VJPCase(name: "gather with only batch axes") { t in
      let ids = t.input(
        "ids", IR.TensorType(.int32, [IR.Axis("b", 2)]), try! Tensor(shape: [2], int32s: [5, 2]))
      return t.emit(.gather(axis: "v"), [t.parameter("W", [IR.Axis("b", 2), IR.Axis("v", 7)]), ids])
    },
    VJPCase(name: "where of a comparison, converted mask and argmax one-hot") { t in
      // Comparisons, logic, conversions and argmax pass no gradient; the f32 mask scales it.
      let x = t.parameter("x", [i, j], .distinct(offset: 0))
      let y = t.parameter("y", [j], .distinct(offset: 0.1))
      let bigger = t.emit(.compare(.greater), [x, y])
      let both = t.emit(.logic(.and), [bigger, t.emit(.logic(.not), [t.emit(.compare(.equal), [x, y])])])
      let weight = t.emit(.convert(.float32), [t.emit(.argExtremum(axis: "j", minimum: false), [x])])
      return t.emit(.binary(.multiply), [t.emit(.select, [both, x, y]), weight])
    },
  ]

  /// Windows (strided, padded, dilated) and their transpose.
  static let windows: [VJPCase] = [
    VJPCase(name: "window stride 2 pad 1") { t in
      let w = IR.WindowAxis(input: "h", grid: "g", window: "u", size: 3, stride: 2, pad: 1, dilation: 1)
      return t.emit(.window([w]), [t.parameter("x", [i, IR.Axis("h", 7)])])
    },
    VJPCase(name: "window 2-D dilated, uncovered edge") { t in
      let w1 = IR.WindowAxis(input: "h", grid: "g", window: "u", size: 2, stride: 1, pad: 0, dilation: 2)
      let w2 = IR.WindowAxis(input: "w", grid: "x", window: "v", size: 3, stride: 3, pad: 0, dilation: 1)
      return t.emit(.window([w1, w2]), [t.parameter("x", [IR.Axis("h", 5), IR.Axis("w", 7)])])
    },
    VJPCase(name: "unwindow stride 2 pad 1") { t in
      let u = IR.UnwindowAxis(grid: "g", window: "u", output: "h", stride: 2, pad: 1, dilation: 1, outputPad: 0)
      return t.emit(.unwindow([u]), [t.parameter("x", [IR.Axis("g", 3), i, IR.Axis("u", 3)])])
    },
  ]
}
