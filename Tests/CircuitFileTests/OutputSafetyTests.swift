import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// No output loses data: every file is written whole or not at all (a temporary file renamed
/// into place), never through a symbolic link, never over a file the command reads, and a
/// missing output directory is an I/O error, not a compiler failure.
@Suite struct OutputSafetyTests {

  /// A fresh directory holding a copy of `examples/attention.circuit` as `a.circuit`.
  static func workspace() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-out-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: PackagePaths.path("examples/attention.circuit"), toPath: dir + "/a.circuit")
    return dir
  }

  /// The names in `dir`, sorted (temporary files start with a dot and must not remain).
  static func listing(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
  }

  @Test(arguments: [
    ["render", "a.circuit", "-o", "a.circuit"],
    ["emit-c", "a.circuit", "-o", "a.circuit"],
    ["build", "a.circuit", "-o", "a.circuit"],
    ["run", "a.circuit", "--save-params", "a.circuit"],
    ["run", "a.circuit", "--input", "Q=q.npy", "--save-params", "q.npy"],
  ])
  func anInputIsNeverOverwritten(_ arguments: [String]) throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try TensorFiles.writeNPY(try Tensor(shape: [2, 20, 16], floats: Array(repeating: 0.5, count: 640)), to: dir + "/q.npy")
    let source = try String(contentsOfFile: dir + "/a.circuit", encoding: .utf8)
    let q = try Data(contentsOf: URL(filePath: dir + "/q.npy"))
    let run = CircuitInvocation.run(arguments.map {
      $0.hasPrefix("Q=") ? "Q=" + dir + "/q.npy" : $0.contains(".") ? dir + "/" + $0 : $0
    })
    #expect(run.code == 64, "\(run.stderr)")
    #expect(run.stderr.contains("which this command reads"), "\(run.stderr)")
    #expect(try String(contentsOfFile: dir + "/a.circuit", encoding: .utf8) == source)
    #expect(try Data(contentsOf: URL(filePath: dir + "/q.npy")) == q)
    #expect(Self.listing(dir) == ["a.circuit", "q.npy"])
  }

  @Test(arguments: [
    ["render", "a.circuit", "-o"], ["emit-c", "a.circuit", "-o"], ["run", "a.circuit", "--save-params"],
  ])
  func aSymbolicLinkIsNotFollowed(_ arguments: [String]) throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "precious\n".write(toFile: dir + "/target.txt", atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/target.txt")
    let run = CircuitInvocation.run([arguments[0], dir + "/a.circuit", arguments[2], dir + "/link"])
    #expect(run.code == 74, "\(run.stderr)")
    #expect(run.stderr.contains("is a symbolic link"), "\(run.stderr)")
    #expect(try String(contentsOfFile: dir + "/target.txt", encoding: .utf8) == "precious\n")
    #expect(Self.listing(dir) == ["a.circuit", "link", "target.txt"])
  }

  /// `--out` into a directory whose `output_0.npy` is a link: refused before running.
  @Test func outputDirectoryEntriesAreChecked() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: false)
    try FileManager.default.createSymbolicLink(atPath: dir + "/out/output_0.npy", withDestinationPath: dir + "/a.circuit")
    let run = CircuitInvocation.run(["run", dir + "/a.circuit", "--out", dir + "/out"])
    #expect(run.code == 74, "\(run.stderr)")
    #expect(run.stdout.isEmpty, "nothing runs before the outputs are known to be writable")
  }

  @Test(arguments: ["render", "emit-c", "build"])
  func aMissingDirectoryIsAnIOError(_ command: String) throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let run = CircuitInvocation.run([command, dir + "/a.circuit", "-o", dir + "/nodir/x"])
    #expect(run.code == 74, "\(run.stderr)")
    #expect(run.stderr.contains("the directory '\(dir)/nodir' does not exist"), "\(run.stderr)")
  }

  /// Rewriting an existing output replaces it whole and leaves no temporary file.
  @Test func rewritingReplacesTheFileWhole() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try String(repeating: "old contents\n", count: 100_000).write(toFile: dir + "/p.safetensors", atomically: false, encoding: .utf8)
    let run = CircuitInvocation.run(["run", dir + "/a.circuit", "--save-params", dir + "/p.safetensors", "--out", dir + "/out"])
    #expect(run.code == 0, "\(run.stderr)")
    let saved = try TensorFiles.readSafeTensors(at: dir + "/p.safetensors")
    #expect(saved.tensors.isEmpty)  // attention has no parameters: a valid, empty file
    #expect(Self.listing(dir) == ["a.circuit", "out", "p.safetensors"])
    #expect(Self.listing(dir + "/out") == ["output_0.npy"])
  }

  @Test func atomicWriteRefusesNonRegularFiles() throws {
    #expect(throws: TensorFileError.self) { try AtomicFile.write([1, 2, 3], to: "/dev/null") }
    #expect(throws: TensorFileError.self) { try AtomicFile.write([1, 2, 3], to: FileManager.default.temporaryDirectory.path) }
  }
}
