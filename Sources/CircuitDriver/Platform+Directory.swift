#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Platform {

  /// The paths of the files under the directory `path` whose names end with `suffix`, found
  /// recursively (hidden entries skipped), sorted; nil if the directory cannot be read.
  public static func files(under path: String, withSuffix suffix: String) -> [String]? {
    guard let directory = opendir(path) else { return nil }
    defer { closedir(directory) }
    var found: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name.hasPrefix(".") { continue }
      let child = path.hasSuffix("/") ? path + name : path + "/" + name
      if isDirectory(child) {
        found += files(under: child, withSuffix: suffix) ?? []
      } else if name.hasSuffix(suffix) && isFile(child) {
        found.append(child)
      }
    }
    return found.sorted()
  }
}
