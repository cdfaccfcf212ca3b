import CircuitIR

/// A device mesh and the circuit axes laid out over its axes: `--mesh data=8,model=2
/// --shard b=data --shard h=model`. Axes are matched by source name (`b` covers `b#1`).
public struct ShardingPlan: Sendable {

  /// The mesh axes and their sizes, in order.
  public let mesh: [(name: String, size: Int)]

  /// Circuit axis (source name) → mesh axis.
  public let shards: [(axis: String, meshAxis: String)]

  /// Creates a plan.
  public init(mesh: [(name: String, size: Int)], shards: [(axis: String, meshAxis: String)]) {
    (self.mesh, self.shards) = (mesh, shards)
  }

  /// The mesh axis of circuit axis `name`, if sharded.
  func meshAxis(of name: String) -> String? {
    let base = AxisPermutation.baseName(name)
    return shards.first { $0.axis == base }?.meshAxis
  }

  /// The size of a mesh axis.
  func size(of meshAxis: String) -> Int { mesh.first { $0.name == meshAxis }?.size ?? 1 }

  /// Per axis of `t`, the mesh axis it is split over: sharded, divisible by the mesh axis's
  /// size, and that mesh axis not already used by an earlier axis of `t`.
  func partition(_ t: IR.TensorType) -> [String?] {
    var used: Set<String> = []
    return t.axes.map { a in
      guard let m = meshAxis(of: a.name), !used.contains(m), a.size % size(of: m) == 0 else { return nil }
      used.insert(m)
      return m
    }
  }

  /// Checks the plan against `f`: mesh axes named once with sizes of at least 1, each shard
  /// naming a mesh axis and an axis of the circuit, and every sharded axis of an input or
  /// parameter divisible by its mesh axis's size.
  func validate(against f: IR.Function) throws(ExportError) {
    var seen: Set<String> = []
    for m in mesh {
      guard m.size >= 1, seen.insert(m.name).inserted else {
        throw ExportError("--mesh: the axis '\(m.name)' must appear once with a size of at least 1")
      }
    }
    let axes = Set(f.instructions.flatMap { $0.type.names.map(AxisPermutation.baseName) })
    var sharded: Set<String> = []
    for s in shards {
      guard seen.contains(s.meshAxis) else { throw ExportError("--shard \(s.axis)=\(s.meshAxis): no mesh axis '\(s.meshAxis)'") }
      guard axes.contains(s.axis) else { throw ExportError("--shard \(s.axis)=\(s.meshAxis): '\(f.name)' has no axis '\(s.axis)'") }
      guard sharded.insert(s.axis).inserted else { throw ExportError("--shard: the axis '\(s.axis)' is sharded twice") }
    }
    let tensors = f.inputs.map { ("input '\($0.name)'", $0.type) } + f.parameters.map { ("parameter '\($0.name)'", $0.type) }
    for (what, t) in tensors {
      for a in t.axes {
        if let m = meshAxis(of: a.name), a.size % size(of: m) != 0 {
          throw ExportError(
            "--shard \(AxisPermutation.baseName(a.name))=\(m): axis '\(a.name)' of \(what) has size \(a.size), "
              + "not divisible by the \(size(of: m)) devices of mesh axis '\(m)' (choose sizes with --size)")
        }
      }
    }
  }
}
