import CircuitCodeGenC
import CircuitDiagnostics
import CircuitIR
import CircuitPipeline

/// `circuit build --runtime-sizes`: the runtime-sized template an executable runs, and the box
/// of sizes over which it is known to compute what the specialised build computes.
///
/// A `run` checks each shape with the compiler at hand (the template instantiated at the run's
/// sizes must equal the program specialised there, token for token). A standalone executable
/// has no compiler, so the build establishes validity over a box `lower...upper` of sizes and
/// the executable refuses every shape outside it (one `error:` line, exit 1). The argument:
///
/// 1. The program specialised at sizes S is `CEmitter.emit(lower(S), plan(S))` in the symbolic
///    form, which `run` compares too and which computes what the literal form computes
///    (`CEmitter+SizeForm`). Its structure
///    (its tokens other than integer literals) is fixed by finitely many decisions of the
///    lowering, the plan and the emitter that look at the sizes: a kind (matrix-vector at one
///    row, loops for tiny contractions, streamed attention from 256 keys), a fusion, a tiling.
///    Each is a threshold on a quantity that does not decrease when a size grows (a size, a
///    product of sizes, a step's work), so the sizes where it holds form an up-set. Decisions
///    that would not be monotone, or that differ at every size (splits, lanes, tails), are made
///    in the template's C at run time (`CEmitter+SizeForm`), so they never reach the structure.
/// 2. For an up-set U and S in the box: S ≥ lower, so lower ∈ U implies S ∈ U; S ≤ upper, so
///    upper ∉ U implies S ∉ U. Hence every decision that is the same at the box's lowest and
///    highest corners is the same throughout the box, and the specialised programs inside it
///    share one structure. The build checks the template against the specialised program at
///    every corner of the box (more than the two needed), at the sizes of the search below,
///    and at the samples, so a decision that changes inside the box is caught at a corner.
/// 3. Every integer literal of those programs is a size, a product of sizes, a stride or a
///    byte count: a polynomial of degree ≤ 2 in each runtime size (the emitter writes
///    quotients and remainders as C, `lanesText`). The template fits each through a 3^k grid
///    and checks two held-out points with other residues; every checked shape of the box
///    checks every literal again. Two such polynomials equal at three values of each size are
///    equal everywhere, so the template's literals equal the specialised program's at every S.
/// 4. Some decisions depend on a residue as well (a tail when a depth is no multiple of 8 or
///    16, Winograd rows against 16-wide panels). Restricted to one class modulo 16 such a
///    decision is again a threshold, so the search also checks the 16 values nearest each end
///    of every size's range (`residueExtent`), cutting the range where a class changes.
/// 5. The template evaluates each literal in `int64_t`; `CTemplate.fits(upTo:)` bounds every
///    partial sum and product by the sum of the terms' magnitudes at `upper`, so no
///    evaluation overflows in the box (`SizedShapes.fits` does the same for the shapes).
///
/// Hence at every S in the box the executable runs, token for token, the program the build
/// would specialise at S. Points 1, 3 and 4 are properties of the code generator that the checks
/// test but cannot prove: a decision that is not monotone and changes strictly inside the box,
/// away from every checked shape, would go unseen. The box is found by galloping from the
/// sampled sizes (doubling up to `buildSizeLimit`, halving down to 1) and bisecting between the
/// last shape that holds and the first that does not, one size at a time; with two or three
/// sizes a decision they make together (a product against a threshold) fails at a corner, and
/// the bounds that corner uses move halfway back to the sampled sizes until every corner holds.
extension Session {

  /// The largest runtime size `build` considers.
  static let buildSizeLimit = 1 << 14

  /// The runtime-sized description of `f` (the entry of `c` at the session's sizes) under
  /// `plan` for `mode`'s sizes, and one line saying what was verified.
  /// - Throws: a failure with one `error:` line when there is no template, a size is read
  ///   from no input axis or changes a parameter's shape, or no box of sizes holds.
  func sizedBuild(
    _ f: IR.Function, compilation c: Compilation, entry: Entry, preset: LoweringPlan.Preset, threads: Int,
    mode: RuntimeSizesMode
  ) throws(Failure) -> (sized: CStandalone.Sized, program: CProgram, note: String) {
    var quiet = DiagnosticLog()
    let base = c.sizes(for: entry, given: common.sizes, inputShapes: [:], log: &quiet).values.compactMapValues { $0.constant }
    let lower = sampleLowering(compilation: c, entry: entry, inputShapes: [:])
    let names: [String]
    switch mode {
    case .names(let list): names = list
    case .auto, .off: names = runtimeSizeNames(f, compilation: c, entry: entry, base: base, lower: lower)
    }
    let code = CommandLineTool.ExitCode.sourceErrors
    guard !names.isEmpty else { throw fail("no size of '\(entry.name)' is fixed by its inputs alone (name them: --runtime-sizes a,b)", code) }
    if let unknown = names.first(where: { base[$0] == nil }) {
      throw fail("--runtime-sizes: '\(unknown)' is not a size of '\(entry.name)' (its sizes: \(base.keys.sorted().joined(separator: ", ")))", code)
    }
    let plan = LoweringPlan.preset(preset, for: f, threads: threads)
    let program = CEmitter.emit(f, plan: plan, arena: .symbolic)
    var shapes: [[String: Int]: (inputs: [[Int]], outputs: [[Int]])] = [:]
    var changedParameter: String? = nil
    let built = Session.buildTemplate(names: names, base: base, function: f, plan: plan, program: program, lower: lower) { s, g in
      shapes[s] = Session.shapes(g)
      if changedParameter == nil, let p = zip(g.parameters, f.parameters).first(where: { $0.0.type != $0.1.type }) {
        changedParameter = p.1.name
      }
    }
    if let p = changedParameter {
      throw fail("a runtime size changes the shape of parameter '\(p)'; the executable reads parameters of fixed shapes", code)
    }
    guard let template = built.template else { throw fail("no runtime-sized template for \(names.joined(separator: ", ")): \(built.reason)", code) }
    let fitted: SizedShapes
    do throws(CTemplate.Failure) {
      // The template samples only the grid points it needs; the others are lowered here.
      fitted = try SizedShapes.fit(names: names, base: base, below: built.below) { shapes[$0] ?? lower($0).map(Session.shapes) }
    } catch {
      throw fail("the shapes of '\(entry.name)' over \(names.joined(separator: ", ")): \(error)", code)
    }
    if let missing = zip(names, fitted.readers).first(where: { $0.1 == nil })?.0 {
      throw fail("runtime size '\(missing)' is the length of no input axis, so the executable cannot read it", code)
    }
    var checked = 0
    var memo: [[Int]: Bool] = [:]
    /// Whether the program specialised at `values` (the runtime sizes) is the template there.
    func holds(_ values: [Int]) -> Bool {
      if let known = memo[values] { return known }
      checked += 1
      let sizes = base.merging(zip(names, values).map { $0 }) { $1 }
      let ok = lower(sizes).map { g in
        let (inputs, outputs) = Session.shapes(g)
        return g.instructions.count == f.instructions.count && g.parameters.map(\.type) == f.parameters.map(\.type)
          && inputs.indices.allSatisfy { fitted.input($0, at: values) == inputs[$0] }
          && outputs.indices.allSatisfy { fitted.output($0, at: values) == outputs[$0] }
          && template.mismatch(
            with: CEmitter.emit(g, plan: .preset(preset, for: g, threads: threads), arena: .symbolic).source, at: sizes) == nil
      } ?? false
      memo[values] = ok
      return ok
    }
    let start = names.map { base[$0]! }
    var limit = Array(repeating: Session.buildSizeLimit, count: names.count)
    while !(template.fits(upTo: limit) && fitted.fits(upTo: limit)) && limit.contains(where: { $0 > 1 }) {
      limit = limit.map { max(1, $0 / 2) }
    }
    guard limit.indices.allSatisfy({ start[$0] <= limit[$0] }), holds(start) else {
      throw fail("the template does not hold at the sizes given (\(Session.describe(names, start)))", code)
    }
    let (low, high) = Session.verifiedBox(from: start, limit: limit, holds: holds)
    guard let sized = CStandalone.Sized(template: template, shapes: fitted, lower: low, upper: high) else {
      throw fail("a runtime size is the length of no input axis", code)
    }
    let ranges = names.indices.map { "\(names[$0]) from \(low[$0]) to \(high[$0])" }.joined(separator: ", ")
    return (sized, program, "runtime sizes \(ranges) (the template equals the specialised program at \(checked) checked shapes)")
  }

  /// The box around `start` (where `holds`) found as the type's comment describes: each size's
  /// range by `extent` and `residueExtent` with the others at `start`, then the bounds a
  /// failing corner uses moved halfway back to `start` until every corner holds.
  static func verifiedBox(from start: [Int], limit: [Int], holds: ([Int]) -> Bool) -> (low: [Int], high: [Int]) {
    var low = start, high = start
    for v in start.indices {
      /// `start` with size `v` at `x`.
      func at(_ x: Int) -> [Int] { var s = start; s[v] = x; return s }
      high[v] = extent(from: start[v], toward: limit[v]) { holds(at($0)) }
      low[v] = extent(from: start[v], toward: 1) { holds(at($0)) }
      high[v] = residueExtent(from: start[v], to: high[v]) { holds(at($0)) }
      low[v] = residueExtent(from: start[v], to: low[v]) { holds(at($0)) }
    }
    // A decision two sizes make together (a product against a threshold) fails at a corner.
    while let corner = SizeCorners(low: low, high: high).first(where: { !holds($0) }) {
      for v in start.indices {
        /// Halfway (rounded away from `b`) from `b` back to the sample.
        func back(_ b: Int) -> Int { b + (start[v] - b) - (start[v] - b) / 2 }
        if corner[v] == low[v] { low[v] = back(low[v]) } else { high[v] = back(high[v]) }
      }
    }
    return (low, high)
  }

  /// The modulus of the residue decisions the code generator makes (a tail when a depth is
  /// not a multiple of 8 or 16, Winograd rows against 16-wide panels): `residueExtent` checks
  /// every class modulo it.
  static let residueModulus = 16

  /// `end` (a value on one side of `start` where `extent` found `holds`), moved toward `start`
  /// until `holds` is true at the `residueModulus` values nearest each end of the range, so
  /// that a decision that depends on a residue as well as on a threshold is checked at the
  /// extreme members of every residue class: such a decision, restricted to one class, is a
  /// threshold, so equal at the class's members nearest `start` and `end` it is equal at every
  /// member between. Where a class fails near `end`, its first failing member is found by
  /// bisection over the class (from its member near `start`) and the range ends before it.
  static func residueExtent(from start: Int, to end: Int, holds: (Int) -> Bool) -> Int {
    let m = residueModulus
    let step = end >= start ? 1 : -1
    /// Whether `x` lies strictly beyond `y` (away from `start`).
    func beyond(_ x: Int, _ y: Int) -> Bool { step > 0 ? x > y : x < y }
    // The classes' members nearest the start.
    for k in 1..<m where !beyond(start + k * step, end) {
      if !holds(start + k * step) { return start + (k - 1) * step }
    }
    var end = end
    var moved = true
    while moved {
      moved = false
      for k in 0..<m {
        let x = end - k * step
        guard beyond(x, start + (m - 1) * step), !holds(x) else { continue }
        // Bisect over x's class between its member near the start (which holds) and x.
        var (good, bad) = (x - ((x - start) * step / m) * m * step, x)
        while abs(bad - good) > m {
          let middle = good + (abs(bad - good) / m / 2) * m * step
          if holds(middle) { good = middle } else { bad = middle }
        }
        end = bad - step
        moved = true
        break
      }
    }
    return end
  }

  /// `a=1, b=2`.
  static func describe(_ names: [String], _ values: [Int]) -> String {
    zip(names, values).map { "\($0)=\($1)" }.joined(separator: ", ")
  }

  /// The input and output shapes of `g`.
  static func shapes(_ g: IR.Function) -> (inputs: [[Int]], outputs: [[Int]]) {
    (g.inputs.map(\.type.shape), g.outputs.map { g.type(of: $0).shape })
  }

  /// The farthest value from `start` toward `limit` (either side) such that `holds` is true
  /// there and (assuming the values where it holds are an interval) at every value between:
  /// galloping (doubling or halving the distance) until it fails or reaches `limit`, then
  /// bisecting between the last value that holds and the first that does not.
  static func extent(from start: Int, toward limit: Int, holds: (Int) -> Bool) -> Int {
    var good = start
    var bad: Int? = nil
    while good != limit {
      let next = limit > good ? min(limit, max(good + 1, good * 2)) : max(limit, min(good - 1, good / 2))
      if holds(next) { good = next } else { bad = next; break }
    }
    guard var bad else { return good }
    while abs(bad - good) > 1 {
      let middle = (good + bad) / 2
      if holds(middle) { good = middle } else { bad = middle }
    }
    return good
  }
}

/// Every corner of the box `low...high` (one per subset of sizes at their high end).
struct SizeCorners: Sequence {
  /// The lowest corner.
  let low: [Int]
  /// The highest corner.
  let high: [Int]

  /// The corners, lowest first.
  func makeIterator() -> IndexingIterator<[[Int]]> {
    (0..<(1 << low.count)).map { mask in low.indices.map { mask & (1 << $0) == 0 ? low[$0] : high[$0] } }.makeIterator()
  }
}
