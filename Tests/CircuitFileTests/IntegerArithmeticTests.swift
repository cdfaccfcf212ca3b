import CircuitTestSupport
import Foundation
import Testing
import TensorRuntime

/// Index arithmetic on i32 (`ids + 1`, `2 * ids - 1`, `-ids`): both backends compute it in
/// i32, wrapping around at the i32 range; it used to pass `check` and fail at run time.
@Suite struct IntegerArithmeticTests {

  /// ids = [0, 3, -5, 2147483647]: sums, products, negation and a gather at `ids + 1`, each
  /// computed here by hand (the last id wraps to -2147483648 under + 1).
  @Test(arguments: ["interp", "c"])
  func integerArithmeticMatchesHandValues(_ backend: String) throws {
    let dir = FileManager.default.temporaryDirectory.appending(path: "circuit-i32-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try """
      sizes { t = 4, s = 2 }
      circuit main(ids: i32[t], near: i32[s], W: [v=5 m=1]) -> (i32[t], i32[t], i32[t], [s m]) {
          return (ids + 1, 2 * ids - ids * 3, -ids, gather[v](W, near + 1))
      }
      """.write(toFile: dir + "/i.circuit", atomically: true, encoding: .utf8)
    try TensorFiles.writeNPY(try Tensor(shape: [4], int32s: [0, 3, -5, Int32.max]), to: dir + "/ids.npy")
    try TensorFiles.writeNPY(try Tensor(shape: [2], int32s: [0, 3]), to: dir + "/near.npy")
    try TensorFiles.writeNPY(try Tensor(shape: [5, 1], floats: [10, 11, 12, 13, 14]), to: dir + "/w.npy")
    let run = CircuitInvocation.run([
      "run", dir + "/i.circuit", "--input", "ids=\(dir)/ids.npy", "--input", "near=\(dir)/near.npy",
      "--input", "W=\(dir)/w.npy", "--backend", backend, "--out", dir + "/out",
    ])
    #expect(run.code == 0, "\(run.stderr)")
    let ints = { (i: Int) throws -> [Int32] in
      try TensorFiles.readNPY(at: "\(dir)/out/output_\(i).npy").tensor.int32s ?? []
    }
    #expect(try ints(0) == [1, 4, -4, Int32.min])
    #expect(try ints(1) == [0, -3, 5, Int32.max &* 2 &- Int32.max &* 3])
    #expect(try ints(2) == [0, -3, 5, -Int32.max])
    #expect(try TensorFiles.readNPY(at: "\(dir)/out/output_3.npy").tensor.floats == [11, 14])
  }
}
