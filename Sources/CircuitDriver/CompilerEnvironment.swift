import CircuitNative

/// The C compiler setup the environment asks for (the native loader reads no environment
/// itself).
public enum CompilerEnvironment {

  /// `CC` (default `cc`), `CIRCUIT_CFLAGS` (default `-O3 -march=native`), `CIRCUIT_CACHE_DIR`
  /// (default `$XDG_CACHE_HOME/circuit`, else `$HOME/.cache/circuit`, else
  /// `/tmp/circuit-cache`).
  public static var configuration: CompilerConfiguration {
    let cc = Platform.environment("CC").flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
    let flags = Platform.environment("CIRCUIT_CFLAGS").map { $0.split(separator: " ").map(String.init) }
      ?? CompilerConfiguration.defaultFlags
    let cache: String
    if let c = Platform.environment("CIRCUIT_CACHE_DIR"), !c.isEmpty {
      cache = c
    } else if let x = Platform.environment("XDG_CACHE_HOME"), !x.isEmpty {
      cache = x + "/circuit"
    } else if let h = Platform.environment("HOME"), !h.isEmpty {
      cache = h + "/.cache/circuit"
    } else {
      cache = "/tmp/circuit-cache"
    }
    return CompilerConfiguration(compiler: cc, flags: flags, cacheDirectory: cache)
  }
}
