import Foundation
#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A well-formedness check with Foundation's XML parser.
enum XMLCheck {

  /// Whether `text` is well-formed XML.
  static func isWellFormed(_ text: String) -> Bool {
    let parser = XMLParser(data: Data(text.utf8))
    return parser.parse()
  }

  /// The text contents of every element named `name`.
  static func texts(of name: String, in text: String) -> [String] {
    let collector = Collector(name: name)
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = collector
    _ = parser.parse()
    return collector.found
  }

  /// Collects element texts.
  final class Collector: NSObject, XMLParserDelegate {
    let name: String
    var found: [String] = []
    var current: String? = nil
    init(name: String) { self.name = name }
    func parser(_ parser: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
      if e == name { current = "" }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }
    func parser(_ parser: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
      if e == name, let c = current { found.append(c) }
      current = nil
    }
  }
}
