import CircuitCodeGenC
import CircuitIR
import CircuitNative

/// `circuit build`: compiles the entry circuit into a standalone executable (no Swift runtime)
/// that reads parameters from safetensors and inputs from `.npy` files and writes `.npy` outputs.
enum BuildCommand {

  /// The usage line.
  static let usage = "Usage: circuit build [options] <file.circuit> -o <executable>"

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    var output: String? = nil
    var threads = 2
    var preset = LoweringPlan.Preset.default
    let common: CommonOptions
    do throws(CommonOptions.UsageError) {
      common = try CommonOptions.parse(arguments) { name, value throws(CommonOptions.UsageError) in
        switch name {
        case "-o", "--output":
          guard let v = value else { throw CommonOptions.UsageError(message: "Missing value for '\(name)'") }
          output = v
          return 2
        case "--threads":
          guard let v = value, let n = Int(v), n >= 1, n <= 64 else {
            throw CommonOptions.UsageError(message: "The value '\(value ?? "")' is invalid for '--threads <1-64>'")
          }
          threads = n
          return 2
        case "--plan":
          guard let v = value, let p = LoweringPlan.Preset(rawValue: v) else {
            throw CommonOptions.UsageError(message: "The value '\(value ?? "")' is invalid for '--plan <default|unfused|loops>'")
          }
          preset = p
          return 2
        default: return 0
        }
      }
    } catch {
      return CommandLineTool.usageError(error.message, usage: usage, stderr: &stderr)
    }
    if common.help {
      stdout += Help.build
      return CommandLineTool.ExitCode.ok
    }
    guard common.files.count == 1 else {
      return CommandLineTool.usageError("Missing expected argument '<file.circuit>'", usage: usage, stderr: &stderr)
    }
    guard let path = output, path != "-" else {
      return CommandLineTool.usageError("Missing '-o <executable>'", usage: usage, stderr: &stderr)
    }
    let session = Session(common: common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let c = try session.compile()
      let f = try session.lower(c, try session.entry(of: c))
      let program = CEmitter.emit(f, plan: .preset(preset, for: f, threads: threads))
      let source = CStandalone.source(for: f, program: program)
      let kept: String
      do throws(NativeError) {
        kept = try CCompiler(Session.compilerConfiguration).buildExecutable(source, to: path)
      } catch {
        throw session.fail("\(error)", CommandLineTool.ExitCode.internalFailure)
      }
      stderr += "wrote \(path): \(f.inputs.count) input\(f.inputs.count == 1 ? "" : "s"), "
        + "\(f.parameters.count) parameter\(f.parameters.count == 1 ? "" : "s"), "
        + "\(f.outputs.count) output\(f.outputs.count == 1 ? "" : "s"); C source \(kept)\n"
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }
}
