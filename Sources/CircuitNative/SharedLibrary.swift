#if canImport(Glibc)
  import Glibc
#endif

/// A loaded shared library. Paths must be content-addressed: reopening a path whose file
/// changed while a handle is open returns the old code.
final class SharedLibrary: @unchecked Sendable {

  /// The `dlopen` handle.
  private let handle: UnsafeMutableRawPointer

  /// The library's path.
  let path: String

  /// Opens `path` with `RTLD_NOW | RTLD_LOCAL`.
  init(path: String) throws(NativeError) {
    guard let h = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
      throw .loadFailed(path: path, message: dlerror().map { String(cString: $0) } ?? "dlopen failed")
    }
    handle = h
    self.path = path
  }

  /// The address of `symbol`.
  func symbol(_ name: String) throws(NativeError) -> UnsafeMutableRawPointer {
    guard let p = dlsym(handle, name) else {
      throw .loadFailed(path: path, message: "no symbol '\(name)'")
    }
    return p
  }

  deinit { dlclose(handle) }
}
