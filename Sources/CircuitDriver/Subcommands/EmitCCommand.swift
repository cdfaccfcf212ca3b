import CircuitCodeGenC
import CircuitIR

/// `circuit emit-c`: writes the entry circuit as one C file (or, with `--runtime`, the runtime
/// every program links with).
enum EmitCCommand {

  /// The options of `emit-c`: the common ones and those of code generation.
  typealias Options = CodeGenOptions.Values

  /// The description of `emit-c`.
  static var command: Subcommand<Options> {
    Subcommand(
      name: "emit-c", abstract: "Write a circuit as a C file.",
      overview: "Write the entry circuit as one C11 (GNU) file.",
      discussion: """
        The file has a prelude of what the program uses (elementwise functions, declarations
        of the runtime: a pthread pool, a packed GEMM on GNU C vector types), one function per
        step, and the entry
          int circuit_<name>(const void* const* inputs, const float* const* params,
                             void* const* outputs)
        taking inputs in order, parameters in declaration order (see 'circuit params') and
        output buffers; it returns 0, or 1 when a gather index is out of range. Sizes are
        specialised as constants. The runtime is the same for every program ('emit-c
        --runtime' writes it). Compile with: cc -O3 -march=native -fPIC -shared model.c
        runtime.c -lm -lpthread.
        """,
      usage: "circuit emit-c [options] <file.circuit> [-o <file.c>]",
      options: [
        .output(\.codegen.output, help: "Where to write the C file (default: standard output)."),
        .flag("--runtime", help: "Write the runtime every program links with instead.") { $0.runtime = true },
        .threads(\.codegen.threads, help: "Threads of the generated pool (default 2)."),
        .plan(
          \.codegen.preset,
          help: """
            Lowering plan: default, unfused (every value in a buffer, loop
            contractions, reversed loop orders, 1 thread), loops (default
            fusion, loop contractions), direct (default, but 3x3
            convolutions as GEMMs, not Winograd: closer rounding, and an
            infinite input stays infinite instead of giving NaN),
            streamed (default, but every attention group streamed: keys
            in blocks through the cache with an online softmax, whatever
            the sequence length) or materialized (default, but attention's
            scores always in memory).
            """),
        .entry, .size(), .constant, .stdlib(), .color(),
      ])
  }

  /// Runs the subcommand.
  static func run(_ arguments: [String], stdout: inout String, stderr: inout String, colored: Bool?)
    -> Int32
  {
    command.run(arguments, stdout: &stdout, stderr: &stderr, colored: colored) { options, session, stdout throws(Session.Failure) in
      let codegen = options.codegen
      let f = try session.lowerEntry()
      let program = CEmitter.emit(f, plan: .preset(codegen.preset, for: f, threads: codegen.threads))
      let text = options.runtime ? CRuntime.source : program.source
      guard let path = codegen.output, path != "-" else {
        stdout += text
        return CommandLineTool.ExitCode.ok
      }
      try session.writeOutput(Array(text.utf8), to: path)
      guard !options.runtime else {
        session.stderr += "wrote \(path): the circuit runtime\n"
        return CommandLineTool.ExitCode.ok
      }
      session.stderr += "wrote \(path): entry \(program.entrySymbol), arena \(program.peakBytes) bytes at peak "
        + "(\(program.unsharedBytes) without reuse)\n"
      return CommandLineTool.ExitCode.ok
    }
  }
}
