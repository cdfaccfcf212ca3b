import CircuitDiagram
import CircuitIR
import CircuitSema
import CircuitSyntax

/// `circuit render`: draws the entry circuit as an SVG neural circuit diagram.
public enum RenderCommand {

  /// The usage line.
  static let usage = "Usage: circuit render [options] <file.circuit>"

  /// The options of `render` beyond the common ones.
  struct Options {
    var output: String? = nil
    var diagram = DiagramOptions()
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    var options = Options()
    let common: CommonOptions
    do throws(CommonOptions.UsageError) {
      common = try CommonOptions.parse(arguments) { name, value throws(CommonOptions.UsageError) in
        var flag = name
        var inline: String? = nil
        if let eq = name.firstIndex(of: "=") {
          flag = String(name[..<eq])
          inline = String(name[name.index(after: eq)...])
        }
        let taken = inline == nil ? 2 : 1
        guard let v = inline ?? value else {
          if ["-o", "--output", "--depth", "--sizes", "--theme"].contains(flag) {
            throw CommonOptions.UsageError(message: "Missing value for '\(flag)'")
          }
          return 0
        }
        switch flag {
        case "-o", "--output": options.output = v
        case "--depth":
          guard let d = Int(v), d >= 0 else {
            throw CommonOptions.UsageError(message: "The value '\(v)' is invalid for '--depth <n>'")
          }
          options.diagram.depth = d
        case "--sizes":
          guard let m = DiagramOptions.SizeMode(rawValue: v) else {
            throw CommonOptions.UsageError(message: "The value '\(v)' is invalid for '--sizes <symbolic|concrete>'")
          }
          options.diagram.sizes = m
        case "--theme":
          guard let t = Theme.Kind(rawValue: v) else {
            throw CommonOptions.UsageError(message: "The value '\(v)' is invalid for '--theme <light|dark>'")
          }
          options.diagram.theme = t
        default: return 0
        }
        return taken
      }
    } catch {
      return CommandLineTool.usageError(error.message, usage: usage, stderr: &stderr)
    }
    if common.help {
      stdout += Help.render
      return CommandLineTool.ExitCode.ok
    }
    guard common.files.count == 1 else {
      return CommandLineTool.usageError(
        "Missing expected argument '<file.circuit>'", usage: usage, stderr: &stderr)
    }
    options.diagram.pathPrefix = Path.normalize(Platform.currentDirectory) + "/"
    let session = Session(common: common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let c = try session.compile()
      let entry = try session.entry(of: c)
      let f = try session.lower(c, entry, raw: true)
      RenderCommand.annotate(&options.diagram, from: c.program, entry: entry)
      let svg = DiagramRenderer.render(f, options: options.diagram)
      if let path = options.output, path != "-" {
        try session.writeOutput(Array(svg.utf8), to: path)
      } else {
        stdout += svg
      }
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }

  /// The raw IR of a file's entry circuit, as `render` draws it (for tests and tools);
  /// nil with the diagnostics in `stderr` when it does not compile.
  public static func function(path: String, entry: String? = nil, stderr: inout String) -> IR.Function? {
    diagram(path: path, entry: entry, stderr: &stderr)?.function
  }

  /// The raw IR of a file's entry circuit and `options` completed with what the IR does not
  /// keep (the legend of derived sizes and the axis bundles), as `render` draws it; nil with
  /// the diagnostics in `stderr` when it does not compile.
  public static func diagram(
    path: String, entry: String? = nil, options: DiagramOptions = .init(), stderr: inout String
  ) -> (function: IR.Function, options: DiagramOptions)? {
    var arguments = [path]
    if let entry { arguments += ["--entry", entry] }
    guard let common = try? CommonOptions.parse(arguments) else { return nil }
    let session = Session(common: common, colored: false)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let c = try session.compile()
      let e = try session.entry(of: c)
      let f = try session.lower(c, e, raw: true)
      var o = options
      annotate(&o, from: c.program, entry: e)
      return (f, o)
    } catch {
      return nil
    }
  }

  /// Fills the legend (top-level `size` lines of the entry's file under `""`, and each
  /// circuit's body `size` lines under its name) and the axis bundles (top-level ones of
  /// every file, then those of circuit bodies; the first declaration of a name wins).
  static func annotate(_ options: inout DiagramOptions, from program: Program, entry: Program.CircuitEntry) {
    func entryOf(_ d: SizeDecl) -> DiagramOptions.LegendEntry {
      .init(name: d.name.name + (d.index.map { "[\($0.name)]" } ?? ""), value: sizeText(d.value))
    }
    func bundle(_ b: BundleDecl) {
      if options.bundles[b.name.name] == nil { options.bundles[b.name.name] = b.members.map(\.name.name) }
    }
    let top = entry.unit.items.compactMap { item -> DiagramOptions.LegendEntry? in
      if case .sizeDecl(let d) = item { return entryOf(d) }
      return nil
    }
    if !top.isEmpty { options.legend[""] = top }
    for unit in program.units {
      for case .bundle(let b) in unit.items { bundle(b) }
    }
    func walk(_ body: [Stmt], _ out: inout [DiagramOptions.LegendEntry]) {
      for s in body {
        switch s.kind {
        case .size(let d): out.append(entryOf(d))
        case .bundle(let b): bundle(b)
        case .loop(let l): walk(l.body, &out)
        case .group(_, let inner): walk(inner, &out)
        default: break
        }
      }
    }
    for c in program.circuits {
      var lines: [DiagramOptions.LegendEntry] = []
      walk(c.decl.body, &lines)
      if !lines.isEmpty { options.legend[c.name] = lines }
    }
  }

  /// A size expression as the legend prints it: `c1/4`, `w0·2^i`, `2·ch[5 − l]`.
  static func sizeText(_ e: SizeExpr) -> String {
    func text(_ e: SizeExpr, _ outer: Int) -> String {
      let (s, level): (String, Int)
      switch e.kind {
      case .literal(let n): (s, level) = (String(n), 9)
      case .name(let n): (s, level) = (n, 9)
      case .overflow(let t): (s, level) = (t, 9)
      case .family(let n, let i): (s, level) = ("\(n)[\(text(i, 0))]", 9)
      case .negate(let x): (s, level) = ("−" + text(x, 3), 3)
      case .rounded(let r, let a, let b): (s, level) = ("\(r.rawValue)(\(text(a, 2))/\(text(b, 3)))", 9)
      case .binary(let op, let a, let b):
        switch op {
        case .add: (s, level) = ("\(text(a, 1)) + \(text(b, 2))", 1)
        case .subtract: (s, level) = ("\(text(a, 1)) − \(text(b, 2))", 1)
        case .multiply: (s, level) = ("\(text(a, 2))·\(text(b, 3))", 2)
        case .divide: (s, level) = ("\(text(a, 2))/\(text(b, 3))", 2)
        case .power: (s, level) = ("\(text(a, 5))^\(text(b, 4))", 4)
        }
      }
      return level < outer ? "(\(s))" : s
    }
    return text(e, 0)
  }
}
