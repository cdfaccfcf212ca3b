/// Colours, fonts and metrics of a diagram.
public struct Theme: Sendable {

  /// The available themes.
  public enum Kind: String, Sendable {
    case light, dark
  }

  /// The page background.
  let background: String
  /// Wires, outlines and text.
  let ink: String
  /// Secondary text (sizes, fence titles).
  let muted: String
  /// The fill of generic operation boxes.
  let boxFill: String
  /// The fill of learned (bold) boxes.
  let learnedFill: String
  /// The fill of collapsed circuit blocks.
  let blockFill: String
  /// The fill of a window trapezoid.
  let windowFill: String
  /// Fence fills by kind: circuit, group, iteration.
  let circuitFence: String, groupFence: String, iterationFence: String
  /// The fill of a "Copy" fence and the highlight of a "Concat (Diagonalize)" fence's wires
  /// (the paper's yellows, Fig. 21).
  let copyFence: String, diagonalHighlight: String
  /// The fill of input and output name plates.
  let inputFill: String, outputFill: String
  /// The fill of memory notes.
  var noteFill: String { background == "#ffffff" ? "#fbf1a9" : "#5a5220" }

  /// The system font stack (no external fonts).
  let fontFamily = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"

  /// The theme of `kind`.
  init(_ kind: Kind) {
    switch kind {
    case .light:
      background = "#ffffff"; ink = "#1f1f1f"; muted = "#555555"
      boxFill = "#eef2f5"; learnedFill = "#e3e8ea"; blockFill = "#c9ef9a"
      windowFill = "#a9dcf7"
      circuitFence = "#e4defa"; groupFence = "#fbe3e3"; iterationFence = "#f2f2e0"
      copyFence = "#f7d35c"; diagonalHighlight = "#f9ee9e"
      inputFill = "#4aa3df"; outputFill = "#f5e23c"
    case .dark:
      background = "#16181c"; ink = "#e8e8e8"; muted = "#a8a8a8"
      boxFill = "#2b3138"; learnedFill = "#353b42"; blockFill = "#3d5a25"
      windowFill = "#1f4f6b"
      circuitFence = "#2c2842"; groupFence = "#402a2e"; iterationFence = "#2f2f24"
      copyFence = "#6b5614"; diagonalHighlight = "#55501c"
      inputFill = "#1f5f8b"; outputFill = "#7a6c10"
    }
  }
}

/// Fixed sizes of the drawing, in SVG user units.
enum Metrics {
  /// The vertical distance between two wires of one tensor.
  static let pitch = 20.0
  /// Wire label font size.
  static let labelFont = 11.0
  /// Font size of glyphs inside boxes.
  static let glyphFont = 15.0
  /// Font size of fence and block titles.
  static let titleFont = 11.0
  /// The height of a fence title strip.
  static let fenceTitle = 16.0
  /// The length of a wrapped wire's stub beyond its label (arrowhead and gaps).
  static let stub = 22.0
  /// The gap a channel leaves beyond its labels when every wire in it runs straight.
  static let straightGap = 6.0
  /// The vertical gap between the rows of a wrapped diagram.
  static let rowGap = 26.0
  /// Vertical gap between two nodes of one column.
  static let nodeGap = 16.0
  /// The horizontal extent of a wire's S-curve between columns.
  static let curve = 34.0
  /// The margin around the whole drawing.
  static let margin = 16.0
}
