/// The SVG document model: a tree of elements with ordered attributes and text. Built by the
/// painter from the layout, written by `SVGSerializer`; nothing here knows about circuits.
public struct SVGElement: Sendable {

  /// The tag name.
  public var name: String
  /// The attributes, in output order.
  public var attributes: [(String, String)]
  /// The children.
  public var children: [SVGChild]

  /// Creates an element.
  public init(_ name: String, _ attributes: [(String, String)] = [], _ children: [SVGChild] = []) {
    self.name = name
    self.attributes = attributes
    self.children = children
  }

  /// Appends an element child.
  mutating func add(_ e: SVGElement) { children.append(.element(e)) }

  /// Appends a text child.
  mutating func add(text: String) { children.append(.text(text)) }
}

/// A child of an element: another element or text.
public enum SVGChild: Sendable {
  case element(SVGElement)
  case text(String)
}

/// Shape constructors with numbers formatted by `NumberFormat`.
enum Shape {

  /// A path from drawing commands.
  static func path(_ d: PathData, _ attrs: [(String, String)]) -> SVGElement {
    SVGElement("path", [("d", d.text)] + attrs)
  }

  /// A rectangle.
  static func rect(_ r: Rect, rx: Double = 0, _ attrs: [(String, String)]) -> SVGElement {
    var a = [("x", f(r.x)), ("y", f(r.y)), ("width", f(r.width)), ("height", f(r.height))]
    if rx > 0 { a.append(("rx", f(rx))) }
    return SVGElement("rect", a + attrs)
  }

  /// A circle.
  static func circle(_ c: Point, _ radius: Double, _ attrs: [(String, String)]) -> SVGElement {
    SVGElement("circle", [("cx", f(c.x)), ("cy", f(c.y)), ("r", f(radius))] + attrs)
  }

  /// A closed polygon.
  static func polygon(_ points: [Point], _ attrs: [(String, String)]) -> SVGElement {
    SVGElement("polygon", [("points", points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " "))] + attrs)
  }

  /// A text element; `anchor` is `start`, `middle` or `end`.
  static func text(
    _ s: String, at p: Point, size: Double, anchor: String = "start", _ attrs: [(String, String)] = []
  ) -> SVGElement {
    SVGElement(
      "text", [("x", f(p.x)), ("y", f(p.y)), ("font-size", f(size)), ("text-anchor", anchor)] + attrs,
      [.text(s)])
  }

  /// Formats a number.
  static func f(_ x: Double) -> String { NumberFormat.svg(x) }
}

/// Path drawing commands.
struct PathData {

  /// The commands so far.
  private(set) var text = ""

  /// Moves to `p`.
  mutating func move(_ p: Point) { text += "M\(Shape.f(p.x)) \(Shape.f(p.y))" }

  /// A straight line to `p`.
  mutating func line(_ p: Point) { text += "L\(Shape.f(p.x)) \(Shape.f(p.y))" }

  /// A cubic curve to `p` with control points `c1`, `c2`.
  mutating func curve(_ c1: Point, _ c2: Point, _ p: Point) {
    text += "C\(Shape.f(c1.x)) \(Shape.f(c1.y)) \(Shape.f(c2.x)) \(Shape.f(c2.y)) \(Shape.f(p.x)) \(Shape.f(p.y))"
  }

  /// An elliptical arc to `p` (radii `rx`, `ry`, sweep flag `sweep`).
  mutating func arc(rx: Double, ry: Double, sweep: Bool, _ p: Point) {
    text += "A\(Shape.f(rx)) \(Shape.f(ry)) 0 0 \(sweep ? 1 : 0) \(Shape.f(p.x)) \(Shape.f(p.y))"
  }

  /// Closes the path.
  mutating func close() { text += "Z" }

  /// A horizontal wire from `a` to `b` that bends smoothly when their heights differ.
  static func wire(from a: Point, to b: Point) -> PathData {
    var d = PathData()
    d.move(a)
    d.wire(from: a, to: b)
    return d
  }

  /// Continues the path, now at `a`, to `b` as a wire: straight, or bending smoothly when
  /// their heights differ.
  mutating func wire(from a: Point, to b: Point) {
    if abs(a.y - b.y) < 0.01 {
      line(b)
    } else {
      let mid = (a.x + b.x) / 2
      curve(Point(mid, a.y), Point(mid, b.y), b)
    }
  }
}
