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
    contracted with data, else zeros. Prints each output's type and a summary.

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
      --out <dir>             Write outputs as output_0.npy, output_1.npy, …
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

  /// The help of `subcommand`, if it exists.
  static func text(for subcommand: String) -> String? {
    switch subcommand {
    case "check": check
    case "run": run
    case "dump-ir": dumpIR
    case "params": params
    case "help": overview
    default: nil
    }
  }
}
