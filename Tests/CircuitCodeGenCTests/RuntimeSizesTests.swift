@testable import CircuitCodeGenC
import CircuitNative
import CircuitTestSupport
import Foundation
import Testing

/// Runtime sizes: the exact polynomial fit, templates found by differencing (and refused when
/// a literal is no polynomial or the structure differs), and one compiled library running a
/// model at other sizes, bit-equal to the specialised library and loaded from the cache.
@Suite struct RuntimeSizesTests {

  /// The values of `f` on the grid `nodes[0] × nodes[1]`, last variable fastest.
  static func grid(_ nodes: [[Int]], _ f: (Int, Int) -> Int) -> [Int] {
    nodes[0].flatMap { b in nodes[1].map { t in f(b, t) } }
  }

  @Test func fitsPolynomialsExactly() throws {
    let nodes = [[5, 6, 8], [10, 11, 13]]
    let f = { (b: Int, t: Int) in 3 * b * t * t + 7 * b - 2 * t + 5 }
    let p = try #require(SizePolynomial.interpolating(nodes: nodes, values: RuntimeSizesTests.grid(nodes, f)))
    #expect(p.denominator == 1)
    for (b, t) in [(1, 1), (3, 37), (100, 7), (2, 4096)] { #expect(p.evaluated([b, t]) == f(b, t)) }
    #expect(p.cExpression(["B", "T"]).contains("B*T*T"))
  }

  /// Sizes near a thousand: the interpolation's intermediate products (≈10²¹) exceed `Int`, the
  /// polynomial (a GEMM's m·k·1024 and its m·k) does not; found exactly all the same.
  @Test func fitsLargeSizesWithoutOverflow() throws {
    let nodes = [[1023, 1025, 1027], [1023, 1025, 1027]]
    let f = { (m: Int, k: Int) in 1024 * m * k + m * k - 3 * k }
    let p = try #require(SizePolynomial.interpolating(nodes: nodes, values: RuntimeSizesTests.grid(nodes, f)))
    for (m, k) in [(1, 1), (1024, 1024), (4096, 333)] { #expect(p.evaluated([m, k]) == f(m, k)) }
  }

  @Test func fitsRationalCoefficientsAndChecksDivision() throws {
    let p = try #require(SizePolynomial.interpolating(nodes: [[4, 5, 7]], values: [10, 15, 28]))  // t(t+1)/2
    #expect(p.denominator == 2)
    #expect(p.evaluated([10]) == 55)
    #expect(p.evaluated([1]) == 1)
    let half = try #require(SizePolynomial.interpolating(nodes: [[2, 4, 6]], values: [1, 2, 3]))  // t/2
    #expect(half.evaluated([3]) == nil)  // 3/2 is no integer: never a silently truncated value
  }

  /// `n/8*8` (a loop tail's start) fits the three grid samples but not the held-out ones.
  @Test func rejectsFloorLikeLiterals() {
    #expect(throws: CTemplate.Failure.self) {
      try CTemplate.build(names: ["t"], base: ["t": 37]) { s in "int n = \(s["t"]! / 8 * 8);\n" }
    }
  }

  @Test func rejectsStructuralDifferences() {
    do {
      _ = try CTemplate.build(names: ["t"], base: ["t": 20]) { s in
        s["t"]! < 23 ? "a(\(s["t"]!));\n" : "b(\(s["t"]!));\n"
      }
      Issue.record("a template was built across a structural change")
    } catch {
      guard case .structure = error else {
        Issue.record("unexpected failure \(error)")
        return
      }
    }
  }

  @Test func templateInstantiatesExactly() throws {
    let emit = { (s: [String: Int]) -> String in
      let (b, t) = (s["b"]!, s["t"]!)
      return "/* b=\(b) */ for (long i = 0; i < \(b * t * 384); ++i) x[i] = y[i] / \(t).0 + \(t * t)L;\n"
    }
    let template = try CTemplate.build(names: ["b", "t"], base: ["b": 2, "t": 9], emit: emit)
    #expect(template.holes.count == 3)
    for (b, t) in [(1, 5), (3, 37), (7, 128)] {
      #expect(template.mismatch(with: emit(["b": b, "t": t]), at: ["b": b, "t": t]) == nil)
    }
    #expect(template.mismatch(with: emit(["b": 3, "t": 5]), at: ["b": 3, "t": 6]) != nil)
    let source = template.source(entrySymbol: "circuit_entry_main")
    #expect(source.contains("((double)((int64_t)(1)*cc_size_[1])) + ((int64_t)(1)*cc_size_[1]*cc_size_[1])"))
    #expect(source.contains("int circuit_sized_entry(const int64_t* sizes"))
    let read = try #require(CTemplate(serialized: template.serialized))
    #expect(read.source(entrySymbol: "circuit_entry_main") == source)
    #expect(read.mismatch(with: emit(["b": 5, "t": 11]), at: ["b": 5, "t": 11]) == nil)
    #expect(CTemplate(serialized: String(template.serialized.dropLast(5))) == nil)
    #expect(CTemplate.skeleton(emit(["b": 1, "t": 2])) == CTemplate.skeleton(emit(["b": 4, "t": 9])))
  }

  /// Runs `circuit run FILE --backend c` with `arguments`; the exit code and standard error.
  static func run(_ file: String, _ arguments: [String]) -> CircuitInvocation {
    CircuitInvocation.run(["run", PackagePaths.path(file), "--backend", "c", "--verbose", "--check"] + arguments)
  }

  /// The MLP run at batch 3, 8, 5 and 1: batch 3 compiles specialised code when the program
  /// is new to the cache (its first shape) or runs the cached template; batch 8 runs the
  /// runtime-sized library (building the template if needed); batch 5 loads both template and
  /// library from the cache (no `cc`); batch 1, where the plan takes the matrix-vector path
  /// (chosen in C: `ContractionRegimes`), runs the same cached template. Every run equals the
  /// interpreter (`--check`) and is bit-equal to the specialised library.
  @Test func mlpRunsAtOtherBatchSizesFromOneLibrary() throws {
    let dir = NSTemporaryDirectory() + "circuit-runtime-sizes-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for b in [3, 8, 5, 1] {
      let sized = RuntimeSizesTests.run("examples/mlp.circuit", ["--size", "b=\(b)", "--out", "\(dir)/sized\(b)"])
      #expect(sized.code == 0, "\(sized.stderr)")
      let e = sized.stderr
      switch b {
      case 3:
        #expect(e.contains("C backend: specialised code (the first shape of this program") || e.contains("C backend: runtime-sized library (b=3)"), "\(e)")
      case 8: #expect(e.contains("C backend: runtime-sized library (b=8)"), "\(e)")
      case 5: #expect(e.contains("runtime-sized library (b=5), template cached, library cached"), "\(e)")
      default: #expect(e.contains("C backend: runtime-sized library (b=1), template cached"), "\(e)")
      }
      let plain = RuntimeSizesTests.run(
        "examples/mlp.circuit", ["--size", "b=\(b)", "--runtime-sizes", "off", "--out", "\(dir)/plain\(b)"])
      #expect(plain.stderr.contains("specialised code (--runtime-sizes off)"), "\(plain.stderr)")
      let name = try #require(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/plain\(b)").first)
      let a = FileManager.default.contents(atPath: "\(dir)/sized\(b)/\(name)")
      #expect(a != nil && a == FileManager.default.contents(atPath: "\(dir)/plain\(b)/\(name)"))
    }
  }

  /// One matrix product `[m 8] · [8 16]` at m = 40 (128·m multiply-adds: the packed GEMM),
  /// m = 10 (below `gemmThreshold`: loops) and m = 1 (loops) from one template: the kind is
  /// chosen in C. Each equals the interpreter and is bit-equal to the specialised library.
  @Test func oneTemplateAcrossTheGEMMThreshold() throws {
    let dir = NSTemporaryDirectory() + "circuit-gemm-regimes-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for m in [40, 10, 1] {
      let sizes = ["--size", "m=\(m)", "--size", "k=8", "--size", "n=16"]
      let sized = RuntimeSizesTests.run("bench/gemm.circuit", sizes + ["--runtime-sizes", "m", "--out", "\(dir)/sized\(m)"])
      #expect(sized.code == 0, "\(sized.stderr)")
      #expect(sized.stderr.contains("runtime-sized library (m=\(m))"), "\(sized.stderr)")
      if m != 40 { #expect(sized.stderr.contains("template cached"), "\(sized.stderr)") }
      let plain = RuntimeSizesTests.run("bench/gemm.circuit", sizes + ["--runtime-sizes", "off", "--out", "\(dir)/plain\(m)"])
      #expect(plain.code == 0, "\(plain.stderr)")
      let name = try #require(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/plain\(m)").first)
      let a = FileManager.default.contents(atPath: "\(dir)/sized\(m)/\(name)")
      #expect(a != nil && a == FileManager.default.contents(atPath: "\(dir)/plain\(m)/\(name)"))
    }
  }

  /// Attention with the two sequence lengths at run time: one library for (37, 30) and
  /// (40, 33), equal to the interpreter.
  @Test func attentionRunsAtOtherSequenceLengths() {
    for (y, x) in [(37, 30), (40, 33)] {
      let r = RuntimeSizesTests.run(
        "examples/attention.circuit", ["--size", "b=3", "--size", "y=\(y)", "--size", "x=\(x)", "--runtime-sizes", "y,x"])
      #expect(r.code == 0, "\(r.stderr)")
      #expect(r.stderr.contains("runtime-sized library (y=\(y), x=\(x))"), "\(r.stderr)")
    }
  }

  /// Batch 1 has the skeleton of every other batch size in the symbolic form (axes of size 1
  /// stay in loops and index expressions, the split axis is chosen in C): the convolution's
  /// template, sampled at batch 2 and above, serves batch 1 and batch 2, equal to the
  /// interpreter. 16 → 16 channels (not the bench's 64 → 64) keep the debug interpreter's
  /// `--check` 16 times cheaper; the generated steps are the same (zero padding, the Winograd
  /// kernel transform and the Winograd input/GEMM/output step).
  @Test func batchOneRunsFromTheTemplate() {
    for b in [1, 2] {
      let r = RuntimeSizesTests.run(
        "bench/conv3x3.circuit", ["--size", "b=\(b)", "--size", "c=16", "--size", "co=16", "--runtime-sizes", "b"])
      #expect(r.code == 0, "\(r.stderr)")
      #expect(r.stderr.contains("runtime-sized library (b=\(b))"), "\(r.stderr)")
    }
  }

  /// A one-layer encoder at t=100 and t=70: the feed-forward steps cross the threading
  /// threshold (2·t·48·32 multiply-adds against 2^18), yet the symbolic programs have one
  /// skeleton (the threshold compared in C), so t=70 runs the template built at t=100, equal
  /// to the interpreter.
  @Test func oneTemplateAcrossThreadingThresholds() {
    let sizes = ["N=1", "m=32", "h=2", "f=48", "npos=160", "b=2"].flatMap { ["--size", $0] }
    for t in [100, 70] {
      let r = RuntimeSizesTests.run("examples/bert.circuit", sizes + ["--size", "t=\(t)", "--runtime-sizes", "b,t"])
      #expect(r.code == 0, "\(r.stderr)")
      #expect(r.stderr.contains("runtime-sized library (b=2, t=\(t))"), "\(r.stderr)")
      if t == 70 { #expect(r.stderr.contains("template cached"), "\(r.stderr)") }
    }
  }

  /// The store keeps a skeleton's first shape: the first and a repeated first shape are new,
  /// another shape is not (and builds the template).
  @Test func theStoreRemembersAProgramsFirstShape() {
    let dir = NSTemporaryDirectory() + "circuit-template-store-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = TemplateStore(directory: dir)
    #expect(!store.recordShape("b=3", skeleton: "s", names: ["b"]))
    #expect(!store.recordShape("b=3", skeleton: "s", names: ["b"]))
    #expect(store.recordShape("b=7", skeleton: "s", names: ["b"]))
    #expect(!store.recordShape("b=7", skeleton: "other", names: ["b"]))
    #expect(!store.recordShape("b=7, t=2", skeleton: "s", names: ["b", "t"]))
  }

  /// A failed template build is remembered per skeleton and names, with its reason.
  @Test func theStoreRemembersAFailedTemplate() {
    let dir = NSTemporaryDirectory() + "circuit-template-failure-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = TemplateStore(directory: dir)
    #expect(store.failure(skeleton: "s", names: ["b"]) == nil)
    store.recordFailure("the program differs in structure", skeleton: "s", names: ["b"])
    #expect(store.failure(skeleton: "s", names: ["b"]) == "the program differs in structure")
    #expect(store.failure(skeleton: "s", names: ["b", "t"]) == nil)
    #expect(store.failure(skeleton: "other", names: ["b"]) == nil)
  }
}
