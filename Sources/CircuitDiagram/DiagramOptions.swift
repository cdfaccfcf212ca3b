/// What to draw and how: the options of `circuit render`.
public struct DiagramOptions: Sendable {

  /// How wire labels show sizes.
  public enum SizeMode: String, Sendable {
    /// Axis names only (`k`).
    case symbolic
    /// Axis names with their sizes (`k=16`).
    case concrete
  }

  /// How many levels of called circuits are expanded (the entry is level 0); calls deeper
  /// than this are collapsed into boxes. `nil` picks the deepest level whose drawing stays
  /// within `targetWidth` (`DiagramRenderer.depth(for:options:)`).
  public var depth: Int?

  /// How wire labels show sizes.
  public var sizes: SizeMode

  /// The call regions drawn expanded, all others collapsed (the interactive viewer's
  /// per-block states); when set, `depth` is not used.
  public var expandedCalls: Set<Int>? = nil

  /// The colour theme.
  public var theme: Theme.Kind

  /// A prefix removed from source file names in `data-src` attributes (e.g. the current
  /// directory followed by `/`), so that output does not depend on where files live.
  public var pathPrefix: String

  /// One line of a legend: a derived size and its definition as written (`nb = c1/4`).
  public struct LegendEntry: Sendable, Equatable {
    /// The size's name (with `[i]` for a size family).
    public let name: String
    /// The definition.
    public let value: String

    /// Creates an entry.
    public init(name: String, value: String) {
      self.name = name
      self.value = value
    }
  }

  /// Derived sizes by circuit name (`""`: the entry file's top-level `size` lines), drawn in
  /// a legend box for the entry and every expanded circuit. The IR does not keep them; the
  /// driver reads them from the checked program.
  public var legend: [String: [LegendEntry]] = [:]

  /// Labels for sizes the entry circuit derives through its calls, by the entry's name for
  /// them (`y2` → `h/2`, as the paper writes `x̄/2`): a wire carrying such a name, in the
  /// entry or inside a call that gets it from the entry, shows the label instead. The IR
  /// does not keep size expressions; the driver reads them from the checked program.
  public var derivedSizes: [String: String] = [:]

  /// The model's sizes that the file's `sizes { }` or `--size` fix and no entry input
  /// carries (Fig. 19's hidden widths `f = 512`, the classes `k = 10`), by name: the first
  /// stretch of wire carrying one is labelled with its value (`f = 512`), as the paper labels
  /// a size where it first appears; later stretches show the name alone.
  public var fixedSizes: [String: Int] = [:]

  /// Numbers substituted for sizes nothing fixes, so that a circuit with symbolic sizes can
  /// be drawn (`kk = 2`): the wires keep the names; the legend lists these under "drawn with".
  public var displaySizes: [LegendEntry] = []

  /// Axis bundles (`axes P = (h w)`): the bundle's name to its member axes in order. Wires
  /// of the members travelling together are drawn as one bold double line named after it.
  public var bundles: [String: [String]] = [:]

  /// Text drawn beside fences and nodes, coloured by share (`render --cost`); none by default.
  public var annotations = DiagramAnnotations()

  /// The width (in SVG units) beyond which a long diagram is wrapped into stacked rows, cut
  /// where no fence or loop spans the cut; `nil` draws one row.
  public var pageWidth: Double? = DiagramOptions.defaultPageWidth

  /// Whether a drawing wrapped into rows has its columns ordered again for them, the wires
  /// cut between rows free to cross there (`LayoutEngine.reorderedForRows`). The automatic
  /// depth measures each level without it, so that this order never changes the depth.
  public var ordersForRows = true

  /// Whether a `★` emits its window just below its grid, the wires passing under the
  /// trapezoid, where that draws no more crossings (`LayoutEngine.emitWindowBesideGrid`);
  /// the automatic depth measures each level without it, so that this polish never
  /// changes which level is drawn.
  var windowsBesideGrids = true

  /// The default page width: about a printed figure's.
  public static let defaultPageWidth = targetWidth

  /// Whether elements carry what the interactive viewer needs beyond `data-src`: the last
  /// source line of their range (`data-end`) and, on collapsed blocks, `data-block`.
  public var viewerAttributes = false

  /// Creates options; the defaults give a readable light diagram with symbolic sizes.
  public init(
    depth: Int? = nil, sizes: SizeMode = .symbolic, theme: Theme.Kind = .light, pathPrefix: String = ""
  ) {
    self.depth = depth
    self.sizes = sizes
    self.theme = theme
    self.pathPrefix = pathPrefix
  }

  /// The width (in SVG units) the automatic depth keeps a drawing within: about a printed
  /// figure's.
  public static let targetWidth = 1200.0

  /// The height the automatic depth keeps a wrapped drawing within: a portrait page's
  /// (√2 × `targetWidth`). Deeper levels that wrap into more rows than a page holds (the
  /// ResNet's seven rows of blocks) leave the default at the overview the paper prints.
  public static let targetHeight = targetWidth * 2.0.squareRoot()

  /// The most drawn nodes of a level the automatic depth lays out (denser drawings are
  /// unreadable at any width, and laying them out costs time).
  static let automaticNodeLimit = 120

  /// The most levels of calls expanded when no depth is given (deeper nestings of boxes are
  /// unreadable, and each level costs layout time).
  static let maximumAutomaticDepth = 16
}
