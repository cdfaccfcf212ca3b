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
  }

  /// Flags always passed (part of the cache key).
  static let fixedFlags = ["-fPIC", "-shared"]

  /// The compiler command words.
  var command: [String] { configuration.compiler.split(separator: " ").map(String.init) }

  /// The first line of `cc --version` (part of the cache key), or nil if cc cannot run.
  func version(scratch: String) -> String? {
    let out = scratch + ".version"
    defer { NativeFiles.remove(out) }
    guard let r = ProcessRunner.run(command + ["--version"], stdoutPath: out, stderrPath: "/dev/null"),
      r.status == 0
    else { return nil }
    return NativeFiles.read(out).split(separator: "\n").first.map(String.init) ?? ""
  }

  /// Compiles `source` (or finds it in the cache) into a shared library.
  /// - Throws: `NativeError` when the compiler is missing or fails, or files cannot be written.
  public func compile(_ source: String) throws(NativeError) -> Artifact {
    let dir = configuration.cacheDirectory
    guard NativeFiles.makeDirectories(dir) else { throw .io("cannot create the cache directory \(dir)") }
    let scratch = NativeFiles.uniqueSibling(of: dir + "/probe")
    guard let version = version(scratch: scratch) else {
      let kept = dir + "/" + ContentHash.hex([source]) + ".c"
      try NativeFiles.writeAtomically(source, to: kept)
      throw .compilerNotFound(compiler: configuration.compiler, sourcePath: kept)
    }
    let key = ContentHash.hex([source, configuration.compiler, (configuration.flags + CCompiler.fixedFlags).joined(separator: " "), version])
    let base = dir + "/" + key
    let library = base + ".so"
    let sourcePath = base + ".c"
    if NativeFiles.exists(library) {
      return Artifact(libraryPath: library, sourcePath: sourcePath, cached: true)
    }
    try NativeFiles.writeAtomically(source, to: sourcePath)
    try run(extraFlags: CCompiler.fixedFlags, source: sourcePath, output: library, what: "library")
    return Artifact(libraryPath: library, sourcePath: sourcePath, cached: false)
  }
}

extension CCompiler {

  /// Compiles `source` into a standalone executable at `output` (written atomically: a
  /// temporary next to `output`, then a rename). The source is kept in the cache directory
  /// under its content hash. Uses the configured flags plus `-lpthread -lm`; never cached.
  /// - Throws: `NativeError` when the compiler is missing or fails, or files cannot be written.
  public func buildExecutable(_ source: String, to output: String) throws(NativeError) -> String {
    let dir = configuration.cacheDirectory
    guard NativeFiles.makeDirectories(dir) else { throw .io("cannot create the cache directory \(dir)") }
    let sourcePath = dir + "/" + ContentHash.hex([source, "executable"]) + ".c"
    try NativeFiles.writeAtomically(source, to: sourcePath)
    try run(extraFlags: [], source: sourcePath, output: output, what: "executable")
    return sourcePath
  }

  /// Runs the compiler on `source` with the configured flags plus `extraFlags`, into a
  /// temporary next to `output` that is renamed into place only when the compiler succeeds.
  /// - Throws: `NativeError` with the compiler's output and the kept source path.
  func run(extraFlags: [String], source: String, output: String, what: String) throws(NativeError) {
    let temporary = NativeFiles.uniqueSibling(of: output)
    let log = NativeFiles.uniqueSibling(of: source) + ".log"
    defer { NativeFiles.remove(log) }
    let arguments =
      command + configuration.flags + extraFlags + ["-o", temporary, source, "-lm", "-lpthread"]
    guard let outcome = ProcessRunner.run(arguments, stdoutPath: log, stderrPath: log) else {
      throw .compilerNotFound(compiler: configuration.compiler, sourcePath: source)
    }
    guard outcome.status == 0, NativeFiles.exists(temporary) else {
      NativeFiles.remove(temporary)
      throw .compilerFailed(
        compiler: configuration.compiler, status: outcome.status, stderr: NativeFiles.read(log),
        sourcePath: source)
    }
    guard NativeFiles.move(temporary, to: output) else {
      NativeFiles.remove(temporary)
      throw .io("cannot move the compiled \(what) to \(output)")
    }
  }
}
