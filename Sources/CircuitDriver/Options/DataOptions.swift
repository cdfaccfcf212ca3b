extension Option {

  /// `--input <name=path | path.npz>`, repeatable, into `field`.
  static func input(_ field: WritableKeyPath<Values, [(name: String?, path: String)]>, help: String) -> Option {
    .value("--input", valueName: "<name=path>", help: help) { values, v throws(UsageError) in
      guard let eq = v.firstIndex(of: "=") else {
        values[keyPath: field].append((nil, v))
        return
      }
      guard eq != v.startIndex, v.index(after: eq) != v.endIndex else {
        throw .invalid(v, for: "--input <name=path | path.npz>")
      }
      values[keyPath: field].append((String(v[..<eq]), String(v[v.index(after: eq)...])))
    }
  }

  /// `--params <path>` into `field`.
  static func params(_ field: WritableKeyPath<Values, String?>) -> Option {
    .value("--params", valueName: "<path>", help: "Read parameters from a safetensors file (by full name).") {
      $0[keyPath: field] = $1
    }
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
    ) { $0[keyPath: field] = $1 }
  }
}
