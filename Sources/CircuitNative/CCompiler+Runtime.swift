import CircuitCodeGenC

extension CCompiler {

  /// The flags the runtime is compiled with: the configured ones without the step timers'
  /// define (`-D` `CProgram.profilingDefine`), which only a program's own code reads, so that
  /// a profiled library links the same runtime object as an unprofiled one.
  var runtimeFlags: [String] { configuration.flags.filter { $0 != "-D" + CProgram.profilingDefine } }

  /// The cache key of the runtime object for compiler `version`: a content hash of the
  /// runtime's source, the compiler and the runtime's flags.
  func runtimeKey(version: String) -> String {
    "runtime-" + ContentHash.hex([
      CRuntime.source, configuration.compiler, (runtimeFlags + ["-fPIC", "-c"]).joined(separator: " "), version,
    ])
  }

  /// The runtime (`CRuntime`) compiled into an object (`-fPIC -c`): found, verified, in the
  /// cache directory, else compiled into `workspace` (the cache, or a private directory when the
  /// cache is read-only) and renamed into place. Compiled once per compiler, flags and runtime
  /// version; every library and executable links it.
  /// - Throws: `NativeError` when the compiler fails or files cannot be written.
  func runtimeObject(key: String, workspace: String) throws(NativeError) -> String {
    let cached = CacheEntry(directory: configuration.cacheDirectory, key: key, suffix: ".o")
    return try CompileFlight.shared.once(cached.libraryPath, shared: workspace == configuration.cacheDirectory) {
      () throws(NativeError) -> String in
      if cached.isValid() { return cached.libraryPath }
      let entry = CacheEntry(directory: workspace, key: key, suffix: ".o")
      try NativeFiles.writeAtomically(CRuntime.source, to: entry.sourcePath)
      let temporary = NativeFiles.uniqueSibling(of: entry.libraryPath)
      var runtime = configuration
      runtime.flags = runtimeFlags
      try CCompiler(runtime).run(extraFlags: ["-fPIC"], source: entry.sourcePath, output: temporary, objects: nil)
      try entry.install(temporary)
      return entry.libraryPath
    }
  }
}
