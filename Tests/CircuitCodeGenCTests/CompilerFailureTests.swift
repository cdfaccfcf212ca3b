import CircuitNative
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Compiling fails cleanly: a missing compiler or bad flags give `NativeError`s carrying the
/// compiler's stderr and the kept source; a second compile of the same source is cached.
@Suite struct CompilerFailureTests {

  /// A fresh cache directory for one test.
  static func cacheDirectory(_ name: String) -> String {
    "/tmp/circuit-codegen-tests-\(getpid())-\(name)"
  }

  /// A tiny valid library.
  static let source = "int circuit_probe(void) { return 42; }\n"

  @Test func missingCompiler() {
    let cc = CCompiler(.init(compiler: "/nonexistent/cc", cacheDirectory: CompilerFailureTests.cacheDirectory("missing")))
    #expect {
      _ = try cc.compile(CompilerFailureTests.source)
    } throws: { error in
      guard case .compilerNotFound(let compiler, let kept) = error as? NativeError else { return false }
      return compiler == "/nonexistent/cc" && kept.hasSuffix(".c") && "\(error)".contains("kept at")
    }
  }

  @Test func badFlags() {
    let cc = CCompiler(
      .init(compiler: "cc", flags: ["-fno-such-flag-for-circuit"], cacheDirectory: CompilerFailureTests.cacheDirectory("flags")))
    #expect {
      _ = try cc.compile(CompilerFailureTests.source)
    } throws: { error in
      guard case .compilerFailed(_, let status, let stderr, let kept) = error as? NativeError else { return false }
      return status != 0 && stderr.contains("no-such-flag-for-circuit") && kept.hasSuffix(".c")
    }
  }

  @Test func syntaxErrorKeepsSource() {
    let cc = CCompiler(.init(compiler: "cc", flags: ["-O0"], cacheDirectory: CompilerFailureTests.cacheDirectory("syntax")))
    #expect {
      _ = try cc.compile("int broken( {\n")
    } throws: { error in
      guard case .compilerFailed(_, _, let stderr, let kept) = error as? NativeError else { return false }
      return stderr.contains("error") && access(kept, F_OK) == 0
    }
  }

  @Test func secondCompileIsCached() throws {
    let cc = CCompiler(.init(compiler: "cc", flags: ["-O0"], cacheDirectory: CompilerFailureTests.cacheDirectory("cache")))
    let unique = CompilerFailureTests.source + "/* \(getpid()) */\n"
    let first = try cc.compile(unique)
    let second = try cc.compile(unique)
    #expect(!first.cached)
    #expect(second.cached)
    #expect(first.libraryPath == second.libraryPath)
  }
}
