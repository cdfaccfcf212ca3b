/// Runtime-sized templates (`CTemplate.serialized`) kept in the compile cache directory, one
/// per program skeleton (`CTemplate.skeleton`) and runtime size names, so that a process at new
/// sizes finds the template without emitting the samples again. A file that does not read
/// back as a template is ignored (and replaced by the next store).
public struct TemplateStore: Sendable {

  /// The cache directory.
  public let directory: String

  /// A store in `directory`.
  public init(directory: String) { self.directory = directory }

  /// The file of the template for `skeleton` and `names`.
  func path(skeleton: String, names: [String]) -> String {
    directory + "/template-" + ContentHash.hex([skeleton, names.joined(separator: " "), "template 1"]) + ".txt"
  }

  /// The stored template's text, if any.
  public func load(skeleton: String, names: [String]) -> String? {
    let p = path(skeleton: skeleton, names: names)
    guard NativeFiles.exists(p) else { return nil }
    let text = NativeFiles.read(p)
    return text.isEmpty ? nil : text
  }

  /// Stores `text` (atomically); a cache that cannot be written is left as it is.
  public func store(_ text: String, skeleton: String, names: [String]) {
    guard NativeFiles.makeDirectories(directory) else { return }
    try? NativeFiles.writeAtomically(text, to: path(skeleton: skeleton, names: names))
  }

  /// The file of the failure note for `skeleton` and `names`.
  func failurePath(skeleton: String, names: [String]) -> String {
    directory + "/template-failed-" + ContentHash.hex([skeleton, names.joined(separator: " "), "failure 1"]) + ".txt"
  }

  /// Why building the template of `skeleton` with `names` failed before, if it did: a
  /// program whose template failed once goes straight to specialised code at later shapes
  /// instead of paying for the samples again.
  public func failure(skeleton: String, names: [String]) -> String? {
    let p = failurePath(skeleton: skeleton, names: names)
    guard NativeFiles.exists(p) else { return nil }
    let text = NativeFiles.read(p)
    return text.isEmpty ? nil : text
  }

  /// Records (atomically) that the template of `skeleton` with `names` could not be built,
  /// and why (one line); a cache that cannot be written is left as it is.
  public func recordFailure(_ reason: String, skeleton: String, names: [String]) {
    guard NativeFiles.makeDirectories(directory) else { return }
    let line = reason.isEmpty ? "no template" : reason
    try? NativeFiles.writeAtomically(line, to: failurePath(skeleton: skeleton, names: names))
  }

  /// Records that the program of `skeleton` ran with `names` at `shape` (its sizes, as text);
  /// whether it ran at another shape before. Only the first shape is kept: a program run at one
  /// shape only never pays for a template, the second shape builds it.
  public func recordShape(_ shape: String, skeleton: String, names: [String]) -> Bool {
    let p = directory + "/shapes-" + ContentHash.hex([skeleton, names.joined(separator: " "), "shapes 1"]) + ".txt"
    let first = NativeFiles.exists(p) ? NativeFiles.read(p) : ""
    guard first.isEmpty else { return first != shape }
    if NativeFiles.makeDirectories(directory) { try? NativeFiles.writeAtomically(shape, to: p) }
    return false
  }
}
