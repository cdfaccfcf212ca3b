/// Options of the subcommands that run a circuit on data (`run`, `grad`, `train`): inputs,
/// parameters, seed, backend, each described once and stored through a key path.
extension Option {

  /// `--input <name=path>` (or a bare `.npz` path), repeatable, appended to `field`.
  static func input(
    _ field: WritableKeyPath<Values, [(name: String?, path: String)]>, _ name: String = "--input",
    help: String = "Read an input from a .npy file (repeatable); its shape also\nfixes sizes not given otherwise."
  ) -> Option {
    .value(name, valueName: "<name=path>", help: help) { values, v throws(UsageError) in
      guard let eq = v.firstIndex(of: "=") else {
        values[keyPath: field].append((nil, v))
        return
      }
      guard eq != v.startIndex, v.index(after: eq) != v.endIndex else {
        throw .invalid(v, for: "\(name) <name=path | path.npz>")
      }
      values[keyPath: field].append((String(v[..<eq]), String(v[v.index(after: eq)...])))
    }
  }

  /// `--params <path>` into `field`.
  static func params(
    _ field: WritableKeyPath<Values, String?>, help: String = "Read parameters from a safetensors file (by full name)."
  ) -> Option {
    .value("--params", valueName: "<path>", help: help) { values, v in values[keyPath: field] = v }
  }

  /// `--param-map <path>` into `field`.
  static func paramMap(_ field: WritableKeyPath<Values, String?>, help extra: String = "") -> Option {
    .value(
      "--param-map", valueName: "<path>",
      help: """
        Map parameter names to the checkpoint's tensor names and
        layouts, one rule a line:
        'enc.*.Wq <- encoder.layer.*.query.weight [(h k) m]'
        ('*' matches within a name segment, '**' across dots).
        """ + extra
    ) { values, v in values[keyPath: field] = v }
  }

  /// `--seed <n>` into `field`.
  static func seed(
    _ field: WritableKeyPath<Values, UInt64>, help: String = "Seed for generated inputs and parameters (default 0)."
  ) -> Option {
    .value("--seed", valueName: "<n>", help: help) { values, v throws(UsageError) in
      guard let s = UInt64(v) else { throw .invalid(v, for: "--seed <n>") }
      values[keyPath: field] = s
    }
  }

  /// `--memory-limit <bytes>` (4G, 512M, …) into `field`: the budget checked before anything
  /// is allocated.
  static func memoryLimit(_ field: WritableKeyPath<Values, Int?>, what: String = "run") -> Option {
    .value(
      "--memory-limit", valueName: "<bytes>",
      help: "Memory the \(what) may use, e.g. 4G (default: the available memory);\nlarger \(what)s are refused before anything is allocated."
    ) { values, v throws(UsageError) in
      guard let n = byteCount(v) else { throw .invalid(v, for: "--memory-limit <bytes>", " (e.g. 4G, 512M)") }
      values[keyPath: field] = n
    }
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

  /// `--backend <c|interp>` into `field`.
  static func backend(_ field: WritableKeyPath<Values, Backend>, help: String = Backend.help) -> Option {
    .value("--backend", valueName: "<c|interp>", help: help) { values, v throws(UsageError) in
      guard let b = Backend(rawValue: v) else { throw .invalid(v, for: "--backend <c|interp>") }
      values[keyPath: field] = b
    }
  }

  /// `--check` into `field`.
  static func check(_ field: WritableKeyPath<Values, Bool>, help: String = Backend.checkHelp) -> Option {
    .flag("--check", help: help) { values in values[keyPath: field] = true }
  }
}

extension Backend {

  /// The help of `--backend`.
  static let help = """
    Run on the interpreter (default) or as generated C compiled
    with $CC (default cc) and $CIRCUIT_CFLAGS (default -O3
    -march=native), cached in $CIRCUIT_CACHE_DIR (default
    ~/.cache/circuit).
    """

  /// The help of `--check`.
  static let checkHelp = """
    Run on both backends; print the C backend's outputs and, per
    output, the largest absolute difference to the interpreter and
    that difference relative to the interpreter output's largest
    magnitude (exit 1 if one exceeds 1e-5).
    """
}
