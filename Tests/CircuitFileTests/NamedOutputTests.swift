import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// Named outputs `-> (hidden: [b t m], embedding: [b m])`: shown by name in `check` and
/// `run`, written as `<name>.npy` by `run --out` (an unnamed output keeps `output_<i>.npy`),
/// and labelled in the diagram.
@Suite struct NamedOutputTests {

  /// A circuit with two named outputs and an unnamed one, in a fresh directory.
  static func program() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-named-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try """
      sizes { b = 2, t = 3, m = 4 }
      circuit main(X: [b t m]) -> (hidden: [b t m], [b], embedding: [b m]) {
          return (X * 2, sum[t m](X), mean[t](X))
      }
      """.write(toFile: dir + "/named.circuit", atomically: true, encoding: .utf8)
    return dir
  }

  /// `run --out` writes `hidden.npy`, `output_1.npy` and `embedding.npy` with the right
  /// values (X = 0, 1, …, 23: hidden is 2X; embedding row 0 is the mean of rows 0, 4, 8 + j).
  @Test(arguments: ["interp", "c"])
  func runWritesNamedFiles(_ backend: String) throws {
    let dir = try Self.program()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try TensorFiles.writeNPY(try Tensor(shape: [2, 3, 4], floats: (0..<24).map(Float.init)), to: dir + "/x.npy")
    let run = CircuitInvocation.run([
      "run", dir + "/named.circuit", "--input", "X=\(dir)/x.npy", "--backend", backend, "--out", dir + "/out",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    #expect(run.stdout.contains("output 0 'hidden': f32[b=2 t=3 m=4]"), "\(run.stdout)")
    let check = CircuitInvocation.run(["run", dir + "/named.circuit", "--check"])
    #expect(check.stdout.contains("check output 0 'hidden': max abs diff"), "\(check.stdout)")
    #expect(check.stdout.contains("check output 1: max abs diff"), "\(check.stdout)")
    #expect(run.stdout.contains("output 1: f32[b=2]"), "\(run.stdout)")
    #expect(run.stdout.contains("output 2 'embedding': f32[b=2 m=4]"), "\(run.stdout)")
    let hidden = try TensorFiles.readNPY(at: dir + "/out/hidden.npy").tensor.floats ?? []
    #expect(hidden == (0..<24).map { Float(2 * $0) })
    let total = try TensorFiles.readNPY(at: dir + "/out/output_1.npy").tensor.floats ?? []
    #expect(total == [66, 210])
    let embedding = try TensorFiles.readNPY(at: dir + "/out/embedding.npy").tensor.floats ?? []
    #expect(embedding == [4, 5, 6, 7, 16, 17, 18, 19])
  }

  /// `check` prints the names in the signature; the diagram labels the outputs by name.
  @Test func checkAndDiagramShowNames() throws {
    let dir = try Self.program()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let check = CircuitInvocation.run(["check", dir + "/named.circuit"])
    #expect(check.stdout.contains("-> (hidden: [b t m], [b], embedding: [b m])"), "\(check.stdout)")
    let render = CircuitInvocation.run(["render", dir + "/named.circuit", "-o", dir + "/d.svg"])
    #expect(render.code == 0, "\(render.stderr)")
    let svg = try String(contentsOfFile: dir + "/d.svg", encoding: .utf8)
    #expect(svg.contains(">hidden<") && svg.contains(">embedding<") && svg.contains("Ŷ1"))
  }
}
