import CircuitLanguageServer
import TensorRuntime

/// `circuit lsp`: the language server over standard input and output.
enum LspCommand {

  /// The options of `lsp`.
  struct Options: SubcommandValues {
    var common = CommonOptions()
    /// `--debounce <ms>`: the pause in typing after which diagnostics are published.
    var debounce = 0.25
  }

  /// The description of `lsp`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "lsp", abstract: "Run the language server (LSP over standard input/output).",
      overview: "Run a Language Server Protocol server for .circuit files on standard input and output.",
      discussion: """
        Editors start it and talk JSON-RPC with Content-Length framing. It offers diagnostics
        as one types (on the unsaved text, after a pause), hover with types and sizes, go to
        definition, references, completion, signature help, inlay hints (types of assigned
        variables), document symbols, rename, formatting (as 'circuit fmt'), and the request
        'circuit/diagram' (textDocument, position) returning the SVG of the circuit at the
        cursor.
        """,
      usage: "circuit lsp [options]",
      options: [
        .value("--debounce", valueName: "<ms>", help: "Pause before diagnostics are published (default: 250).") {
          values, v throws(UsageError) in
          guard let ms = Int(v), ms >= 0, ms <= 60_000 else { throw .invalid(v, for: "--debounce <ms>", " (0 to 60000)") }
          values.debounce = Double(ms) / 1000
        },
        .stdlib(help: "Directory searched for 'import name' (before $CIRCUIT_STDLIB)."),
      ],
      footer: "EXIT STATUS: 0 after 'shutdown' then 'exit', 1 when the input ends or breaks first, 64 usage error.",
      files: .none)
  }

  /// Runs the subcommand: serves standard input until `exit` or its end.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String) -> Int32 {
    let parsed = command.parse(arguments, stdout: &stdout, stderr: &stderr)
    guard case .values(let options) = parsed else { return parsed.exitCode }
    let server = LanguageServer(
      reader: Platform.sourceReader, stdlibPath: StdlibLocator.searchPath(flag: options.common.stdlib))
    return serve(server, input: 0, output: 1, debounce: options.debounce, stderr: &stderr)
  }

  /// Reads framed messages from `input`, answers on `output`, and publishes the diagnostics
  /// of changed documents once `debounce` seconds pass without another change to them.
  static func serve(_ server: LanguageServer, input: Int32, output: Int32, debounce: Double, stderr: inout String)
    -> Int32
  {
    var framing = MessageFraming()
    var due: [String: Double] = [:]
    var order: [String] = []
    /// Writes one framed message; false when the output is gone.
    func send(_ message: JSONValue) -> Bool {
      Platform.send(MessageFraming.frame(JSONWriter.text(of: message)), to: output)
    }
    while true {
      do throws(MessageFraming.Problem) {
        while let body = try framing.next() {
          let reply: LanguageServer.Reply
          do throws(JSONParser.Problem) {
            reply = server.handle(try JSONParser.parse(body))
          } catch {
            let message = JSONValue.object([
              ("jsonrpc", .string("2.0")), ("id", .null),
              ("error", .object([("code", .number("-32700")), ("message", .string("parse error: \(error.message)"))])),
            ])
            guard send(message) else { return 1 }
            continue
          }
          for message in reply.messages { guard send(message) else { return 1 } }
          for uri in reply.changedDocuments {
            if due[uri] == nil { order.append(uri) }
            due[uri] = Platform.monotonicSeconds() + debounce
          }
          if let code = reply.exitCode { return code }
        }
      } catch {
        stderr += "Error: \(error.message)\n"
        return 1
      }
      let now = Platform.monotonicSeconds()
      for uri in order where (due[uri] ?? .infinity) <= now {
        due[uri] = nil
        if let notification = server.diagnostics(uri: uri) { guard send(notification) else { return 1 } }
      }
      order.removeAll { due[$0] == nil }
      let wait = due.values.min().map { max(0, $0 - Platform.monotonicSeconds()) }
      switch Platform.read(input, timeout: wait) {
      case .bytes(let bytes): framing.append(bytes)
      case .timeout: continue
      case .closed: return 1
      }
    }
  }
}
