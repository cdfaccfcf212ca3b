/// Path manipulation on `/`-separated strings.
public enum Path {

  /// The directory part of `path` (`.` when there is none).
  public static func directory(of path: String) -> String {
    guard let i = path.lastIndex(of: "/") else { return "." }
    return i == path.startIndex ? "/" : String(path[..<i])
  }

  /// `base/relative`, unless `relative` is absolute.
  public static func join(_ base: String, _ relative: String) -> String {
    if relative.hasPrefix("/") { return relative }
    return base.hasSuffix("/") ? base + relative : base + "/" + relative
  }

  /// `path` with `.` and `..` components resolved lexically.
  public static func normalize(_ path: String) -> String {
    var parts: [Substring] = []
    for p in path.split(separator: "/", omittingEmptySubsequences: true) {
      if p == "." { continue }
      if p == "..", let last = parts.last, last != ".." {
        parts.removeLast()
      } else {
        parts.append(p)
      }
    }
    let joined = parts.joined(separator: "/")
    return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
  }

  /// `path` relative to `base` when it lies inside it, else `path` itself.
  public static func relative(_ path: String, to base: String) -> String {
    let p = normalize(path)
    let b = normalize(base)
    if p.hasPrefix(b + "/") { return String(p.dropFirst(b.count + 1)) }
    return p
  }
}
