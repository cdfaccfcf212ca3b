import CircuitCodeGenC
import CircuitNative
import CircuitTestSupport
import Foundation
import Synchronization
import Testing

/// A damaged compile cache is never trusted: a truncated library, another entry's library (with
/// or without its checksum) or a missing checksum is rebuilt and renamed into place; a
/// read-only cache still runs; concurrent compiles of one entry all load working code.
@Suite struct CacheIntegrityTests {

  /// A fresh cache directory for one test.
  static func cacheDirectory(_ name: String) -> String {
    let dir = "/tmp/circuit-cache-tests-\(getpid())-\(name)"
    try? FileManager.default.removeItem(atPath: dir)
    return dir
  }

  /// A library whose function `circuit_probe_<tag>` returns `value`.
  static func source(_ tag: String, _ value: Int) -> String {
    "int circuit_probe_\(tag)(void) { return \(value); }\n/* \(getpid()) */\n"
  }

  /// Loads `path` and calls `circuit_probe_<tag>`; nil when it cannot be loaded or lacks it.
  static func call(_ path: String, _ tag: String) -> Int32? {
    guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { return nil }
    defer { dlclose(handle) }
    guard let symbol = dlsym(handle, "circuit_probe_\(tag)") else { return nil }
    typealias Probe = @convention(c) () -> Int32
    return unsafeBitCast(symbol, to: Probe.self)()
  }

  /// The size of the file at `path`.
  static func size(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
  }

  @Test func truncatedLibraryIsRebuilt() throws {
    let cc = CCompiler(.init(flags: ["-O0"], cacheDirectory: CacheIntegrityTests.cacheDirectory("truncated")))
    let source = CacheIntegrityTests.source("t", 42)
    let first = try cc.compile(source)
    let full = CacheIntegrityTests.size(first.libraryPath)
    #expect(truncate(first.libraryPath, 100) == 0)
    let second = try cc.compile(source)
    #expect(!second.cached)
    #expect(second.libraryPath == first.libraryPath)
    #expect(CacheIntegrityTests.size(second.libraryPath) == full)
    #expect(CacheIntegrityTests.call(second.libraryPath, "t") == 42)
    #expect(try cc.compile(source).cached)
  }

  /// The runtime is compiled once per cache (and compiler and flags) and linked into every
  /// library; a truncated runtime object is rebuilt, and the libraries linked with it work.
  @Test func runtimeIsCompiledOnceAndVerified() throws {
    let dir = CacheIntegrityTests.cacheDirectory("runtime")
    let cc = CCompiler(.init(flags: ["-O0"], cacheDirectory: dir))
    _ = try cc.compile(CacheIntegrityTests.source("x", 1))
    let objects = { try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".o") } }
    let first = try objects()
    #expect(first.count == 1 && first[0].hasPrefix("runtime-"), "\(first)")
    let path = dir + "/" + first[0]
    let stamp = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    #expect(CacheIntegrityTests.call(try cc.compile(CacheIntegrityTests.source("y", 2)).libraryPath, "y") == 2)
    #expect(try objects() == first, "one runtime object for both libraries")
    #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == stamp, "not recompiled")
    #expect(truncate(path, 10) == 0)
    #expect(CacheIntegrityTests.call(try cc.compile(CacheIntegrityTests.source("z", 3)).libraryPath, "z") == 3)
    #expect(CacheIntegrityTests.size(path) > 10, "the truncated runtime object was rebuilt")
  }

  /// A library compiled with the step timers' define links the runtime object of the same
  /// flags without it (the runtime never reads the define): no second runtime compile.
  @Test func profiledLibrariesShareTheRuntime() throws {
    let dir = CacheIntegrityTests.cacheDirectory("profiled")
    #expect(!CRuntime.source.contains(CProgram.profilingDefine))
    let plain = CCompiler(.init(flags: ["-O0"], cacheDirectory: dir))
    let profiled = CCompiler(.init(flags: ["-O0", "-D" + CProgram.profilingDefine], cacheDirectory: dir))
    #expect(CacheIntegrityTests.call(try plain.compile(CacheIntegrityTests.source("p", 4)).libraryPath, "p") == 4)
    #expect(CacheIntegrityTests.call(try profiled.compile(CacheIntegrityTests.source("q", 5)).libraryPath, "q") == 5)
    let objects = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".o") }
    #expect(objects.count == 1 && objects[0].hasPrefix("runtime-"), "\(objects)")
  }

  /// An executable is cached like a library: the same program built again is copied from the
  /// verified entry (the `.exe` is not rewritten) and runs; a truncated entry is rebuilt.
  @Test func executableIsCachedAndVerified() throws {
    let dir = CacheIntegrityTests.cacheDirectory("executable")
    let cc = CCompiler(.init(flags: ["-O0"], cacheDirectory: dir))
    let source = "int main(void) { return 42; }\n/* \(getpid()) */\n"
    let entries = { try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".exe") } }
    _ = try cc.buildExecutable(source, to: dir + "/first")
    let cached = try entries()
    try #require(cached.count == 1, "\(cached)")
    let path = dir + "/" + cached[0]
    let stamp = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    _ = try cc.buildExecutable(source, to: dir + "/second")
    #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == stamp, "not recompiled")
    #expect(try BuildTests.execute(dir + "/second", []).code == 42)
    #expect(truncate(path, 10) == 0)
    _ = try cc.buildExecutable(source, to: dir + "/third")
    #expect(CacheIntegrityTests.size(path) > 10, "the truncated executable was rebuilt")
    #expect(try BuildTests.execute(dir + "/third", []).code == 42)
    #expect(try BuildTests.execute(dir + "/first", []).code == 42)
  }

  @Test func anotherEntrysLibraryIsRebuilt() throws {
    let cc = CCompiler(.init(flags: ["-O0"], cacheDirectory: CacheIntegrityTests.cacheDirectory("foreign")))
    let a = try cc.compile(CacheIntegrityTests.source("a", 1))
    let b = try cc.compile(CacheIntegrityTests.source("b", 2))
    let fm = FileManager.default
    for suffix in ["", ".sum"] {
      try fm.removeItem(atPath: a.libraryPath + suffix)
      try fm.copyItem(atPath: b.libraryPath + suffix, toPath: a.libraryPath + suffix)
      let again = try cc.compile(CacheIntegrityTests.source("a", 1))
      #expect(!again.cached, "copied \(suffix.isEmpty ? "library" : "library and checksum")")
      #expect(CacheIntegrityTests.call(again.libraryPath, "a") == 1)
    }
    try fm.removeItem(atPath: a.libraryPath + ".sum")
    #expect(try !cc.compile(CacheIntegrityTests.source("a", 1)).cached, "no checksum")
  }

  /// A cache directory that cannot be created (under /proc) compiles into a private temporary
  /// directory, removed once a `NativeModel` has loaded the library.
  @Test func unwritableCacheCompilesElsewhere() throws {
    let cc = CCompiler(.init(flags: ["-O0"], cacheDirectory: "/proc/circuit-cache-\(getpid())"))
    let artifact = try cc.compile(CacheIntegrityTests.source("r", 7))
    #expect(!artifact.cached)
    #expect(artifact.libraryPath.hasPrefix("/tmp/circuit-"))
    #expect(CacheIntegrityTests.call(artifact.libraryPath, "r") == 7)
  }

  /// Through the CLI as an unprivileged user (root ignores permissions): a read-only cache
  /// holding a valid library runs from it; holding a truncated one, the circuit still runs.
  @Test(.enabled(if: CacheIntegrityTests.nobodyCanRunTheTool))
  func readOnlyCacheStillRuns() throws {
    let dir = CacheIntegrityTests.cacheDirectory("readonly")
    let tool = PackagePaths.path(".build/debug/circuit")
    try #require(FileManager.default.isExecutableFile(atPath: tool))
    /// Runs `circuit run --backend c` on the MLP as `nobody`; exit status and output.
    func run() throws -> (Int32, String) {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
      p.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", tool, "run", "--backend", "c",
        PackagePaths.path("examples/mlp.circuit"), "--size", "b=1"]
      p.environment = ["CIRCUIT_CACHE_DIR": dir, "PATH": "/usr/bin:/bin", "CIRCUIT_CFLAGS": "-O0"]
      let out = Pipe()
      p.standardOutput = out
      p.standardError = out
      try p.run()
      let data = out.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    #expect(chmod(dir, 0o777) == 0)
    let (code, text) = try run()
    try #require(code == 0, "\(text)")
    let library = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".so") })
    #expect(chmod(dir, 0o555) == 0)
    let (again, text2) = try run()
    #expect(again == 0 && text2 == text)
    #expect(truncate(dir + "/" + library, 100) == 0)
    let (damaged, text3) = try run()
    #expect(damaged == 0 && text3 == text, "\(text3)")
    #expect(CacheIntegrityTests.size(dir + "/" + library) == 100, "a read-only cache is left alone")
    #expect(chmod(dir, 0o755) == 0)
  }

  /// Whether this process is root with `setpriv`, and the user `nobody` can run the built tool
  /// on the package's files (a checkout under a private directory such as `/root` cannot be
  /// reached by `nobody`; the test is then skipped rather than failed).
  static let nobodyCanRunTheTool: Bool = {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return false }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
    p.arguments = [
      "--reuid=nobody", "--regid=nogroup", "--clear-groups", PackagePaths.path(".build/debug/circuit"), "check",
      PackagePaths.path("examples/mlp.circuit"),
    ]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }()

  /// Eight compiles of one damaged entry at once: every one returns a library that loads.
  @Test func concurrentCompilesOfOneEntry() throws {
    let cc = CCompiler(.init(flags: ["-O0"], cacheDirectory: CacheIntegrityTests.cacheDirectory("concurrent")))
    let source = CacheIntegrityTests.source("c", 5)
    let first = try cc.compile(source)
    #expect(truncate(first.libraryPath, 64) == 0)
    let results = Mutex<[Int32?]>([])
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      let value = (try? cc.compile(source)).flatMap { CacheIntegrityTests.call($0.libraryPath, "c") }
      results.withLock { $0.append(value) }
    }
    #expect(results.withLock { $0 } == Array(repeating: 5, count: 8))
    #expect(try cc.compile(source).cached)
  }
}
