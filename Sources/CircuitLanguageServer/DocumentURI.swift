/// `file://` URIs of the protocol and the paths they name.
enum DocumentURI {

  /// The path of a `file://` URI (percent escapes decoded), or nil for other schemes.
  static func path(_ uri: String) -> String? {
    guard uri.hasPrefix("file://") else { return nil }
    var rest = Substring(uri.dropFirst("file://".count))
    if !rest.hasPrefix("/"), let slash = rest.firstIndex(of: "/") { rest = rest[slash...] }
    var bytes: [UInt8] = []
    var utf8 = Array(rest.utf8)[...]
    while let b = utf8.popFirst() {
      if b == UInt8(ascii: "%"), utf8.count >= 2,
        let v = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(v)
        utf8 = utf8.dropFirst(2)
      } else {
        bytes.append(b)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The `file://` URI of an absolute path (bytes outside the unreserved set escaped).
  static func uri(_ path: String) -> String {
    var out = "file://"
    for b in path.utf8 {
      let c = Character(Unicode.Scalar(b))
      if b < 0x80 && (c.isLetter || c.isNumber || "-._~/".contains(c)) {
        out.append(c)
      } else {
        let hex = String(b, radix: 16, uppercase: true)
        out += "%" + (hex.count < 2 ? "0" : "") + hex
      }
    }
    return out
  }
}
