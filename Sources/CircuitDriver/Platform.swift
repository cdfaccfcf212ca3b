#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import TensorRuntime

/// The few operating-system services the driver needs: files, environment, terminals.
public enum Platform {

  /// The failure to read or write a file.
  public struct IOError: Error, CustomStringConvertible {

    /// One line naming the file and the problem.
    public let description: String
  }

  /// The bytes of the file at `path`.
  public static func readFile(_ path: String) throws(IOError) -> [UInt8] {
    var info = stat()
    if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
      throw IOError(description: "\(path): is a directory")
    }
    guard let f = fopen(path, "rb") else {
      throw IOError(description: "\(path): \(String(cString: strerror(errno)))")
    }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = fread(&buffer, 1, buffer.count, f)
      if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
      if n < buffer.count {
        if ferror(f) != 0 { throw IOError(description: "\(path): read error") }
        break
      }
      if bytes.count > 64 << 20 {
        throw IOError(description: "\(path): file is larger than 64 MB; not a circuit source")
      }
    }
    return bytes
  }

  /// The device and inode of the file at `path` (following links), when it exists.
  public static func fileIdentity(_ path: String) -> FileIdentity? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
  }

  /// What makes two paths the same file.
  public struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
  }

  /// Whether a regular file exists at `path`.
  public static func isFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// Whether a directory exists at `path`.
  public static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// Creates the directory `path` (and missing parents); returns whether it exists after.
  public static func makeDirectory(_ path: String) -> Bool {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
      prefix += part + "/"
      if !isDirectory(prefix) { _ = mkdir(prefix, 0o755) }
    }
    return isDirectory(path)
  }

  /// The value of the environment variable `name`.
  public static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }

  /// The current working directory.
  public static var currentDirectory: String {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return "." }
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The absolute path of the running executable.
  public static var executablePath: String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Whether standard error is a terminal.
  public static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

  /// Whether diagnostics should be coloured by default: standard error is a terminal and
  /// `NO_COLOR` is unset (see no-color.org).
  public static var prefersColor: Bool {
    standardErrorIsTerminal && (environment("NO_COLOR") ?? "").isEmpty
  }

  /// Writes `text` to standard output.
  public static func writeStandardOutput(_ text: String) { writeAll(1, text) }

  /// Writes `text` to standard error.
  public static func writeStandardError(_ text: String) { writeAll(2, text) }

  /// Writes all of `text` to file descriptor `fd`.
  private static func writeAll(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
      if n <= 0 { return }
      offset += n
    }
  }

  /// Ends the process with `code`.
  public static func exit(_ code: Int32) -> Never { Glibc.exit(code) }
}
