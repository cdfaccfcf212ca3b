import CircuitTestSupport
import Foundation
import Testing

/// Every valid axis or circuit name reaches the C backend mangled into a namespace of its own
/// (`ax_…`, `circuit_entry_…`): names that are C keywords, libc or POSIX macros, predefined
/// macros or the emitter's own names run through `circuit run --backend c` and `circuit build`
/// and match the interpreter.
@Suite struct IdentifierTests {

  /// Names that broke the C backend before it mangled them, and more of their kinds.
  static let problemNames = [
    "NULL", "_Bool", "asm", "typeof", "linux", "unix", "i386", "RAND_MAX", "M_E", "M_PI", "SIZE_MAX",
    "EOF", "errno", "stdin", "stdout", "stderr", "FLT_MAX", "INT_MAX", "CHAR_BIT", "BUFSIZ",
    "EXIT_SUCCESS", "NAN", "INFINITY", "HUGE_VAL", "EDOM", "SIG_ERR", "FILE", "assert", "offsetof",
    "__func__", "__LINE__", "__FILE__", "__STDC__", "__x86_64__", "__attribute__", "__asm__",
    "__restrict", "__inline", "static_assert", "alignof", "noreturn", "complex", "I", "bool", "true",
    "false", "main", "ctx", "inputs", "params", "outputs", "int64_t", "uint8_t", "size_t",
    "pthread_t", "sqrt", "exp", "expf", "memcpy", "i", "p", "r", "t", "lo_", "hi_", "part_", "acc_",
    "cc_ctx_", "sa_die_", "CC_THREADS_",
  ]

  /// Every C11 keyword except `for` and `return`, which are keywords of `.circuit` too.
  static let keywords = [
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
    "extern", "float", "goto", "if", "inline", "int", "long", "register", "restrict", "short",
    "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
    "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Complex", "_Generic", "_Imaginary",
    "_Noreturn", "_Static_assert", "_Thread_local",
  ]

  /// Generated kinds: all capitals, leading and doubled underscores, the mangling's own prefixes.
  static let generated = [
    "ABC", "X_Y_Z", "_x", "_X", "__x", "x__", "b_", "b__1", "ax_b", "ax_", "circuit_entry_x",
  ]

  /// The names, four axes per circuit; each circuit is named after a problem name in turn.
  static let batches: [[String]] = {
    let all = problemNames + keywords + generated
    return stride(from: 0, to: all.count, by: 4).map { Array(all[$0..<min($0 + 4, all.count)]) }
  }()

  /// Circuit names that collide with the program's fixed symbols or C names.
  static let circuitNames = ["prepare", "release", "profile", "main", "int", "NULL", "errno", "entry_x"]

  /// A circuit over the axes `names` (sizes 2, 3, 4, 5): a ReLU, a linear layer with bias and
  /// a softmax, so that loops, GEMM indices and row kernels all name the axes.
  static func program(_ names: [String], circuit: String) -> String {
    var n = names
    while n.count < 4 { n.append("pad\(n.count)") }
    return """
      import nn

      sizes { \(n[0]) = 2, \(n[1]) = 3, \(n[2]) = 4, \(n[3]) = 5 }

      circuit \(circuit)(X: [\(n[0]) \(n[1]) \(n[2])]) -> [\(n[0]) \(n[1]) \(n[3])] {
          Y = fc: LinearBias<i: \(n[2]), o: \(n[3])>(relu(X))
          return softmax[\(n[3])](Y)
      }

      """
  }

  /// Writes batch `k`'s program for the test `tag` and returns its path: a directory named by
  /// the text's hash and no process id, so the generated C (which quotes the source path) is
  /// the same in every run and the compile cache serves `run` without `cc` after the first.
  static func file(_ k: Int, _ tag: String) throws -> String {
    let text = program(batches[k], circuit: circuitNames[k % circuitNames.count])
    let hash = text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    let dir = NSTemporaryDirectory() + "circuit-identifier-sources/\(tag)-\(k)-\(String(hash, radix: 16))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = "\(dir)/batch\(k).circuit"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test(arguments: batches.indices)
  func runMatchesInterpreter(_ k: Int) throws {
    let r = CircuitInvocation.run(["run", "--check", try IdentifierTests.file(k, "run")])
    #expect(r.code == 0, "\(IdentifierTests.batches[k]): exit \(r.code)\n\(r.stderr)\n\(r.stdout)")
  }

  /// The batches built as standalone executables: one per circuit name (the names that
  /// collide with `main`'s own symbols), and the last (the mangling's own prefixes). Axis names
  /// reach the same generated functions as in `run`, which checks every batch.
  static let builtBatches = Array(batches.indices.prefix(circuitNames.count)) + [batches.count - 1]

  @Test(arguments: builtBatches)
  func buildMatchesRun(_ k: Int) throws {
    let x = try BuildTests.floats([2, 3, 4])
    _ = try BuildTests.roundTrip("identifiers-\(k)", file: try IdentifierTests.file(k, "build"), sizes: [], inputs: [("X", x)])
  }
}
