import CircuitDiagram
import CircuitIR

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
      let f = try session.lower(c, try session.entry(of: c), raw: true)
      let svg = DiagramRenderer.render(f, options: options.diagram)
      if let path = options.output, path != "-" {
        do throws(Platform.IOError) {
          try Platform.writeFile(path, svg)
        } catch {
          throw session.fail("\(error)", CommandLineTool.ExitCode.ioError)
        }
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
    var arguments = [path]
    if let entry { arguments += ["--entry", entry] }
    guard let common = try? CommonOptions.parse(arguments) else { return nil }
    let session = Session(common: common, colored: false)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let c = try session.compile()
      return try session.lower(c, try session.entry(of: c), raw: true)
    } catch {
      return nil
    }
  }
}
