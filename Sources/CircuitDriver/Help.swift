/// The help texts, in argument-parser layout.
enum Help {

  /// The one-line usage of the tool.
  static let usageLine = "Usage: circuit <subcommand> [options] <file.circuit>...\n  See 'circuit --help'."

  /// `circuit --help`.
  static let overview = """
    OVERVIEW: A language and compiler for neural circuit diagrams.

    USAGE: circuit <subcommand> [options] <file.circuit>...

    SUBCOMMANDS:
      check                   Type-check circuits; print signatures and parameters.
      run                     Run a circuit on the CPU interpreter.
      params                  List a circuit's parameters with sizes.
      dump-ir                 Print a circuit's IR.
      render                  Draw a circuit as an SVG neural circuit diagram.
      emit-c                  Write a circuit as a self-contained C file.
      build                   Compile a circuit into a standalone executable.
      bench                   Time a circuit on the C backend and the interpreter.
      help <subcommand>       Show help for a subcommand.

    OPTIONS:
      --version               Show the version.
      -h, --help              Show help information.

    See 'circuit help <subcommand>' for detailed help.

    """

  /// `circuit help check`.
  static let check = """
    OVERVIEW: Type-check circuits; print each circuit's signature and parameters.

    For every circuit of each file, prints its signature with symbolic sizes and its
    parameter count. For the entry circuit (--entry, else 'main', else the last circuit),
    prints the signature with the sizes of the file's 'sizes { }' block and any --size
    options, and every parameter with its full name, shape and count.

    USAGE: circuit check [options] <file.circuit>...

    ARGUMENTS:
      <file.circuit>          The files to check.

    OPTIONS:
      --entry <name>          The entry circuit.
      --size <name=value>     Fix a size (repeatable); overrides 'sizes { }'.
      --types                 Also print the type of every statement, symbolically.
      --stdlib <dir>          Directory searched for 'import name' (before $CIRCUIT_STDLIB).
      --color <when>          auto, always or never (default: auto).
      -h, --help              Show help information.

    EXIT STATUS: 0 ok, 1 errors in the source, 64 usage error, 70 internal failure,
    74 I/O error.

    """

  /// `circuit help run`.
  static let run = """
    OVERVIEW: Run a circuit on the CPU interpreter.

    Inputs not given are generated (seeded): f32 standard normal, i32 uniform below the size
    of the table they index, bool fair coins. Parameters not loaded are initialised (seeded):
    explicit initialisers from the source, else uniform in ±1/sqrt(fan_in) for weights that are
    contracted with data, else zeros. Inputs containing NaN, and parameters containing NaN
    or infinities, are refused. Prints each output's type and a summary.

    USAGE: circuit run [options] <file.circuit>

    OPTIONS:
      --entry <name>          The entry circuit.
      --size <name=value>     Fix a size (repeatable); overrides 'sizes { }'.
      --input <name=path>     Read an input from a .npy file (repeatable); its shape also
                              fixes sizes not given otherwise.
      --params <path>         Read parameters from a safetensors file (by full name).
      --param-map <path>      Map parameter names to the checkpoint's tensor names and
                              layouts, one rule a line:
                              'enc.*.Wq <- encoder.layer.*.query.weight [(h k) m]'
      --save-params <path>    Write the parameters used as a safetensors file.
      --seed <n>              Seed for generated inputs and parameters (default 0).
      --memory-limit <bytes>  Memory the run may use, e.g. 4G (default: the available memory);
                              larger runs are refused before anything is allocated.
      --out <dir>             Write outputs as output_0.npy, output_1.npy, …
      --backend <c|interp>    Run on the interpreter (default) or as generated C compiled
                              with $CC (default cc) and $CIRCUIT_CFLAGS (default -O3
                              -march=native), cached in $CIRCUIT_CACHE_DIR (default
                              ~/.cache/circuit).
      --check                 Run on both backends; print the C backend's outputs and, per
                              output, the largest absolute and relative difference to the
                              interpreter (exit 1 if a relative difference exceeds 1e-4).
      --plan <name>           With --backend c or --check: the lowering plan (default,
                              unfused, loops or direct; see 'circuit help emit-c').
      --stdlib <dir>          Directory searched for 'import name'.
      --color <when>          auto, always or never.
      -h, --help              Show help information.

    """

  /// `circuit help params`.
  static let params = """
    OVERVIEW: List the entry circuit's parameters: full names, types and counts.

    USAGE: circuit params [options] <file.circuit>

    OPTIONS:
      --entry <name>          The entry circuit.
      --size <name=value>     Fix a size (repeatable).
      --stdlib <dir>          Directory searched for 'import name'.
      -h, --help              Show help information.

    """

  /// `circuit help render`.
  static let render = """
    OVERVIEW: Draw a circuit as a standalone SVG neural circuit diagram.

    Every axis is a wire labelled with its name; the wires of one tensor are stacked and
    data flows left to right. Calls deeper than --depth are drawn as blocks showing their
    interface wires. Every element carries data-src="file:line:col" and a hover title with
    the tensor type.

    USAGE: circuit render [options] <file.circuit>

    OPTIONS:
      --entry <name>          The entry circuit.
      -o, --output <path>     Write the SVG to a file (atomically); '-' or none: stdout.
      --depth <n>             Expand calls down to this level (default: the deepest level
                              that stays readable).
      --sizes <mode>          symbolic (axis names, default) or concrete (name=size).
      --theme <theme>         light (default) or dark.
      --size <name=value>     Fix a size (repeatable).
      --stdlib <dir>          Directory searched for 'import name'.
      -h, --help              Show help information.

    """

  /// `circuit help dump-ir`.
  static let dumpIR = """
    OVERVIEW: Print the IR of a circuit with its sizes specialised.

    USAGE: circuit dump-ir [options] <file.circuit>

    OPTIONS:
      --entry <name>          The entry circuit.
      --size <name=value>     Fix a size (repeatable).
      --raw                   Print the IR as lowered, before the passes.
      --stdlib <dir>          Directory searched for 'import name'.
      -h, --help              Show help information.

    """

  /// `circuit help emit-c`.
  static let emitC = """
    OVERVIEW: Write the entry circuit as one self-contained C11 (GNU) file.

    The file has a fixed prelude (elementwise functions, a pthread pool, a packed GEMM on
    GNU C vector types), one function per step, and the entry
      int circuit_<name>(const void* const* inputs, const float* const* params,
                         void* const* outputs)
    taking inputs in order, parameters in declaration order (see 'circuit params') and
    output buffers; it returns 0, or 1 when a gather index is out of range. Sizes are
    specialised as constants. Compile with: cc -O3 -march=native -fPIC -shared -lm -lpthread.

    USAGE: circuit emit-c [options] <file.circuit> [-o <file.c>]

    OPTIONS:
      -o, --output <path>     Where to write the C file (default: standard output).
      --threads <n>           Threads of the generated pool (default 2).
      --plan <name>           Lowering plan: default, unfused (every value in a buffer, loop
                              contractions, reversed loop orders, 1 thread), loops (default
                              fusion, loop contractions) or direct (default, but 3x3
                              convolutions as GEMMs, not Winograd: closer rounding, and an
                              infinite input stays infinite instead of giving NaN).
      --entry <name>          The entry circuit.
      --size <name=value>     Fix a size (repeatable).
      --stdlib <dir>          Directory searched for 'import name'.
      -h, --help              Show help information.

    """

  /// `circuit help build`.
  static let build = """
    OVERVIEW: Compile the entry circuit into a standalone executable.

    Emits the circuit's C (as 'emit-c' does) plus a C main, and compiles both with $CC
    (default cc) and $CIRCUIT_CFLAGS (default -O3 -march=native) plus -lpthread -lm. The
    executable needs no Swift runtime:
      model --params weights.safetensors --input NAME=x.npy ... --out DIR
    reads the parameters (F32, by full name, see 'circuit params') and every input (.npy,
    C order, the circuit's shape; <f4, <i4 or |b1, and <f8/<i8 narrowed), and writes
    DIR/output_0.npy, ... (atomically). Any problem with a file prints one line
    'error: FILE: problem' and exits with 1. 'model --help' lists what it expects.
    Sizes are fixed when building (--size).

    USAGE: circuit build [options] <file.circuit> -o <executable>

    OPTIONS:
      -o, --output <path>     The executable to write (atomically).
      --threads <n>           Threads of the generated pool (default 2).
      --plan <name>           Lowering plan: default, unfused, loops or direct (see 'emit-c').
      --entry <name>          The entry circuit.
      --size <name=value>     Fix a size (repeatable).
      --stdlib <dir>          Directory searched for 'import name'.
      -h, --help              Show help information.

    """

  /// `circuit help bench`.
  static let bench = """
    OVERVIEW: Time a circuit on the C backend and on the interpreter.

    Uses generated inputs and initialised parameters (seed 0). After warm-up runs, times
    repeated runs and prints the median time per run, the fastest and slowest run, and
    GFLOP/s (2 per multiply-add of contractions, 1 per other computed element).

    USAGE: circuit bench [options] <file.circuit>

    OPTIONS:
      --backend <c|interp|both>  What to time (default both).
      --plan <name>           Lowering plan of the C backend: default, unfused, loops or
                              direct.
      --threads <n>           Threads of the C backend (default 2).
      --profile               Also time each step of the C program (compiled with step
                              timers) and list the steps by their share of a call.
      --runs <n>              Timed runs per backend (default 20).
      --warmup <n>            Untimed runs first (default 3).
      --max-seconds <s>       Stop timing a backend after this long (default 5; at least
                              3 runs).
      --entry <name>          The entry circuit.
      --size <name=value>     Fix a size (repeatable).
      --stdlib <dir>          Directory searched for 'import name'.
      -h, --help              Show help information.

    """

  /// The help of `subcommand`, if it exists.
  static func text(for subcommand: String) -> String? {
    switch subcommand {
    case "check": check
    case "run": run
    case "dump-ir": dumpIR
    case "render": render
    case "params": params
    case "emit-c": emitC
    case "bench": bench
    case "build": build
    case "help": overview
    default: nil
    }
  }
}
