import CircuitCodeGenC
import CircuitIR
import CircuitInterpreter
import CircuitNative

/// `circuit build`: compiles the entry circuit into a standalone executable (no Swift runtime)
/// that reads parameters from safetensors and inputs from `.npy` files and writes `.npy` outputs.
enum BuildCommand {

  /// The options of `build`: the common ones and those of code generation.
  typealias Options = CodeGenOptions.Values

  /// The description of `build`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "build", abstract: "Compile a circuit into a standalone executable.",
      overview: "Compile the entry circuit into a standalone executable.",
      discussion: """
        Emits the circuit's C (as 'emit-c' does) plus a C main, and compiles both with $CC
        (default cc) and $CIRCUIT_CFLAGS (default -O3 -march=native) plus -lpthread -lm. The
        executable needs no Swift runtime:
          model --params weights.safetensors --input NAME=x.npy ... --out DIR
        reads the parameters (F32, by full name, see 'circuit params') and every input (.npy,
        C order, the circuit's shape; <f4, <i4 or |b1, and <f8/<i8 narrowed), and writes
        DIR/<name>.npy for named outputs, else DIR/output_0.npy, ... (atomically). Any problem with a file prints one line
        'error: FILE: problem' and exits with 1. 'model --help' lists what it expects.
        Sizes are fixed when building (--size), unless --runtime-sizes names some: the
        executable then runs a runtime-sized template (see 'circuit help run'), reads those
        sizes from its inputs' shapes (each from the first input axis of that length),
        checks every input against them and writes outputs of the matching shapes. The
        --size values are the sample point; the build finds the range of each size over
        which the template equals the program specialised at that shape (checked at the
        range's corners, at the shapes of its search: doubling up to 16384, halving down
        to 1, then bisecting, and at the 16 values nearest each end, for decisions on
        residues), and the executable refuses any other length with 'error: FILE: axis
        ... must be from LO to HI' (rebuild at --size values in the wanted range: the MLP
        at batch 1, say, is another program, a matrix-vector product). 'model --help'
        lists the runtime sizes and their ranges. A size that changes a parameter's shape,
        or is the length of no input axis, is refused at build time.
        With --param-map the map is baked in: the executable looks each parameter up by its
        checkpoint name and rearranges the stored layout itself, so it reads the checkpoint
        as written (no map file at run time).
        """,
      usage: "circuit build [options] <file.circuit> -o <executable>",
      options: [
        .output(\.codegen.output, help: "The executable to write (atomically)."),
        .threads(\.codegen.threads, help: "Threads of the generated pool (default 2)."),
        .plan(\.codegen.preset, help: "Lowering plan: default, unfused, loops, direct, streamed or materialized (see 'emit-c')."),
        .paramMap(\.paramMap, help: "\nBaked into the executable."),
        .buildRuntimeSizes(\.runtimeSizes),
        .entry, .size(), .constant, .stdlib(), .color(),
      ])
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    let parsed = command.parse(arguments, stdout: &stdout, stderr: &stderr)
    guard case .values(let options) = parsed else { return parsed.exitCode }
    let codegen = options.codegen
    guard let path = codegen.output, path != "-" else {
      return CommandLineTool.usageError("Missing '-o <executable>'", usage: "Usage: " + command.usage, stderr: &stderr)
    }
    let session = Session(common: options.common, colored: colored)
    defer { stderr += session.stderr }
    do throws(Session.Failure) {
      let c = try session.compile()
      let entry = try session.entry(of: c)
      let f = try session.lower(c, entry)
      try session.requireOutputPath(path)
      var sized: (sized: CStandalone.Sized, program: CProgram, note: String)? = nil
      if options.runtimeSizes != .off {
        sized = try session.sizedBuild(
          f, compilation: c, entry: entry, preset: codegen.preset, threads: codegen.threads, mode: options.runtimeSizes)
      }
      let program = sized?.program ?? CEmitter.emit(f, plan: .preset(codegen.preset, for: f, threads: codegen.threads))
      let map = try session.readParamMap(options.paramMap, for: f)
      var sources: [CStandalone.ParameterSource] = []
      for p in f.parameters {
        do throws(CheckpointMapError) {
          let s = try map.storage(of: p.name, type: p.type)
          sources.append(CStandalone.ParameterSource(tensor: s.tensor, shape: s.shape, strides: s.strides))
        } catch {
          throw session.fail("\(error)", CommandLineTool.ExitCode.sourceErrors)
        }
      }
      let source =
        sized.map { CStandalone.source(for: f, program: program, sized: $0.sized, sources: sources) }
        ?? CStandalone.source(for: f, program: program, sources: sources)
      let kept: String
      do throws(NativeError) {
        kept = try CCompiler(CompilerEnvironment.configuration).buildExecutable(source, to: path)
      } catch {
        throw session.fail("\(error)", CommandLineTool.ExitCode.internalFailure)
      }
      stderr += "wrote \(path): \(f.inputs.count) input\(f.inputs.count == 1 ? "" : "s"), "
        + "\(f.parameters.count) parameter\(f.parameters.count == 1 ? "" : "s"), "
        + "\(f.outputs.count) output\(f.outputs.count == 1 ? "" : "s"); C source \(kept) (linked with the runtime: circuit emit-c --runtime)\n"
        + (sized.map { "  \($0.note)\n" } ?? "")
      return CommandLineTool.ExitCode.ok
    } catch {
      return error.code
    }
  }
}
