#if canImport(Glibc)
  import Glibc
#endif

/// Runs a program to completion with `posix_spawnp`, standard output and error sent to files.
enum ProcessRunner {

  /// How a run ended.
  struct Outcome {
    /// The exit status (128 + signal when killed).
    let status: Int32
  }

  /// Runs `arguments[0]` (searched in PATH) with `arguments`; nil if it cannot be started.
  static func run(_ arguments: [String], stdoutPath: String, stderrPath: String) -> Outcome? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let started = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
    guard started == 0 else { return nil }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return Outcome(status: 127) }
    }
    let exited = (status & 0x7f) == 0
    return Outcome(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
  }
}
