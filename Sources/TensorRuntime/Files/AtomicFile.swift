#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing a file so that a reader (or a user after a crash) sees the old contents or the new,
/// never a part: the bytes go to a fresh temporary file in the same directory, which is
/// flushed to disk and then renamed over the destination.
///
/// The destination must be a regular file or absent: a symbolic link is refused (writing
/// through it would change a file elsewhere; replacing it would silently break the link), and
/// so are directories, devices and FIFOs.
public enum AtomicFile {

  /// Writes `bytes` to `path`, replacing any regular file there.
  ///
  /// - Throws: `TensorFileError.io` naming `path`; the destination is then unchanged and no
  ///   temporary file is left behind.
  public static func write(_ bytes: [UInt8], to path: String) throws(TensorFileError) {
    try requireReplaceable(path)
    let (temporary, fd) = try createTemporary(beside: path)
    var failure: String? = nil
    var offset = 0
    while offset < bytes.count && failure == nil {
      let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        failure = "write failed: \(String(cString: strerror(errno)))"
      }
    }
    if failure == nil && fsync(fd) != 0 { failure = "could not flush: \(String(cString: strerror(errno)))" }
    if close(fd) != 0 && failure == nil { failure = "could not close: \(String(cString: strerror(errno)))" }
    if failure == nil && rename(temporary, path) != 0 {
      failure = "could not replace the file: \(String(cString: strerror(errno)))"
    }
    if let failure {
      unlink(temporary)
      throw .io(file: path, detail: failure)
    }
  }

  /// Throws unless `path` is absent or a regular file (not followed if it is a link).
  public static func requireReplaceable(_ path: String) throws(TensorFileError) {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT {
        let directory = directory(of: path)
        var dirInfo = stat()
        guard stat(directory, &dirInfo) == 0, (dirInfo.st_mode & S_IFMT) == S_IFDIR else {
          throw .io(file: path, detail: "the directory '\(directory)' does not exist")
        }
        return
      }
      throw .io(file: path, detail: String(cString: strerror(errno)))
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return
    case S_IFLNK: throw .io(file: path, detail: "is a symbolic link; refusing to write through it or replace it")
    case S_IFDIR: throw .io(file: path, detail: "is a directory")
    default: throw .io(file: path, detail: "is not a regular file; refusing to replace it")
    }
  }

  /// A new, empty, exclusively created file next to `path` and its open descriptor.
  static func createTemporary(beside path: String) throws(TensorFileError) -> (String, Int32) {
    let directory = directory(of: path)
    let base = path.split(separator: "/").last.map(String.init) ?? "file"
    for _ in 0..<64 {
      let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
      let temporary = (directory == "." && !path.hasPrefix("./") ? "" : directory + "/")
        + ".\(base).tmp-\(getpid())-\(tag)"
      let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
      if fd >= 0 { return (temporary, fd) }
      if errno != EEXIST {
        throw .io(file: path, detail: "cannot create a file in '\(directory)': \(String(cString: strerror(errno)))")
      }
    }
    throw .io(file: path, detail: "cannot create a temporary file in '\(directory)'")
  }

  /// The directory part of `path` (`.` when there is none).
  static func directory(of path: String) -> String {
    guard let i = path.lastIndex(of: "/") else { return "." }
    return i == path.startIndex ? "/" : String(path[..<i])
  }
}
