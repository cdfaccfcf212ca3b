import CircuitDiagnostics
import CircuitIR

/// The diagram as a graph: what is drawn, before any coordinates. Built from an IR function
/// by `GraphBuilder`; laid out by `LayoutEngine`.
struct DiagramGraph: Sendable {

  /// One wire: an axis of a tensor.
  struct Wire: Hashable, Sendable {
    /// The IR name (unique within an instruction's operands and result).
    let name: String
    /// The size.
    let size: Int
    /// The caller's name for the axis, when it is drawn inside (or at the interface of) a
    /// called circuit that names it differently.
    var caller: String? = nil
    /// Whether the entry's signature writes the size beside the name (`y=28`): where the
    /// wire starts it is labelled `y = 28`, as the paper's Fig. 19 labels its input.
    var written = false
    /// Whether the program fixes the axis's size at 1 (`h = 1`, Fig. 28's one head): drawn
    /// `1` on every stretch, as the paper labels a size-1 axis.
    var unit = false
    /// The name shown: the caller's, else the IR name with lowering's `#n` freshening removed.
    var label: String { caller ?? Self.display(name) }

    /// `b#1#5` → `b`.
    static func display(_ name: String) -> String {
      if let i = name.firstIndex(of: "#") { return String(name[..<i]) }
      return name
    }
  }

  /// Where an input bundle's wires come from: a node's output bundle, axis by axis.
  struct Link: Sendable {
    /// The producing node.
    var node: Int
    /// The producer's output bundle.
    var bundle: Int
    /// For each wire of the consuming bundle, the index of the producer's wire.
    var wires: [Int]
    /// Whether the value passes through a transpose written in the source (`X as [k x]`):
    /// the consumer then keeps its own axis order and the wires cross.
    var permuted = false
  }

  /// What a node draws.
  enum Kind: Sendable {
    /// An input of the entry circuit.
    case input(name: String)
    /// An output of the entry circuit.
    case output(name: String)
    /// A learned tensor used directly.
    case parameter(name: String)
    /// A generated tensor: `arange`, `causal`.
    case source(label: String)
    /// An elementwise function: `➤f➤`; `learned` when it applies a parameter.
    case elementwise(label: String, learned: Bool)
    /// Two or more tensors combined elementwise (dots and a symbol).
    case combine(symbol: String)
    /// A contraction of two tensors over `axes` (caps), shared kept axes diagonalised.
    case contraction(axes: [String])
    /// A learned linear map `L` (the parameter absorbed), over `contracted` input axes.
    case linear(name: String, bias: Bool, contracted: [String])
    /// A reduction of `axes`; `dropped` size-1 axes end beside it in arrowheads.
    case reduce(IR.Reduction, axes: [String], dropped: [String])
    /// Softmax over `axes`.
    case softmax(axes: [String], log: Bool)
    /// Normalisation over `axes`.
    case normalize(axes: [String])
    /// Merging `axes` into `into` (thick bar).
    case merge(axes: [String], into: String)
    /// Splitting `axis` into several (thick bar).
    case split(axis: String, into: [String])
    /// Concatenation of `axes` (one per operand) into `into` (thick bar).
    case concat(axes: [String], into: String)
    /// Keeping a range of `axis`.
    case slice(axis: String, label: String, renamed: String?)
    /// Selecting one position of each of `axes` (`positions`, in order): dropped in one
    /// column, as the paper drops a pooled `1²` grid.
    case index(axes: [String], positions: [Int])
    /// Looking up the table's `axis` with indices.
    case gather(axis: String)
    /// Sliding windows (the ★ trapezoid).
    case window([IR.WindowAxis])
    /// The transpose of a window (the mirrored ★ᵀ trapezoid).
    case unwindow([IR.UnwindowAxis])
    /// A collapsed call: a block showing its interface; `glyph` replaces the title for
    /// well-known layers (`L`, `★3`).
    case collapsed(title: String, instance: String, learned: Bool, glyph: String?)
    /// A stretch of wires passing through a column.
    case dummy
    /// A memory note: `save` stores its input (`→ C_λ`), otherwise it emits a stored value
    /// (`C_{5−λ} →`). Drawn for values carried out of a folded loop.
    case memory(save: Bool, label: String)
  }

  /// One drawn node.
  struct Node: Sendable {
    /// What it draws.
    var kind: Kind
    /// The input bundles (operands), each with its wires and where they come from.
    var inputs: [[Wire]]
    /// The links of the input bundles (same order as `inputs`).
    var links: [Link]
    /// The output bundles.
    var outputs: [[Wire]]
    /// The innermost visible fence region, if any.
    var region: Int?
    /// The source location.
    var site: SourceRange?
    /// The hover text: the operation and the tensor types.
    var title: String
    /// An annotation from folded scalar operands (e.g. `where`'s fill value).
    var note: String? = nil
    /// For a collapsed call: its IR region (what the viewer expands).
    var call: Int? = nil
    /// For a collapsed call: the axes its learned parameters carry (a batch normalisation's
    /// channel, where the paper's circle sits).
    var learnedAxes: Set<String> = []
    /// The outermost call drawn without a fence (`GraphBuilder.addFences`) whose body made
    /// this node: a pooling's ★ and 𝔼 are one operation of the group they sit in.
    var unfencedCall: Int? = nil
  }

  /// A fenced region: a called circuit, a group or a loop iteration.
  struct Fence: Sendable {
    /// The fence's IR region.
    let region: Int
    /// The title.
    var title: String
    /// The enclosing visible fence.
    let parent: Int?
    /// The flavour.
    let style: Style
    /// Where the region is written.
    let site: SourceRange
    /// The circuit's name, for a circuit fence.
    var circuit: String? = nil
    /// For a circuit fence: the names its caller gives the callee's axes, one map per
    /// enclosing call, innermost first (how its wires are labelled, for its legend).
    var callerNames: [[String: String]] = []
    /// For a group: whether it is a sub-algorithm of several parameter-free operations,
    /// drawn as a dotted outline (see `GraphBuilder.markSubAlgorithms`).
    var outlinesSubAlgorithm = false

    /// Fence flavours.
    enum Style: Sendable { case circuit, group, iteration }
  }

  /// A run of consecutive iterations of one loop: drawn with λ-parentheses.
  struct Loop: Sendable {
    /// The iteration regions, in order.
    let iterations: [Int]
    /// The loop variable.
    let variable: String
    /// The first and last values.
    let first: Int, last: Int
    /// Whether the iterations all have one shape and only the first is drawn.
    var folded = false
    /// The bounds as written (`1`, `N−1`), when the loop's source gives them.
    var written: (first: String, last: String)? = nil
  }

  /// The nodes, in creation (source) order.
  var nodes: [Node] = []
  /// The visible fences by region index.
  var fences: [Int: Fence] = [:]
  /// Fence region indices in region order (for deterministic iteration).
  var fenceOrder: [Int] = []
  /// The loops.
  var loops: [Loop] = []
  /// The diagram's title.
  var title: String = ""
  /// Axis bundles implied by windows (IR names of the members, in order): drawn, like the
  /// declared ones, as one double line where their wires travel together.
  var axisBundles: [[String]] = []
}
