/// Runtime-sized templates (`CTemplate.serialized`) kept in the compile cache directory, one
/// per program skeleton (`CTemplate.skeleton`) and runtime size names, so that a process at new
/// sizes finds the template without emitting the samples again. A file that does not read
/// back as a template is ignored (and replaced by the next store).
public struct TemplateStore: Sendable {

  /// The cache directory.
  public let directory: String

  /// A store in `directory`.
  public init(directory: String) { self.directory = directory }

  /// What the store keeps per program skeleton and size names: the file's prefix and the tag
  /// hashed with the key.
  enum Record {
    case template, failure, firstShape

    /// The file name's prefix.
    var prefix: String {
      switch self {
      case .template: "template-"
      case .failure: "template-failed-"
      case .firstShape: "shapes-"
      }
    }

    /// The tag hashed with the key (a format version).
    var tag: String {
      switch self {
      case .template: "template 1"
      case .failure: "failure 1"
      case .firstShape: "shapes 1"
      }
    }
  }

  /// The file of `record` for `skeleton` and `names`.
  func path(_ record: Record, skeleton: String, names: [String]) -> String {
    directory + "/" + record.prefix + ContentHash.hex([skeleton, names.joined(separator: " "), record.tag]) + ".txt"
  }

  /// The text of `record`, if stored and not empty.
  func read(_ record: Record, skeleton: String, names: [String]) -> String? {
    let p = path(record, skeleton: skeleton, names: names)
    guard NativeFiles.exists(p) else { return nil }
    let text = NativeFiles.read(p)
    return text.isEmpty ? nil : text
  }

  /// Writes `text` as `record` (atomically); a cache that cannot be written is left as it is.
  func write(_ text: String, as record: Record, skeleton: String, names: [String]) {
    guard NativeFiles.makeDirectories(directory) else { return }
    try? NativeFiles.writeAtomically(text, to: path(record, skeleton: skeleton, names: names))
  }

  /// The stored template's text, if any.
  public func load(skeleton: String, names: [String]) -> String? {
    read(.template, skeleton: skeleton, names: names)
  }

  /// Stores `text` (atomically); a cache that cannot be written is left as it is.
  public func store(_ text: String, skeleton: String, names: [String]) {
    write(text, as: .template, skeleton: skeleton, names: names)
  }

  /// Why building the template of `skeleton` with `names` failed before, if it did: a
  /// program whose template failed once goes straight to specialised code at later shapes
  /// instead of paying for the samples again.
  public func failure(skeleton: String, names: [String]) -> String? {
    read(.failure, skeleton: skeleton, names: names)
  }

  /// Records (atomically) that the template of `skeleton` with `names` could not be built,
  /// and why (one line); a cache that cannot be written is left as it is.
  public func recordFailure(_ reason: String, skeleton: String, names: [String]) {
    write(reason.isEmpty ? "no template" : reason, as: .failure, skeleton: skeleton, names: names)
  }

  /// Records that the program of `skeleton` ran with `names` at `shape` (its sizes, as text);
  /// whether it ran at another shape before. Only the first shape is kept: a program run at one
  /// shape only never pays for a template, the second shape builds it.
  public func recordShape(_ shape: String, skeleton: String, names: [String]) -> Bool {
    if let first = read(.firstShape, skeleton: skeleton, names: names) { return first != shape }
    write(shape, as: .firstShape, skeleton: skeleton, names: names)
    return false
  }
}
