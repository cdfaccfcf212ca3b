#if canImport(Glibc)
  import Glibc
#endif

/// The few file operations of compiling: whole-file reads and writes, atomic renames.
enum NativeFiles {

  /// Whether a regular file exists at `path`.
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// Creates `path` and its parents; true when it exists afterwards.
  static func makeDirectories(_ path: String) -> Bool {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
      prefix += part + "/"
      _ = mkdir(prefix, 0o755)
    }
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// Writes `text` to `path` through a unique temporary and a rename (safe under concurrency).
  static func writeAtomically(_ text: String, to path: String) throws(NativeError) {
    try writeAtomically(Array(text.utf8), to: path, mode: 0o666)
  }

  /// Writes `bytes` to `path` through a unique temporary created with `mode` (less the umask)
  /// and a rename, so `path` is never partly written.
  static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws(NativeError) {
    let temporary = uniqueSibling(of: path)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
    guard fd >= 0 else { throw .io("cannot write \(temporary)") }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { break }
      offset += n
    }
    let closed = close(fd)
    guard offset == bytes.count, closed == 0, rename(temporary, path) == 0 else {
      unlink(temporary)
      throw .io("cannot write \(path)")
    }
  }

  /// The text of `path` (empty when unreadable).
  static func read(_ path: String) -> String {
    String(decoding: readBytes(path) ?? [], as: UTF8.self)
  }

  /// The bytes of the regular file `path`, or nil when it cannot be read.
  static func readBytes(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
      if n <= 0 { break }
      bytes += buffer[0..<n]
    }
    return ferror(file) == 0 ? bytes : nil
  }

  /// Copies the file `from` to `to` as an executable (mode 0755) through a unique temporary
  /// next to `to` and a rename, so `to` is never partly written.
  /// - Throws: `NativeError.io` when `from` cannot be read or `to` cannot be written.
  static func copyExecutable(_ from: String, to path: String) throws(NativeError) {
    guard let bytes = readBytes(from) else { throw .io("cannot read \(from)") }
    try writeAtomically(bytes, to: path, mode: 0o755)
  }

  /// Whether this process may create files in the directory `path`.
  static func isWritableDirectory(_ path: String) -> Bool { access(path, W_OK | X_OK) == 0 }

  /// Creates a fresh private directory under `/tmp`.
  /// - Throws: `NativeError.io` when it cannot be created.
  static func temporaryDirectory() throws(NativeError) -> String {
    var template = Array("/tmp/circuit-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
      throw .io("cannot create a temporary directory under /tmp")
    }
    return String(cString: made)
  }

  /// Removes `files`, then the directory `path` if it is empty; ignores failures.
  static func removeDirectory(_ path: String, files: [String]) {
    for file in files { unlink(file) }
    rmdir(path)
  }

  /// A fresh path next to `path` (process id, the clock and a random number: unique across
  /// processes and across threads of one process).
  static func uniqueSibling(of path: String) -> String {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return "\(path).\(getpid()).\(t.tv_sec).\(t.tv_nsec).\(UInt32.random(in: 0...UInt32.max)).tmp"
  }

  /// Removes `path`, ignoring failure.
  static func remove(_ path: String) { unlink(path) }

  /// Moves `from` to `to` atomically.
  static func move(_ from: String, to: String) -> Bool { rename(from, to) == 0 }
}
