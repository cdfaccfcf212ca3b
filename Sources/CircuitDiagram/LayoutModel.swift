/// The laid-out diagram: every box, port, wire, fence and text box with coordinates. The
/// painter draws it; tests check its geometry.
public struct DiagramLayout: Sendable {

  /// A placed node.
  public struct Node: Sendable {
    /// The index of the graph node.
    let graphIndex: Int
    /// The column.
    public let layer: Int
    /// Whether it is a drawn box (false for wire stretches passing through a column).
    public let isBox: Bool
    /// The node's rectangle (pictogram headroom included).
    public var rect: Rect
    /// The input ports, by bundle and wire.
    public var inPorts: [[Point]]
    /// The output ports, by bundle and wire.
    public var outPorts: [[Point]]
    /// The plan the ports come from.
    let plan: NodePlan
  }

  /// A wire between two columns.
  public struct Wire: Sendable {
    /// The producing node and its port.
    public let from: Int, fromBundle: Int, fromWire: Int
    /// The consuming node and its port.
    public let to: Int, toBundle: Int, toWire: Int
    /// The start (an output port) and end (an input port).
    public let start: Point, end: Point
    /// Where the wire starts bending and stops bending.
    let bendStart: Double, bendEnd: Double
    /// For a wire from one row of a wrapped diagram to the next: where it is cut.
    public var continuation: Continuation? = nil
  }

  /// A wire cut between two rows, as the paper draws it (Fig. 27's `x̄5`, `c4`): it ends at
  /// the right of its row with an arrowhead at `outX` (at its start's height) and begins
  /// again at the left of the next row, at `inX`, `inShift` off its end's height (one stub
  /// per value, in the order the values leave the row above), with an incoming
  /// arrowhead; both ends carry its label. From `bendFrom` it bends to its port's height.
  public struct Continuation: Sendable {
    /// The tip of its outgoing arrowhead, right of its row.
    public let outX: Double
    /// Where it begins again, left of the next row.
    public let inX: Double
    /// The height of its incoming stub less that of its end.
    public let inShift: Double
    /// Where it starts bending from its stub's height to its end's.
    public var bendFrom: Double
    /// Whether other copies of its value share its stubs (parting at `bendFrom`).
    public let copied: Bool
  }

  /// A placed fence.
  public struct Fence: Sendable {
    /// The IR region.
    let region: Int
    /// The rectangle.
    public let rect: Rect
    /// The nodes inside (members of the fence or of a fence within it).
    public var members: [Int] = []
    /// The title's lines when it is set in two (`LayoutEngine.wrappedTitles`).
    public var titleLines: [String]? = nil
    /// Whether this is a later row's piece of a fence cut by wrapping (drawn without title).
    public var continued = false

    /// This fence over `rect` instead, its members and title lines kept.
    func with(rect: Rect) -> Fence {
      var out = Fence(region: region, rect: rect, members: members, titleLines: titleLines)
      out.continued = continued
      return out
    }
  }

  /// A point where wires meet, drawn as a dot: a copy (one port feeding wires that part to
  /// several heights) or a diagonal join (a wire several operands of a node share). It
  /// belongs to the body of a fence (`owner`), which holds it.
  public struct Junction: Sendable {
    /// What the dot does.
    public enum Kind: Sendable, Equatable { case copy, diagonal }
    /// What the dot does.
    public let kind: Kind
    /// Where it is drawn.
    public let point: Point
    /// The region of the innermost fence whose body it belongs to (nil: the top level).
    public let owner: Int?
    /// The regions of the fences that hold it: its owner and the fences around it.
    public var holders: [Int] = []
    /// For a copy, the producing node; for a diagonal, the joining node.
    public let node: Int
    /// For a copy, the first wire leaving the copied port (an index into `wires`).
    let wire: Int?
    /// The copied or joined wire's name.
    public let name: String
  }

  /// A fence the program does not write as a region, drawn around junctions as the paper
  /// draws them (Fig. 21): "Copy" around the copy of a call's injected input that a group of
  /// its body reads, "Concat (Diagonalize)" along the heads a call is broadcast over, from
  /// the boxes that make them to where they join.
  public struct JunctionFence: Sendable {
    /// What the fence shows.
    public enum Kind: Sendable, Equatable { case copy, diagonal }
    /// What the fence shows.
    public let kind: Kind
    /// The title.
    public let title: String
    /// The extent (for a diagonal fence, its highlighted wires and title plate).
    public var rect: Rect
    /// Where the title is written.
    public var titleAt: Point
    /// The junctions it holds (indices into `junctions`).
    public let junctions: [Int]
    /// The wires it highlights (indices into `wires`).
    public let wires: [Int]
    /// Where it highlights them running straight on through the nodes they reach (from one
    /// port to the other).
    public var throughs: [[Point]] = []
    /// The region of the fence whose body holds it.
    let owner: Int?
  }

  /// A piece of text with its extent.
  public struct TextBox: Sendable {
    /// The text.
    public let text: String
    /// Its extent.
    public let rect: Rect
    /// Whether it is a fence title (placed in the fence's corner, not by the layout).
    public var isFenceTitle = false
  }

  /// The nodes (graph nodes first, then wire stretches).
  public var nodes: [Node] = []
  /// The wires.
  public var wires: [Wire] = []
  /// The fences by region, outermost first.
  public var fences: [Fence] = []
  /// The copy and diagonal dots, each with the fence it belongs to.
  public var junctions: [Junction] = []
  /// The fences drawn around junctions (`JunctionFence`).
  public var junctionFences: [JunctionFence] = []
  /// Every text drawn, filled in by the painter.
  public var texts: [TextBox] = []
  /// The extent of all content plus the margin.
  public var viewBox = Rect(x: 0, y: 0, width: 0, height: 0)
  /// The x where each column starts and its width.
  var columns: [(x: Double, width: Double)] = []
  /// The bend region of the channel after each column: where source labels may sit.
  var channelLabelStart: [Double] = []
}
