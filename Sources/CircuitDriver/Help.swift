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
      --stdlib <dir>          Directory searched for 'import name' (before $CIRCUIT_STDLIB).
      --color <when>          auto, always or never (default: auto).
      -h, --help              Show help information.

    EXIT STATUS: 0 ok, 1 errors in the source, 64 usage error, 70 internal failure,
    74 I/O error.

    """

  /// The help of `subcommand`, if it exists.
  static func text(for subcommand: String) -> String? {
    switch subcommand {
    case "check": check
    case "help": overview
    default: nil
    }
  }
}
