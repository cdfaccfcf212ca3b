import CircuitDiagnostics
import CircuitPipeline
import TensorRuntime

/// A Language Server Protocol server for `.circuit` files, as a value-to-value core: each
/// JSON-RPC message in gives the messages to send back. The transport (framing, standard
/// input and output) and the debouncing of diagnostics belong to the caller (`circuit lsp`).
///
/// Documents are kept in full (`TextDocumentSyncKind.Full`, with incremental edits applied
/// too); every query compiles the document's unsaved text (and other open documents it
/// imports) as `circuit check` would, once per version.
public final class LanguageServer {

  /// What handling one message produced.
  public struct Reply {
    /// Messages to send, in order (responses, and notifications such as cleared diagnostics).
    public var messages: [JSONValue] = []
    /// Documents whose diagnostics are due (after a pause in typing): the changed one first,
    /// then the other open ones.
    public var changedDocuments: [String] = []
    /// The process's exit code, once `exit` arrived.
    public var exitCode: Int32? = nil
  }

  /// An open document.
  struct Document {
    /// The document's URI as the client spelled it.
    var uri: String
    /// The unsaved text.
    var text: String
    /// The client's version number.
    var version: Int
  }

  /// The file system beneath the open documents.
  let disk: SourceReader

  /// The directories searched for `import name`.
  let stdlibPath: [String]

  /// The open documents, by path.
  var documents: [String: Document] = [:]

  /// The analysis of each open document's current text, by path.
  var analyses: [String: Analysis] = [:]

  /// Whether `shutdown` was received.
  var shuttingDown = false

  /// A server reading unopened files through `reader`, importing modules from `stdlibPath`.
  public init(reader: SourceReader, stdlibPath: [String]) {
    self.disk = reader
    self.stdlibPath = stdlibPath
  }

  /// Handles one message (a request or a notification); never traps on malformed input.
  public func handle(_ message: JSONValue) -> Reply {
    var reply = Reply()
    guard let method = message["method"]?.string else {
      if let id = message["id"] { reply.messages.append(Self.error(id: id, code: -32600, "not a request")) }
      return reply
    }
    let params = message["params"] ?? .null
    guard let id = message["id"] else {
      notify(method, params, &reply)
      return reply
    }
    if shuttingDown && method != "exit" {
      reply.messages.append(Self.error(id: id, code: -32600, "the server is shutting down"))
      return reply
    }
    switch respond(method, params) {
    case .success(let result): reply.messages.append(.fields(["jsonrpc": .string("2.0"), "id": id, "result": result]))
    case .failure(let failure): reply.messages.append(Self.error(id: id, code: failure.code, failure.message))
    }
    return reply
  }

  /// A request's failure: a JSON-RPC error code and message.
  struct Failure: Error {
    /// The code (-32601 unknown method, -32602 bad parameters, -32803 request failed).
    let code: Int
    /// The message.
    let message: String
  }

  /// The result of a request.
  func respond(_ method: String, _ params: JSONValue) -> Result<JSONValue, Failure> {
    switch method {
    case "initialize": return .success(Self.capabilities)
    case "shutdown":
      shuttingDown = true
      return .success(.null)
    case "textDocument/hover": return at(params) { self.hover($0, $1) }
    case "textDocument/definition": return at(params) { self.definition($0, $1) }
    case "textDocument/references":
      let declaration = params["context"]?["includeDeclaration"] != .bool(false)
      return at(params) { self.references($0, $1, includingDeclaration: declaration) }
    case "textDocument/completion": return at(params) { self.completion($0, $1) }
    case "textDocument/signatureHelp": return at(params) { self.signatureHelp($0, $1) }
    case "textDocument/rename":
      guard let name = params["newName"]?.string else { return .failure(Failure(code: -32602, message: "missing newName")) }
      return at(params) { (a: Analysis, o: Int) throws(Failure) in try self.rename(a, o, to: name) }
    case "textDocument/documentSymbol":
      guard let analysis = analysis(params) else { return .success(.array([])) }
      return .success(documentSymbols(analysis))
    case "textDocument/inlayHint":
      guard let analysis = analysis(params) else { return .success(.array([])) }
      return .success(inlayHints(analysis, params))
    case "textDocument/formatting":
      guard let analysis = analysis(params) else { return .success(.null) }
      return formatting(analysis)
    case "circuit/diagram": return at(params) { (a: Analysis, o: Int) throws(Failure) in try self.diagram(a, o) }
    default: return .failure(Failure(code: -32601, message: "unhandled method '\(method)'"))
    }
  }

  /// Runs a query at the request's `textDocument` and `position`; null when the document is
  /// not open.
  func at(_ params: JSONValue, _ query: (Analysis, Int) throws(Failure) -> JSONValue) -> Result<JSONValue, Failure> {
    guard let analysis = analysis(params) else { return .success(.null) }
    guard let line = params["position"]?["line"]?.int, let character = params["position"]?["character"]?.int else {
      return .failure(Failure(code: -32602, message: "missing position"))
    }
    do throws(Failure) {
      return .success(try query(analysis, analysis.lines.offset(line: line, character: character)))
    } catch {
      return .failure(error)
    }
  }

  /// Handles a notification.
  func notify(_ method: String, _ params: JSONValue, _ reply: inout Reply) {
    switch method {
    case "exit": reply.exitCode = shuttingDown ? 0 : 1
    case "textDocument/didOpen":
      let doc = params["textDocument"]
      guard let uri = doc?["uri"]?.string, let path = DocumentURI.path(uri), let text = doc?["text"]?.string else { return }
      documents[path] = Document(uri: uri, text: text, version: doc?["version"]?.int ?? 0)
      invalidate()
      reply.changedDocuments = openURIs(first: uri)
    case "textDocument/didChange":
      guard let uri = params["textDocument"]?["uri"]?.string, let path = DocumentURI.path(uri),
        var document = documents[path]
      else { return }
      for change in params["contentChanges"]?.array ?? [] {
        document.text = TextEdit.apply(change, to: document.text)
      }
      document.version = params["textDocument"]?["version"]?.int ?? document.version + 1
      documents[path] = document
      invalidate()
      reply.changedDocuments = openURIs(first: uri)
    case "textDocument/didClose":
      guard let uri = params["textDocument"]?["uri"]?.string, let path = DocumentURI.path(uri) else { return }
      documents[path] = nil
      invalidate()
      reply.messages.append(Self.publish(uri: uri, version: nil, []))
    default: break
    }
  }

  /// The URIs of the open documents, `uri` first: after a change, every open document's
  /// diagnostics are due (another may import the changed one).
  func openURIs(first uri: String) -> [String] {
    [uri] + documents.keys.sorted().compactMap { documents[$0]?.uri }.filter { $0 != uri }
  }

  /// Forgets every analysis (a change to one document can change what importers see).
  func invalidate() { analyses = [:] }

  /// The analysis of the request's `textDocument`, compiled on first use per version.
  func analysis(_ params: JSONValue) -> Analysis? {
    guard let uri = params["textDocument"]?["uri"]?.string, let path = DocumentURI.path(uri) else { return nil }
    return analysis(path: path)
  }

  /// The analysis of the open document at `path`.
  func analysis(path: String) -> Analysis? {
    if let cached = analyses[path] { return cached }
    guard documents[path] != nil else { return nil }
    let made = Analysis(path: path, reader: overlay, stdlibPath: stdlibPath)
    analyses[path] = made
    return made
  }

  /// The file system with the open documents' unsaved texts in place of their files.
  var overlay: SourceReader {
    let texts = documents.mapValues { Array($0.text.utf8) }
    let disk = self.disk
    return SourceReader(currentDirectory: disk.currentDirectory, isFile: { texts[$0] != nil || disk.isFile($0) }) {
      path throws(SourceReader.Failure) in
      if let bytes = texts[path] { return bytes }
      return try disk.read(path)
    }
  }

  /// A JSON-RPC error response.
  static func error(id: JSONValue, code: Int, _ message: String) -> JSONValue {
    .fields([
      "jsonrpc": .string("2.0"), "id": id,
      "error": .fields(["code": .int(code), "message": .string(message)]),
    ])
  }

  /// What the server offers, for `initialize`.
  static var capabilities: JSONValue {
    .fields([
      "capabilities": .fields([
        "textDocumentSync": .fields(["openClose": .bool(true), "change": .int(1)]),
        "hoverProvider": .bool(true),
        "definitionProvider": .bool(true),
        "referencesProvider": .bool(true),
        "completionProvider": .fields([
          "triggerCharacters": .array(["[", "<", "(", " "].map(JSONValue.string))
        ]),
        "signatureHelpProvider": .fields(["triggerCharacters": .array(["(", ","].map(JSONValue.string))]),
        "documentSymbolProvider": .bool(true),
        "renameProvider": .bool(true),
        "documentFormattingProvider": .bool(true),
        "inlayHintProvider": .bool(true),
      ]),
      "serverInfo": .fields(["name": .string("circuit lsp")]),
    ])
  }
}
