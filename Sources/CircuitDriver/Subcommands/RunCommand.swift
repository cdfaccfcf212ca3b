import CircuitCodeGenC
import CircuitDiagnostics
import CircuitIR
import CircuitInterpreter
import CircuitSema
import TensorRuntime

/// `circuit run`: runs a circuit on the interpreter with given or generated inputs and
/// parameters, prints a summary of each output and writes outputs as `.npy`.
enum RunCommand {

  /// Options of `run` beyond the common ones.
  struct Options {
    var inputs: [(name: String?, path: String)] = []
    var params: String? = nil
    var paramMap: String? = nil
    var saveParams: String? = nil
    var seed: UInt64 = 0
    var out: String? = nil
    var backend: Backend = .interp
    var check = false
    var plan: LoweringPlan.Preset = .default
    /// `--memory-limit`: the memory budget in bytes (default: the available memory).
    var memoryLimit: Int? = nil
  }

  /// The usage line.
  static let usage = "Usage: circuit run [options] <file.circuit>"

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    var extra = Options()
    let common: CommonOptions
    do throws(CommonOptions.UsageError) {
      common = try CommonOptions.parse(arguments) { name, value throws(CommonOptions.UsageError) in
        func need() throws(CommonOptions.UsageError) -> String {
          guard let v = value else { throw CommonOptions.UsageError(message: "Missing value for '\(name)'") }
          return v
        }
        switch name {
        case "--input":
          let v = try need()
          if let eq = v.firstIndex(of: "=") {
            guard eq != v.startIndex, v.index(after: eq) != v.endIndex else {
              throw CommonOptions.UsageError(message: "The value '\(v)' is invalid for '--input <name=path | path.npz>'")
            }
            extra.inputs.append((String(v[..<eq]), String(v[v.index(after: eq)...])))
          } else {
            extra.inputs.append((nil, v))
          }
        case "--params": extra.params = try need()
        case "--param-map": extra.paramMap = try need()
        case "--save-params": extra.saveParams = try need()
        case "--out": extra.out = try need()
        case "--backend":
          let v = try need()
          guard let b = Backend(rawValue: v) else {
            throw CommonOptions.UsageError(message: "The value '\(v)' is invalid for '--backend <c|interp>'")
          }
          extra.backend = b
        case "--plan": extra.plan = try CodeGenOptions.plan(value)
        case "--check":
          extra.check = true
          return 1
        case "--memory-limit":
          let v = try need()
          guard let n = RunCommand.byteCount(v) else {
            throw CommonOptions.UsageError(message: "The value '\(v)' is invalid for '--memory-limit <bytes>' (e.g. 4G, 512M)")
          }
          extra.memoryLimit = n
        case "--seed":
          let v = try need()
          guard let s = UInt64(v) else {
            throw CommonOptions.UsageError(message: "The value '\(v)' is invalid for '--seed <n>'")
          }
          extra.seed = s
        default: return 0
        }
        return 2
      }
    } catch {
      return CommandLineTool.usageError(error.message, usage: usage, stderr: &stderr)
    }
    if common.help {
      stdout += Help.run
      return CommandLineTool.ExitCode.ok
    }
    guard common.files.count == 1 else {
      return CommandLineTool.usageError(
        common.files.isEmpty ? "Missing expected argument '<file.circuit>'" : "'run' takes one file",
        usage: usage, stderr: &stderr)
    }
    let session = Session(common: common, colored: colored)
    let code = session.runPipeline(extra, stdout: &stdout)
    stderr += session.stderr
    return code
  }

  /// `4096`, `512K`, `64M`, `4G`: a positive byte count with an optional binary suffix.
  static func byteCount(_ text: String) -> Int? {
    let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
    var digits = Substring(text)
    var shift = 0
    if let last = text.last, let s = shifts[Character(last.uppercased())] {
      shift = s
      digits = digits.dropLast()
    }
    guard let n = Int(digits), n > 0, n <= Int.max >> shift else { return nil }
    return n << shift
  }
}
