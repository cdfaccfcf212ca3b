#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Platform {

  /// The bytes of memory a new allocation can use now: `MemAvailable` from `/proc/meminfo`,
  /// else the physical memory (`sysconf(_SC_PHYS_PAGES)` pages); nil when neither is known.
  static var availableMemory: (bytes: Int, origin: String)? {
    if let text = try? readFile("/proc/meminfo") {
      for line in String(decoding: text, as: UTF8.self).split(separator: "\n")
      where line.hasPrefix("MemAvailable:") {
        let fields = line.split(separator: " ")
        if fields.count >= 2, let kib = Int(fields[1]) {
          let (bytes, overflow) = kib.multipliedReportingOverflow(by: 1024)
          if !overflow { return (bytes, "available memory (MemAvailable)") }
        }
      }
    }
    let pages = sysconf(Int32(_SC_PHYS_PAGES))
    let size = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, size > 0 else { return nil }
    let (bytes, overflow) = pages.multipliedReportingOverflow(by: size)
    return overflow ? nil : (bytes, "physical memory")
  }
}
