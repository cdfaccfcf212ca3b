/// A point in SVG user units (y grows downwards).
public struct Point: Sendable, Equatable {
  public var x: Double
  public var y: Double

  /// Creates a point.
  public init(_ x: Double, _ y: Double) {
    self.x = x
    self.y = y
  }

  /// The point moved by `dx` and `dy`.
  func moved(_ dx: Double, _ dy: Double) -> Point { Point(x + dx, y + dy) }
}

/// An axis-aligned rectangle.
public struct Rect: Sendable, Equatable {
  public var x: Double
  public var y: Double
  public var width: Double
  public var height: Double

  /// Creates a rectangle.
  public init(x: Double, y: Double, width: Double, height: Double) {
    (self.x, self.y, self.width, self.height) = (x, y, width, height)
  }

  /// The right edge.
  public var maxX: Double { x + width }
  /// The bottom edge.
  public var maxY: Double { y + height }

  /// Whether the interiors of the two rectangles intersect (touching edges do not count).
  public func overlaps(_ o: Rect, by slack: Double = 0.01) -> Bool {
    x < o.maxX - slack && o.x < maxX - slack && y < o.maxY - slack && o.y < maxY - slack
  }

  /// Whether `o` lies inside this rectangle.
  public func contains(_ o: Rect) -> Bool {
    o.x >= x - 0.01 && o.y >= y - 0.01 && o.maxX <= maxX + 0.01 && o.maxY <= maxY + 0.01
  }

  /// Whether `p` lies inside or on the edge.
  public func contains(_ p: Point) -> Bool {
    p.x >= x - 0.01 && p.x <= maxX + 0.01 && p.y >= y - 0.01 && p.y <= maxY + 0.01
  }

  /// The smallest rectangle holding both.
  public func union(_ o: Rect) -> Rect {
    let l = min(x, o.x), t = min(y, o.y)
    return Rect(x: l, y: t, width: max(maxX, o.maxX) - l, height: max(maxY, o.maxY) - t)
  }

  /// The rectangle moved by `dx` and `dy`.
  func moved(_ dx: Double, _ dy: Double) -> Rect { Rect(x: x + dx, y: y + dy, width: width, height: height) }

  /// The rectangle grown by `d` on every side.
  public func inset(by d: Double) -> Rect {
    Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d)
  }
}

/// Approximate text extents for the system font stack (no font files are read).
enum TextMetrics {

  /// The advance width of `s` at `size`.
  static func width(_ s: String, size: Double, bold: Bool = false) -> Double {
    var w = 0.0
    for c in s.unicodeScalars {
      switch c.value {
      case 0x20: w += 0.30
      case 0x69, 0x6C, 0x49, 0x2E, 0x2C, 0x3A, 0x27, 0x7C, 0x6A, 0x21: w += 0.30
      case 0x6D, 0x77, 0x4D, 0x57: w += 0.85
      case 0x41...0x5A: w += 0.68
      case 0x30...0x39: w += 0.56
      case 0x21...0x7E: w += 0.55
      case 0x2080...0x209F, 0x2070...0x207F, 0xB2, 0xB3, 0xB9: w += 0.40
      case 0x0300...0x036F: break  // a combining mark (`x̄`'s bar) takes no room of its own
      case 0x2308...0x230B: w += 0.32  // the floor and ceiling brackets
      default: w += 0.95
      }
    }
    return w * size * (bold ? 1.08 : 1.0)
  }
}
