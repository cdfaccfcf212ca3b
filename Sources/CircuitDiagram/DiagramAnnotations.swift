import CircuitDiagnostics

/// A short text drawn beside a fence or a node (e.g. its FLOPs and bytes), coloured by its
/// share of a total: `circuit render --cost`.
public struct DiagramAnnotation: Sendable, Equatable {
  /// The text.
  public let text: String
  /// The share of the total, 0…1: from a cool grey (nothing) to red (everything).
  public let share: Double
  /// Creates an annotation.
  public init(text: String, share: Double) { (self.text, self.share) = (text, min(1, max(0, share))) }
}

/// Annotations to draw, by what they belong to; empty by default (nothing is drawn).
public struct DiagramAnnotations: Sendable {
  /// By IR region index: drawn in the fence's top right corner.
  public var regions: [Int: DiagramAnnotation] = [:]
  /// By call instance path (`encoder.layers.0`): drawn under a collapsed call's block.
  public var instances: [String: DiagramAnnotation] = [:]
  /// By source site (`DiagramAnnotations.key`): drawn under the first node written there.
  public var sites: [String: DiagramAnnotation] = [:]

  /// Creates empty annotations.
  public init() {}

  /// Whether there is nothing to draw.
  public var isEmpty: Bool { regions.isEmpty && instances.isEmpty && sites.isEmpty }

  /// The key of a source site: `file:line:col` with the file's name as loaded.
  public static func key(_ site: SourceRange) -> String {
    let (l, c) = site.lineAndColumn
    return "\(site.file.name):\(l):\(c)"
  }
}
