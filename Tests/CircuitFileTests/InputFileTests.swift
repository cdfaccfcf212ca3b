import CircuitInterpreter
import CircuitTestSupport
import Foundation
import Testing
@testable import TensorRuntime

/// What the command line reads besides sources: parameter maps (any line ending, any number
/// of wildcards in linear time), `.npz` archives for inputs and parameters (bounded when
/// decompressed), `--size` names, and bytes from files echoed safely.
@Suite struct InputFileTests {

  /// A fresh temporary directory.
  static func directory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-in-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func mapsWithCRLFLinesParseAsLF() throws {
    let lf = "# a comment\nlayer.*.Wq <- encoder.*.query [(h k) m]\n\nWo <- out\n"
    let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
    let a = try CheckpointMap(parsing: lf, fileName: "m.map")
    let b = try CheckpointMap(parsing: crlf, fileName: "m.map")
    #expect(b.rules.count == 2)
    #expect(b.source(of: "layer.3.Wq").tensor == a.source(of: "layer.3.Wq").tensor)
    #expect(b.source(of: "layer.3.Wq").layout == [["h", "k"], ["m"]])
    do {
      _ = try CheckpointMap(parsing: "Wo <- out\r\n\r\nWq q\r\n", fileName: "m.map")
      Issue.record("a malformed CRLF map was accepted")
    } catch {
      #expect(error.description == "m.map:3: expected 'parameter <- tensor [layout]'")
    }
  }

  /// Forty stars against a name that almost matches: exponential backtracking would not end.
  @Test func manyWildcardsMatchInPolynomialTime() throws {
    let stars = String(repeating: "*a", count: 40)
    let map = try CheckpointMap(parsing: "\(stars)X <- t\(stars)\n", fileName: "m.map")
    let name = String(repeating: "a", count: 200) + "Y"
    #expect(map.source(of: name).tensor == name)
    let matching = String(repeating: "ba", count: 40) + "X"
    #expect(map.source(of: matching).tensor == "t" + String(repeating: "ba", count: 40))
  }

  /// Inputs and parameters from `.npz` archives (stored and compressed) give the same outputs
  /// as `.npy` and safetensors files.
  @Test func npzArchivesFeedInputsAndParameters() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = PackagePaths.path("examples/mlp.circuit")
    let reference = CircuitInvocation.run(["run", file, "--save-params", dir + "/p.safetensors", "--out", dir + "/ref"])
    #expect(reference.code == 0, "\(reference.stderr)")
    let params = try TensorFiles.readSafeTensors(at: dir + "/p.safetensors").tensors
    var archive = NPZWriter()
    for (name, t) in params { archive.add(name, NPY.write(t)) }
    try TensorFiles.writeBytes(archive.bytes(), to: dir + "/p.npz")
    let viaNPZ = CircuitInvocation.run(["run", file, "--params", dir + "/p.npz", "--out", dir + "/npz"])
    #expect(viaNPZ.code == 0, "\(viaNPZ.stderr)")
    #expect(viaNPZ.stdout == reference.stdout)
    #expect(
      try TensorFiles.readNPY(at: dir + "/npz/output_0.npy").tensor
        == TensorFiles.readNPY(at: dir + "/ref/output_0.npy").tensor)
  }

  @Test func npzInputsByNameOrWhole() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = PackagePaths.path("examples/attention.circuit")
    let q = try Tensor(shape: [2, 20, 16], floats: (0..<640).map { Float($0 % 7) / 7 })
    let k = try Tensor(shape: [2, 22, 16], floats: (0..<704).map { Float($0 % 5) / 5 })
    let v = try Tensor(shape: [2, 22, 16], floats: (0..<704).map { Float($0 % 3) / 3 })
    for (n, t) in [("Q", q), ("K", k), ("V", v)] { try TensorFiles.writeNPY(t, to: "\(dir)/\(n).npy") }
    var archive = NPZWriter()
    for (n, t) in [("Q", q), ("K", k), ("V", v)] { archive.add(n, NPY.write(t)) }
    try TensorFiles.writeBytes(archive.bytes(), to: dir + "/qkv.npz")
    let npy = CircuitInvocation.run(["run", file, "--input", "Q=\(dir)/Q.npy", "--input", "K=\(dir)/K.npy", "--input", "V=\(dir)/V.npy"])
    let whole = CircuitInvocation.run(["run", file, "--input", dir + "/qkv.npz"])
    let named = CircuitInvocation.run(["run", file, "--input", "Q=\(dir)/qkv.npz", "--input", "K=\(dir)/qkv.npz", "--input", "V=\(dir)/V.npy"])
    #expect(npy.code == 0 && whole.code == 0 && named.code == 0, "\(npy.stderr)\(whole.stderr)\(named.stderr)")
    #expect(whole.stdout == npy.stdout)
    #expect(named.stdout == npy.stdout)
    let missing = CircuitInvocation.run(["run", file, "--input", "Z=\(dir)/qkv.npz"])
    #expect(missing.code == 1)
    #expect(missing.stderr.contains("has no array 'Z'; its arrays: Q, K, V"), "\(missing.stderr)")
    let bare = CircuitInvocation.run(["run", file, "--input", dir + "/Q.npy"])
    #expect(bare.code == 64)
    #expect(bare.stderr.contains("name the input it is for"), "\(bare.stderr)")
  }

  /// An archive whose directory declares more bytes than the limit is refused before
  /// anything is decompressed.
  @Test func npzUncompressedSizeIsBounded() throws {
    var archive = NPZWriter()
    archive.add("X", NPY.write(try Tensor(shape: [1000], floats: Array(repeating: 0, count: 1000))))
    let bytes = archive.bytes()
    #expect(throws: TensorFileError.self) { try NPZ.read(bytes, fileName: "x.npz", maximumBytes: 1000) }
    #expect(try NPZ.read(bytes, fileName: "x.npz", maximumBytes: 5000).count == 1)
  }

  @Test func unknownSizeIsAnErrorNamingTheKnownOnes() {
    for command in ["check", "run", "dump-ir"] {
      let run = CircuitInvocation.run([command, PackagePaths.path("examples/attention.circuit"), "--size", "zz=3"])
      #expect(run.code == 1, "\(command): \(run.stderr)")
      #expect(run.stderr.contains("no size named 'zz'"), "\(command): \(run.stderr)")
      #expect(run.stderr.contains("note: its sizes: b, k, x, y"), "\(command): \(run.stderr)")
    }
  }

  /// A dtype holding control bytes is echoed with escapes.
  @Test func controlBytesFromFilesAreEscaped() throws {
    let dir = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let header = #"{"W":{"dtype":"F\u001b[31m","shape":[1],"data_offsets":[0,4]}}"#
    var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init)
    bytes += Array(header.utf8) + [0, 0, 0, 0]
    try TensorFiles.writeBytes(bytes, to: dir + "/p.safetensors")
    let run = CircuitInvocation.run(["run", PackagePaths.path("examples/mlp.circuit"), "--params", dir + "/p.safetensors"])
    #expect(run.code == 1)
    #expect(!run.stderr.contains("\u{1b}"), "\(run.stderr)")
    #expect(run.stderr.contains("\\u{1b}"), "\(run.stderr)")
  }
}

/// A minimal writer of stored (uncompressed) ZIP archives, enough to make `.npz` files.
struct NPZWriter {

  /// The members: name and bytes.
  var members: [(String, [UInt8])] = []

  /// Adds `name.npy`.
  mutating func add(_ name: String, _ npy: [UInt8]) { members.append((name + ".npy", npy)) }

  /// The archive.
  func bytes() -> [UInt8] {
    func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> (8 * UInt32($0)) & 0xFF) } }
    var out: [UInt8] = []
    var central: [UInt8] = []
    for (name, data) in members {
      let offset = UInt32(out.count)
      let crc = CRC32.checksum(data)
      let n = Array(name.utf8)
      let common = u16(20) + u16(0) + u16(0) + u16(0) + u16(0) + u32(crc) + u32(UInt32(data.count))
        + u32(UInt32(data.count)) + u16(n.count) + u16(0)
      out += u32(0x0403_4B50) + common + n + data
      central += u32(0x0201_4B50) + u16(20) + common + u16(0) + u16(0) + u16(0) + u32(0) + u32(offset) + n
    }
    let start = UInt32(out.count)
    out += central
    out += u32(0x0605_4B50) + u16(0) + u16(0) + u16(members.count) + u16(members.count)
      + u32(UInt32(central.count)) + u32(start) + u16(0)
    return out
  }
}
