extension Platform {

  /// The last-level cache's bytes per core sharing it, from Linux's
  /// `/sys/devices/system/cpu/cpu0/cache`, with where the number came from; 1 MiB when the
  /// system does not say.
  static var lastLevelCachePerCore: (Int, String) {
    let base = "/sys/devices/system/cpu/cpu0/cache"
    var best: (level: Int, bytes: Int, sharing: Int)? = nil
    for index in 0..<8 {
      let dir = base + "/index\(index)"
      func read(_ name: String) -> String? {
        (try? readFile(dir + "/" + name)).map { String(decoding: $0, as: UTF8.self).filter { !$0.isWhitespace } }
      }
      guard let levelText = read("level"), let level = Int(levelText), let size = read("size") else { continue }
      if let type = read("type"), type == "Instruction" { continue }
      let bytes: Int? =
        size.hasSuffix("K") ? Int(size.dropLast()).map { $0 << 10 } : size.hasSuffix("M") ? Int(size.dropLast()).map { $0 << 20 } : Int(size)
      guard let bytes else { continue }
      let sharing = read("shared_cpu_list").map(Platform.cpuCount) ?? 1
      if best.map({ level > $0.level }) ?? true { best = (level, bytes, max(1, sharing)) }
    }
    guard let best else { return (1 << 20, "default 1 MiB: no cache sizes in \(base)") }
    return (best.bytes / best.sharing, "L\(best.level) \(best.bytes >> 10) KiB shared by \(best.sharing) CPUs, per core")
  }

  /// The number of CPUs in a list like `0-3,8`.
  static func cpuCount(_ list: String) -> Int {
    list.split(separator: ",").reduce(0) { n, part in
      let ends = part.split(separator: "-").compactMap { Int($0) }
      return n + (ends.count == 2 ? ends[1] - ends[0] + 1 : 1)
    }
  }
}
