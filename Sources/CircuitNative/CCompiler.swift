/// How to compile generated C: the compiler command, its flags and the cache directory.
public struct CompilerConfiguration: Sendable, Hashable {

  /// The compiler command, split on spaces (`cc`, `gcc-12`, `/opt/clang -m64`).
  public var compiler: String

  /// Flags before the mandatory `-fPIC -shared` (default `-O3 -march=native`).
  public var flags: [String]

  /// Where sources and libraries are kept, by content hash.
  public var cacheDirectory: String

  /// The default flags.
  public static let defaultFlags = ["-O3", "-march=native"]

  /// Creates a configuration.
  public init(compiler: String = "cc", flags: [String] = CompilerConfiguration.defaultFlags, cacheDirectory: String) {
    self.compiler = compiler
    self.flags = flags
    self.cacheDirectory = cacheDirectory
  }
}

/// Compiles C programs into shared libraries, cached by a hash of source, flags and compiler.
///
/// A cache entry is used only when its checksum matches (`CacheEntry`); otherwise it is
/// rebuilt and renamed into place. When the cache directory is not writable, a library that is
/// missing or damaged there is compiled into a private temporary directory instead (removed
/// once the library is loaded), so a read-only cache never stops a run.
public struct CCompiler: Sendable {

  /// The configuration.
  public let configuration: CompilerConfiguration

  /// Creates a compiler.
  public init(_ configuration: CompilerConfiguration) { self.configuration = configuration }

  /// The result of compiling: where the library and its source are, and whether it was cached.
  public struct Artifact: Sendable {
    /// The shared library.
    public let libraryPath: String
    /// The kept C source.
    public let sourcePath: String
    /// True when no compiler ran (the library was in the cache).
    public let cached: Bool
    /// The private directory holding library and source when the cache was not writable;
    /// `NativeModel` removes it once the library is loaded.
    public let temporaryDirectory: String?

    /// Removes the temporary directory and its files, if any (a loaded library stays mapped).
    func discardTemporaryFiles() {
      guard let temporaryDirectory else { return }
      NativeFiles.removeDirectory(temporaryDirectory, files: [libraryPath, sourcePath])
    }
  }

  /// Flags always passed (part of the cache key).
  static let fixedFlags = ["-fPIC", "-shared"]

  /// The compiler command words.
  var command: [String] { configuration.compiler.split(separator: " ").map(String.init) }

  /// The first line of `cc --version` (part of the cache key), or nil if cc cannot run; its
  /// output goes to a scratch file in `directory`.
  func version(in directory: String) -> String? {
    let out = NativeFiles.uniqueSibling(of: directory + "/probe") + ".version"
    defer { NativeFiles.remove(out) }
    guard let r = ProcessRunner.run(command + ["--version"], stdoutPath: out, stderrPath: "/dev/null"),
      r.status == 0
    else { return nil }
    return NativeFiles.read(out).split(separator: "\n").first.map(String.init) ?? ""
  }

  /// Compiles `source` (or finds it, verified, in the cache) into a shared library.
  /// - Throws: `NativeError` when the compiler is missing or fails, or files cannot be written.
  public func compile(_ source: String) throws(NativeError) -> Artifact {
    let cache = configuration.cacheDirectory
    let writable = NativeFiles.makeDirectories(cache) && NativeFiles.isWritableDirectory(cache)
    var scratch: String? = writable ? nil : try NativeFiles.temporaryDirectory()
    defer { if let scratch { NativeFiles.removeDirectory(scratch, files: []) } }
    let workspace = scratch ?? cache
    guard let version = version(in: workspace) else {
      let kept = workspace + "/" + ContentHash.hex([source]) + ".c"
      try NativeFiles.writeAtomically(source, to: kept)
      scratch = nil
      throw .compilerNotFound(compiler: configuration.compiler, sourcePath: kept)
    }
    let runtimeKey = self.runtimeKey(version: version)
    let key = ContentHash.hex([
      source, configuration.compiler, (configuration.flags + CCompiler.fixedFlags).joined(separator: " "), version,
      runtimeKey,
    ])
    let cached = CacheEntry(directory: cache, key: key)
    return try CompileFlight.shared.once(cached.libraryPath, shared: scratch == nil) { () throws(NativeError) -> Artifact in
      if cached.isValid() {
        return Artifact(libraryPath: cached.libraryPath, sourcePath: cached.sourcePath, cached: true, temporaryDirectory: nil)
      }
      let entry = CacheEntry(directory: workspace, key: key)
      try NativeFiles.writeAtomically(source, to: entry.sourcePath)
      let temporary = NativeFiles.uniqueSibling(of: entry.libraryPath)
      do throws(NativeError) {
        let runtime = try runtimeObject(key: runtimeKey, workspace: workspace)
        try run(extraFlags: CCompiler.fixedFlags, source: entry.sourcePath, output: temporary, objects: [runtime])
      } catch {
        scratch = nil  // keeps the source for the error message
        throw error
      }
      if let directory = scratch {
        guard NativeFiles.move(temporary, to: entry.libraryPath) else {
          NativeFiles.remove(temporary)
          throw .io("cannot move the compiled library to \(entry.libraryPath)")
        }
        scratch = nil
        return Artifact(libraryPath: entry.libraryPath, sourcePath: entry.sourcePath, cached: false, temporaryDirectory: directory)
      }
      try entry.install(temporary)
      return Artifact(libraryPath: entry.libraryPath, sourcePath: entry.sourcePath, cached: false, temporaryDirectory: nil)
    }
  }
}

extension CCompiler {

  /// Compiles `source` into a standalone executable at `output` (written atomically: a
  /// temporary next to `output`, then a rename), linked with the runtime. The source is kept
  /// in the cache directory under its content hash. Uses the configured flags plus `-lpthread
  /// -lm`. The executable is cached like a library (`KEY.exe`, verified by `KEY.exe.sum`, keyed
  /// by source, compiler, flags, compiler version and runtime), so building the same program
  /// again copies the verified entry instead of running `cc`.
  /// - Throws: `NativeError` when the compiler is missing or fails, or files cannot be written.
  public func buildExecutable(_ source: String, to output: String) throws(NativeError) -> String {
    let dir = configuration.cacheDirectory
    guard NativeFiles.makeDirectories(dir) else { throw .io("cannot create the cache directory \(dir)") }
    let sourcePath = dir + "/" + ContentHash.hex([source, "executable"]) + ".c"
    try NativeFiles.writeAtomically(source, to: sourcePath)
    guard let version = version(in: dir) else {
      throw .compilerNotFound(compiler: configuration.compiler, sourcePath: sourcePath)
    }
    let runtimeKey = self.runtimeKey(version: version)
    let key = ContentHash.hex([
      source, "executable", configuration.compiler, configuration.flags.joined(separator: " "), version, runtimeKey,
    ])
    let entry = CacheEntry(directory: dir, key: key, suffix: ".exe")
    try CompileFlight.shared.once(entry.libraryPath) { () throws(NativeError) in
      guard !entry.isValid() else { return }
      let runtime = try runtimeObject(key: runtimeKey, workspace: dir)
      let temporary = NativeFiles.uniqueSibling(of: entry.libraryPath)
      try run(extraFlags: [], source: sourcePath, output: temporary, objects: [runtime])
      try entry.install(temporary)
    }
    try NativeFiles.copyExecutable(entry.libraryPath, to: output)
    return sourcePath
  }

  /// Runs the compiler on `source` with the configured flags plus `extraFlags`, writing
  /// `output` (a fresh temporary path, which the caller renames into place) linked with
  /// `objects` and libm and pthreads (nil: compiled only, `-c`); `output` is removed when the
  /// compiler fails.
  /// - Throws: `NativeError` with the compiler's output and the kept source path.
  func run(extraFlags: [String], source: String, output: String, objects: [String]?) throws(NativeError) {
    let log = NativeFiles.uniqueSibling(of: source) + ".log"
    defer { NativeFiles.remove(log) }
    let linking = objects.map { $0 + ["-lm", "-lpthread"] } ?? []
    let arguments =
      command + configuration.flags + extraFlags + (objects == nil ? ["-c"] : []) + ["-o", output, source] + linking
    guard let outcome = ProcessRunner.run(arguments, stdoutPath: log, stderrPath: log) else {
      throw .compilerNotFound(compiler: configuration.compiler, sourcePath: source)
    }
    guard outcome.status == 0, NativeFiles.exists(output) else {
      NativeFiles.remove(output)
      throw .compilerFailed(
        compiler: configuration.compiler, status: outcome.status, stderr: NativeFiles.read(log),
        sourcePath: source)
    }
  }
}
