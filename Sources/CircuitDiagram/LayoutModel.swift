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
  /// Every text drawn, filled in by the painter.
  public var texts: [TextBox] = []
  /// The extent of all content plus the margin.
  public var viewBox = Rect(x: 0, y: 0, width: 0, height: 0)
  /// The x where each column starts and its width.
  var columns: [(x: Double, width: Double)] = []
  /// The bend region of the channel after each column: where source labels may sit.
  var channelLabelStart: [Double] = []
}
