import CircuitTestSupport
import Foundation
import Testing

/// Inputs that ask for more than the machine has, or for nothing at all: each must end with
/// exit 0 and a correct result, or exit 1 with a located diagnostic or an `Error:` line;
/// never a signal, never exit 70.
@Suite struct ResourceLimitTests {

  /// A fresh temporary directory holding `files` (name to contents).
  static func directory(_ files: [String: [UInt8]]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appending(
      path: "circuit-resource-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, bytes) in files { try Data(bytes).write(to: dir.appending(path: name)) }
    return dir
  }

  /// A `.npy` file of `<f4` with `shape` whose data part is `data` bytes long.
  static func npy(shape: [Int], dataBytes: Int) -> [UInt8] {
    let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
    var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }".utf8)
    header += [UInt8](repeating: 0x20, count: (64 - (10 + header.count + 1) % 64) % 64) + [0x0A]
    let preamble: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
    return preamble + header + [UInt8](repeating: 0, count: dataBytes)
  }

  /// An unused parameter of 2^62 elements: 2^64 bytes.
  static let hugeParameter = Array(
    """
    sizes { a = 2147483648, b = 2147483648, n = 4 }
    circuit main[a, b](x: [n]) -> [n] {
        param W: [a b]
        return x
    }

    """.utf8)

  /// A parameter whose element count (2^66) overflows 64 bits.
  static let overflowingParameter = Array(
    """
    sizes { a = 4194304, b = 4194304, c = 4194304, n = 4 }
    circuit main[a, b, c](x: [n]) -> [n] {
        param W: [a b c]
        return x
    }

    """.utf8)

  /// Doubles its input.
  static let double = Array(
    """
    sizes { n = 4 }
    circuit main(x: [n]) -> [n] {
        return x * 2
    }

    """.utf8)

  /// Fails unless `run` ended in a controlled way with exit `code`, and on failure said so.
  static func expectControlled(_ run: CircuitInvocation, code: Int32, mentions: String) {
    #expect(run.code == code, "exit code; stderr:\n\(run.stderr)")
    #expect(run.stderr.contains(mentions), "stderr:\n\(run.stderr)")
  }

  @Test(arguments: [["run"], ["run", "--backend", "c"], ["params"]])
  func hugeUnusedParameterIsRefusedWhereItIsDeclared(_ command: [String]) throws {
    let dir = try Self.directory(["big.circuit": Self.hugeParameter])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(command + [dir.appending(path: "big.circuit").path])
    Self.expectControlled(run, code: 1, mentions: "big.circuit:3:5: error:")
    #expect(run.stderr.contains("[tensor-too-large]"))
  }

  @Test(arguments: [["check"], ["params"], ["run"], ["run", "--backend", "c"]])
  func overflowingParameterCountIsRefused(_ command: [String]) throws {
    let dir = try Self.directory(["big.circuit": Self.overflowingParameter])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(command + [dir.appending(path: "big.circuit").path])
    Self.expectControlled(run, code: 1, mentions: "big.circuit:3:14: error: parameter 'W'")
    #expect(!run.stdout.contains("9,223,372,036,854,775,807"), "no saturated total")
  }

  @Test func checkPrintsTheExactTotalOfALargeParameter() throws {
    let dir = try Self.directory(["big.circuit": Self.hugeParameter])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(["check", dir.appending(path: "big.circuit").path])
    #expect(run.code == 0)
    #expect(run.stdout.contains("4,611,686,018,427,387,904 values"))
  }

  @Test(arguments: [["--backend", "interp"], ["--backend", "c"]])
  func inputOf2To31ElementsIsCheckedAgainstTheBudget(_ backend: [String]) throws {
    let dir = try Self.directory(["double.circuit": Self.double])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(
      ["run", dir.appending(path: "double.circuit").path, "--size", "n=2147483648", "--memory-limit", "4G"]
        + backend)
    Self.expectControlled(run, code: 1, mentions: "double.circuit:2:14: error: running this needs")
    #expect(run.stderr.contains("input 'x' f32[n=2147483648] (shape [2147483648], 8589934592 bytes)"))
    #expect(run.stderr.contains("4294967296 bytes of --memory-limit"))
  }

  @Test func tensorOverTheRuntimeLimitIsLocated() throws {
    let dir = try Self.directory(["double.circuit": Self.double])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(["run", dir.appending(path: "double.circuit").path, "--size", "n=4294967296"])
    Self.expectControlled(run, code: 1, mentions: "double.circuit:2:14: error:")
    #expect(run.stderr.contains("[tensor-too-large]"))
  }

  @Test(arguments: [["--input", "x=/dev/zero"], ["--params", "/dev/zero"]])
  func devicesAreNotReadWithoutBound(_ option: [String]) throws {
    let dir = try Self.directory(["double.circuit": Self.double])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(["run", dir.appending(path: "double.circuit").path] + option)
    Self.expectControlled(run, code: 1, mentions: "Error: /dev/zero: unsupported: not a regular file")
  }

  @Test(arguments: [
    (12, "truncated file: shape [4] of '<f4' needs 16 data bytes but the file has 12"),
    (20, "shape [4] of '<f4' needs 16 data bytes but the file has 20"),
  ])
  func npyOfTheWrongLengthIsRefused(_ dataBytes: Int, _ message: String) throws {
    let dir = try Self.directory(["double.circuit": Self.double, "x.npy": Self.npy(shape: [4], dataBytes: dataBytes)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(
      ["run", dir.appending(path: "double.circuit").path, "--input", "x=" + dir.appending(path: "x.npy").path])
    Self.expectControlled(run, code: 1, mentions: message)
  }

  @Test func npyDeclaring2To31ElementsButShortIsRefusedBeforeAllocating() throws {
    let dir = try Self.directory([
      "double.circuit": Self.double, "x.npy": Self.npy(shape: [2_147_483_648], dataBytes: 16),
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(
      ["run", dir.appending(path: "double.circuit").path, "--input", "x=" + dir.appending(path: "x.npy").path])
    Self.expectControlled(run, code: 1, mentions: "needs 8589934592 data bytes but the file has 16")
  }

  @Test func npyOfTheRightLengthRuns() throws {
    let dir = try Self.directory(["double.circuit": Self.double, "x.npy": Self.npy(shape: [4], dataBytes: 16)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(
      ["run", dir.appending(path: "double.circuit").path, "--input", "x=" + dir.appending(path: "x.npy").path])
    #expect(run.code == 0, "stderr:\n\(run.stderr)")
    #expect(run.stdout.contains("first [0, 0, 0, 0]"))
  }

  @Test(arguments: [
    ("return split[a -> k h=0](x)", "axis 'h' has size 0; axis sizes must be positive"),
    ("return split[a -> k=0 h](x)", "axis 'k' has size 0; axis sizes must be positive"),
    ("return split[a -> k=-2 h](x)", "axis 'k' has size -2; axis sizes must be positive"),
    ("return window[a -> k w; size 0](x)", "option 'size' of 'window' cannot be 0"),
    ("return window[a -> k w; size 2, stride 0](x)", "option 'stride' of 'window' cannot be 0"),
  ])
  func zeroSizedPartsAreLocatedErrors(_ body: String, _ message: String) throws {
    let text = "sizes { a = 8 }\ncircuit main(x: [a]) -> [k h] {\n    \(body)\n}\n"
      .replacingOccurrences(of: "-> [k h]", with: body.contains("window") ? "-> [k w]" : "-> [k h]")
    let dir = try Self.directory(["zero.circuit": Array(text.utf8)])
    defer { try? FileManager.default.removeItem(at: dir) }
    for command in ["check", "run", "dump-ir"] {
      let run = CircuitInvocation.run([command, dir.appending(path: "zero.circuit").path])
      Self.expectControlled(run, code: 1, mentions: message)
      #expect(run.stderr.contains("zero.circuit:3:"), "located; stderr:\n\(run.stderr)")
    }
  }

  @Test func paddingZeroIsStillAllowed() throws {
    let text = "sizes { a = 8 }\ncircuit main(x: [a]) -> [k w] {\n    return window[a -> k w; size 3, pad 0](x)\n}\n"
    let dir = try Self.directory(["pad.circuit": Array(text.utf8)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(["run", dir.appending(path: "pad.circuit").path])
    #expect(run.code == 0, "stderr:\n\(run.stderr)")
    #expect(run.stdout.contains("f32[k=6 w=3]"))
  }

  /// A negative default size is refused in `sizes { }`; a 0 (a legitimate padding) is
  /// refused where it becomes an axis's size.
  @Test(arguments: [("sizes { a = 0 }", "zero.circuit:2:14: error: axis 'a' has size 0"), ("sizes { a = -3 }", "zero.circuit:1:")])
  func zeroOrNegativeDefaultSizesAreLocated(_ sizes: String, _ mentions: String) throws {
    let text = "\(sizes)\ncircuit main(x: [a]) -> [a] {\n    return x\n}\n"
    let dir = try Self.directory(["zero.circuit": Array(text.utf8)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(["run", dir.appending(path: "zero.circuit").path])
    Self.expectControlled(run, code: 1, mentions: mentions)
  }

  /// A negative `--size` is a usage error; zero is accepted by the option (paddings and
  /// offsets may be 0) and refused, located, when it is the size of an axis.
  @Test(arguments: [("a=0", "error:"), ("a=-1", "Error:")])
  func zeroSizeOptionIsRefused(_ size: String, _ message: String) throws {
    let dir = try Self.directory(["double.circuit": Self.double])
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = CircuitInvocation.run(["run", dir.appending(path: "double.circuit").path, "--size", size])
    #expect(run.code != 0 && run.code != 70)
    #expect(run.stderr.contains(message), "stderr: \(run.stderr)")
  }

  /// A convolution whose padding is a size parameter checks, runs and renders with `p = 0`.
  @Test func zeroPaddingThroughSizeOption() throws {
    let text = """
      circuit Conv[p](X: [c h w]) -> [d h' w'] {
          param W: [d c kh=3 kw=3]
          return sum[c kh kw](window[h w -> h' w' kh kw; size 3, pad p](X) * W)
      }
      circuit main(X: [c]) -> [c] {
          return X
      }

      """
    let dir = try Self.directory(["conv.circuit": Array(text.utf8)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appending(path: "conv.circuit").path
    let sizes = ["--size", "c=2", "--size", "h=5", "--size", "w=4", "--size", "d=3", "--size", "p=0"]
    let check = CircuitInvocation.run(["check", "--entry", "Conv", path] + sizes)
    #expect(check.code == 0, "stderr: \(check.stderr)")
    let run = CircuitInvocation.run(["run", "--entry", "Conv", path] + sizes)
    #expect(run.code == 0, "stderr: \(run.stderr)")
    #expect(run.stdout.contains("f32[d=3 h'=3 w'=2]"), "stdout: \(run.stdout)")
    let render = CircuitInvocation.run(["render", "--entry", "Conv", path] + sizes)
    #expect(render.code == 0, "stderr: \(render.stderr)")
  }

  /// `sizes { p = 0 }` is accepted as `--size p=0` is (a padding of 0 is legitimate): the
  /// window keeps `h - 2` positions; a 0 that reaches an axis size is still refused, located.
  @Test func zeroPaddingInSizesBlock() throws {
    let text = """
      sizes { c = 2, h = 5, p = 0 }
      circuit main[p](X: [c h]) -> [c h' k] {
          return window[h -> h' k; size 3, pad p](X)
      }

      """
    let dir = try Self.directory(["zero.circuit": Array(text.utf8)])
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appending(path: "zero.circuit").path
    let run = CircuitInvocation.run(["run", path])
    #expect(run.code == 0, "stderr: \(run.stderr)")
    #expect(run.stdout.contains("f32[c=2 h'=3 k=3]"), "stdout: \(run.stdout)")
    let empty = CircuitInvocation.run(["run", path, "--size", "h=0"])
    #expect(empty.code != 0)
    #expect(empty.stderr.contains("zero.circuit:2:17: error: axis 'h' has size 0"), "stderr: \(empty.stderr)")
  }
}
