import CircuitCodeGenC
import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// Both safetensors readers (`SafeTensors.read` behind `circuit run --params`, and the C reader
/// of a `circuit build` executable) follow one set of rules (`TensorRuntime/Files/README.md`):
/// on one corpus, each malformed file is refused by both with one line and exit 1, and each
/// valid file gives both the same outputs. The C reader is also run under AddressSanitizer and
/// UndefinedBehaviorSanitizer on the whole corpus.
@Suite struct StandaloneReaderTests {

  /// The circuit: one linear layer with bias, parameters `fc.weight` [2 3] and `fc.bias` [2].
  static let program = """
    import nn

    sizes { b = 2, i = 3, o = 2 }

    circuit main(X: [b i]) -> [b o] {
        return fc: LinearBias<i: i, o: o>(X)
    }

    """

  /// A safetensors file of `header` (JSON text or raw bytes) and `data`, with `length` as the
  /// declared header length when given.
  static func file(_ header: [UInt8], _ data: [UInt8], length: UInt64? = nil) -> [UInt8] {
    let n = length ?? UInt64(header.count)
    return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + header + data
  }

  /// `file` of a JSON text.
  static func file(_ header: String, _ data: [UInt8], length: UInt64? = nil) -> [UInt8] {
    file(Array(header.utf8), data, length: length)
  }

  /// Little-endian bytes of `values` as F32.
  static func f32(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

  /// An entry `"name":{…}`.
  static func entry(_ name: String, _ dtype: String, _ shape: String, _ begin: Int, _ end: Int) -> String {
    "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(end)]}"
  }

  /// The corpus: name → (bytes, valid).
  static func corpus(weights w: [Float], bias b: [Float]) -> [(name: String, bytes: [UInt8], valid: Bool)] {
    let data = f32(w) + f32(b)
    let W = entry("fc.weight", "F32", "2,3", 0, 24)
    let B = entry("fc.bias", "F32", "2", 24, 32)
    let half = w.flatMap { withUnsafeBytes(of: Float16($0).bitPattern.littleEndian, Array.init) }
    let wide = b.flatMap { withUnsafeBytes(of: Double($0).bitPattern.littleEndian, Array.init) }
    var nan = w
    nan[4] = .nan
    var cases: [(String, [UInt8], Bool)] = [
      ("valid", file("{\(W),\(B)}", data), true),
      ("valid-metadata-extra-padded",
       file("{\"__metadata__\":{\"format\":\"pt\"},\(entry("fc.bias", "F32", "2", 24, 32)),\(entry("zz", "I32", "1", 32, 36)),\(W)}   ", data + [1, 0, 0, 0]), true),
      ("valid-widened-f16-f64",
       file("{\(entry("fc.weight", "F16", "2,3", 0, 12)),\(entry("fc.bias", "F64", "2", 12, 28))}", half + wide), true),
      ("valid-escaped-name", file("{\"fc\\u002eweight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\(B)}", data), true),
      ("overlap", file("{\(W),\(entry("fc.bias", "F32", "2", 16, 24))}", Array(data.prefix(24))), false),
      ("gap", file("{\(W),\(entry("fc.bias", "F32", "2", 28, 36))}", data + [0, 0, 0, 0]), false),
      ("trailing-bytes", file("{\(W),\(B)}", data + [0, 0, 0, 0]), false),
      ("out-of-bounds", file("{\(W),\(B)}", Array(data.prefix(28))), false),
      ("begin-after-end", file("{\(W),\(entry("fc.bias", "F32", "2", 32, 24))}", data), false),
      ("three-offsets", file("{\(W),\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32,32]}}", data), false),
      ("fractional-offset", file("{\(W),\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,3.2e1]}}", data), false),
      ("nul-in-dtype", file("{\(W),\(entry("fc.bias", "F32\\u0000", "2", 24, 32))}", data), false),
      ("unknown-dtype", file("{\(W),\(entry("fc.bias", "F8", "2", 24, 32))}", data), false),
      ("wrong-dtype-size", file("{\(entry("fc.weight", "F16", "2,3", 0, 24)),\(B)}", data), false),
      ("integer-parameter", file("{\(W),\(entry("fc.bias", "I32", "2", 24, 32))}", data), false),
      ("negative-shape", file("{\(entry("fc.weight", "F32", "-1,2", 0, 24)),\(B)}", data), false),
      ("overflowing-shape", file("{\(W),\(B),\(entry("big", "U8", "4294967296,4294967296,4", 32, 32))}", data), false),
      ("huge-shape", file("{\(W),\(B),\(entry("big", "F32", "4611686018427387904", 32, 32))}", data), false),
      ("duplicate-name", file("{\(W),\(B),\(entry("fc.bias", "F32", "2", 32, 40))}", data + f32(b)), false),
      ("duplicate-field", file("{\(W),\"fc.bias\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}", data), false),
      ("unexpected-field", file("{\(W),\"fc.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32],\"x\":1}}", data), false),
      ("metadata-not-string", file("{\"__metadata__\":{\"n\":1},\(W),\(B)}", data), false),
      ("invalid-utf8-name", file(Array("{\(W),\(B),\"".utf8) + [0xff] + Array("\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[32,32]}}".utf8), data), false),
      ("overlong-utf8-name", file(Array("{\(W),\(B),\"".utf8) + [0xc0, 0xae] + Array("\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[32,32]}}".utf8), data), false),
      ("lone-surrogate-name", file("{\(W),\(B),\(entry("\\ud800", "U8", "0", 32, 32))}", data), false),
      ("control-character-name", file("{\(W),\(B),\(entry("a\nb", "U8", "0", 32, 32))}", data), false),
      ("trailing-json", file("{\(W),\(B)}x", data), false),
      ("not-an-object", file("[\(W)]", data), false),
      ("huge-header-length", file("{\(W),\(B)}", data, length: 1 << 63), false),
      ("header-past-end", file("{\(W),\(B)}", data, length: 100_000), false),
      ("shorter-than-8-bytes", [1, 0, 0], false),
      ("missing-parameter", file("{\(W)}", Array(data.prefix(24))), false),
      ("nan-parameter", file("{\(W),\(B)}", f32(nan) + f32(b)), false),
    ]
    cases.sort { $0.0 < $1.0 }
    return cases.map { (name: $0.0, bytes: $0.1, valid: $0.2) }
  }

  /// The outputs of a run in `dir` (`output_<k>.npy`), as doubles.
  static func outputs(_ dir: String) throws -> [[Double]] {
    var k = 0
    var all: [[Double]] = []
    while FileManager.default.fileExists(atPath: "\(dir)/output_\(k).npy") {
      all.append(BuildTests.values(try TensorFiles.readNPY(at: "\(dir)/output_\(k).npy").tensor))
      k += 1
    }
    return all
  }

  @Test func bothReadersAgreeOnTheCorpus() throws {
    let dir = BuildTests.scratch("reader-corpus")
    let source = dir + "/linear.circuit"
    try StandaloneReaderTests.program.write(toFile: source, atomically: true, encoding: .utf8)
    let exe = dir + "/model"
    let build = CircuitInvocation.run(["build", source, "-o", exe])
    try #require(build.code == 0, "\(build.stderr)")
    let x = try BuildTests.floats([2, 3])
    try TensorFiles.writeNPY(x, to: dir + "/x.npy")
    let saved = CircuitInvocation.run(["run", source, "--input", "X=\(dir)/x.npy", "--save-params", dir + "/p.safetensors"])
    try #require(saved.code == 0, "\(saved.stderr)")
    let p = try TensorFiles.readSafeTensors(at: dir + "/p.safetensors")
    let w = try #require(p.tensor(named: "fc.weight")?.floats)
    let b = try #require(p.tensor(named: "fc.bias")?.floats)
    // Exactly representable in F16, so the widened case has the same values.
    let corpus = StandaloneReaderTests.corpus(weights: w.map { Float(Float16($0)) }, bias: b)
    for c in corpus {
      let path = "\(dir)/\(c.name).safetensors"
      try TensorFiles.writeBytes(c.bytes, to: path)
      let run = CircuitInvocation.run(["run", source, "--params", path, "--input", "X=\(dir)/x.npy", "--out", "\(dir)/run-\(c.name)"])
      let native = try BuildTests.execute(exe, ["--params", path, "--input", "X=\(dir)/x.npy", "--out", "\(dir)/exe-\(c.name)"])
      if c.valid {
        #expect(run.code == 0, "\(c.name): run exit \(run.code): \(run.stderr)")
        #expect(native.code == 0, "\(c.name): executable exit \(native.code): \(native.stderr)")
        let r = try StandaloneReaderTests.outputs("\(dir)/run-\(c.name)")
        let e = try StandaloneReaderTests.outputs("\(dir)/exe-\(c.name)")
        #expect(r.count == 1 && r.count == e.count, "\(c.name)")
        for (u, v) in zip(r, e) {
          let diff = zip(u, v).map { abs($0 - $1) }.max() ?? 0
          #expect(u.count == v.count && diff <= 1e-5 * max(1, u.map(abs).max() ?? 0), "\(c.name): differ by \(diff)")
        }
      } else {
        #expect(run.code == 1 && run.stderr.hasPrefix("Error: ") && run.stderr.split(separator: "\n").count <= 2,
          "\(c.name): run exit \(run.code): \(run.stderr)")
        #expect(native.code == 1 && native.stderr.hasPrefix("error: ") && native.stderr.split(separator: "\n").count == 1,
          "\(c.name): executable exit \(native.code): \(native.stderr)")
      }
    }
    try StandaloneReaderTests.sanitized(build.stderr, corpus: corpus, dir: dir)
  }

  /// Compiles the executable's kept source with `-fsanitize=address,undefined` and runs the
  /// corpus again: the same verdicts, and no sanitizer report.
  static func sanitized(_ buildLog: String, corpus: [(name: String, bytes: [UInt8], valid: Bool)], dir: String) throws {
    guard let range = buildLog.range(of: "C source ") else { return }
    let kept = String(buildLog[range.upperBound...].prefix { !$0.isWhitespace })
    let exe = dir + "/model-sanitized"
    let cc = Process()
    cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let path = kept.hasPrefix("/") ? kept : PackagePaths.path(kept)
    let runtime = dir + "/runtime.c"
    try CRuntime.source.write(toFile: runtime, atomically: true, encoding: .utf8)
    cc.arguments = [
      "cc", "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-o", exe, path, runtime, "-lm",
      "-lpthread",
    ]
    try cc.run()
    cc.waitUntilExit()
    try #require(cc.terminationStatus == 0, "cannot compile \(kept) with sanitizers")
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1)
    for c in corpus {
      let r = try BuildTests.execute(exe, ["--params", "\(dir)/\(c.name).safetensors", "--input", "X=\(dir)/x.npy", "--out", "\(dir)/asan-\(c.name)"])
      #expect(r.code == (c.valid ? 0 : 1), "\(c.name) under sanitizers: exit \(r.code): \(r.stderr)")
      #expect(!r.stderr.contains("runtime error") && !r.stderr.contains("Sanitizer"), "\(c.name): \(r.stderr)")
    }
  }
}
