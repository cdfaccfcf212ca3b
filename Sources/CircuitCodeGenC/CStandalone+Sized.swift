import CircuitIR

extension CStandalone {

  /// What a runtime-sized executable (`circuit build --runtime-sizes`) is built from: the
  /// template, the shapes of inputs and outputs over its sizes, and the box of sizes the build
  /// verified (`lower...upper`, in `sizeNames` order; the executable refuses any other).
  public struct Sized: Sendable {

    /// The template the executable runs.
    public let template: CTemplate

    /// The inputs' and outputs' shapes over the template's sizes.
    public let shapes: SizedShapes

    /// The smallest verified value of each size.
    public let lower: [Int]

    /// The largest verified value of each size.
    public let upper: [Int]

    /// The input axis each size is read from (`SizedShapes.readers`, all present).
    let readers: [(input: Int, axis: Int)]

    /// Creates the description; nil when a size is read from no input axis.
    public init?(template: CTemplate, shapes: SizedShapes, lower: [Int], upper: [Int]) {
      let readers = shapes.readers.compactMap { $0 }
      guard readers.count == template.sizeNames.count else { return nil }
      (self.template, self.shapes, self.lower, self.upper, self.readers) = (template, shapes, lower, upper, readers)
    }

    /// The `--help` lines naming the runtime sizes, where each is read and its range.
    func helpText(_ f: IR.Function) -> String {
      var h = "\nRUNTIME SIZES (read from the inputs' shapes; any other length is refused):\n"
      for (v, name) in template.sizeNames.enumerated() {
        let r = readers[v]
        h += "  \(name) = axis \(r.axis) of input '\(f.inputs[r.input].name)', from \(lower[v]) to \(upper[v])\n"
      }
      return h
    }
  }

  /// The complete source of a runtime-sized executable: the template's source (with its sized
  /// entry) followed by the `main` for `f` (`program` is the program specialised at the sizes
  /// the build sampled at, whose symbols the template shares).
  public static func source(
    for f: IR.Function, program: CProgram, sized: Sized, sources: [ParameterSource]? = nil
  ) -> String {
    sized.template.source(entrySymbol: program.entrySymbol) + "\n"
      + main(for: f, entrySymbol: program.entrySymbol, sources: sources, sized: sized)
  }

  /// The C of a runtime-sized `main`'s size handling: the sizes' names, ranges and readers,
  /// `sa_resolve_shapes_` (every input's and output's shape and count from the sizes),
  /// `sa_bind_sizes_` (reads each input's header, takes each size from its reader axis, checks
  /// its range and every input's shape, naming the axis and the sizes) and the entry wrapper.
  static func sizedFunctions(_ f: IR.Function, _ sized: Sized) -> String {
    let names = sized.template.sizeNames
    let variables = names.indices.map { "sa_size_[\($0)]" }
    /// `{a, b}` of integers.
    func list(_ xs: [Int]) -> String { "{" + xs.map(String.init).joined(separator: ", ") + "}" }
    var w = CWriter()
    w.line("/* ---- Runtime sizes (circuit build --runtime-sizes) ---- */")
    w.line("#define SA_NSIZES_ \(names.count)")
    w.line("static const char* const sa_size_name_[SA_NSIZES_] = {\(names.map(literal).joined(separator: ", "))};")
    w.line("static const int64_t sa_size_lo_[SA_NSIZES_] = \(list(sized.lower));")
    w.line("static const int64_t sa_size_hi_[SA_NSIZES_] = \(list(sized.upper));")
    w.line("static const int sa_size_input_[SA_NSIZES_] = \(list(sized.readers.map(\.input)));")
    w.line("static const int sa_size_axis_[SA_NSIZES_] = \(list(sized.readers.map(\.axis)));")
    w.line("static int64_t sa_size_[SA_NSIZES_];")
    for (k, input) in f.inputs.enumerated() {
      let axes = input.type.names.map(literal).joined(separator: ", ")
      let fixed = input.type.axes.indices.map { sized.shapes.isFixed(input: k, axis: $0) ? 1 : 0 }
      w.line("static const char* const sa_in\(k)_axes_[] = {\(axes.isEmpty ? "0" : axes)};")
      w.line("static const int sa_in\(k)_fixed_[] = \(fixed.isEmpty ? "{0}" : list(fixed));")
    }
    let inputCount = max(1, f.inputs.count)
    let axisTables = f.inputs.indices.map { "sa_in\($0)_axes_" }.joined(separator: ", ")
    let fixedTables = f.inputs.indices.map { "sa_in\($0)_fixed_" }.joined(separator: ", ")
    w.line("static const char* const* const sa_in_axes_[\(inputCount)] = {\(axisTables.isEmpty ? "0" : axisTables)};")
    w.line("static const int* const sa_in_fixed_[\(inputCount)] = {\(fixedTables.isEmpty ? "0" : fixedTables)};")
    w.block("static void sa_resolve_shapes_(void)") { w in
      /// Assigns the dimensions of one table's entry `k` that depend on the sizes, then its count.
      func resolve(_ prefix: String, _ k: Int, _ rank: Int, fixed: (Int) -> Bool, expression: (Int) -> String) {
        for a in 0..<rank where !fixed(a) { w.line("sa_\(prefix)\(k)_shape_[\(a)] = \(expression(a));") }
        let product = (0..<rank).map { "sa_\(prefix)\(k)_shape_[\($0)]" }.joined(separator: " * ")
        w.line("sa_\(prefix)_[\(k)].count = \(product.isEmpty ? "1" : product);")
      }
      for (k, input) in f.inputs.enumerated() {
        resolve("in", k, input.type.axes.count, fixed: { sized.shapes.isFixed(input: k, axis: $0) }) {
          sized.shapes.cExpression(input: k, axis: $0, variables)
        }
      }
      for k in f.outputs.indices {
        resolve("out", k, f.type(of: f.outputs[k]).axes.count, fixed: { sized.shapes.isFixed(output: k, axis: $0) }) {
          sized.shapes.cExpression(output: k, axis: $0, variables)
        }
      }
    }
    return w.text + sizedBinding
  }

  /// The fixed part of the size handling: the sizes as text, `sa_bind_sizes_` and the entry.
  static let sizedBinding = #"""

    /* "y=37 (axis 1 of q.npy), x=30 (axis 1 of k.npy)" */
    static void sa_sizes_text_(char* out, size_t cap, const char* const* files) {
      size_t used = 0;
      out[0] = 0;
      for (int v = 0; v < SA_NSIZES_ && used < cap; v++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s=%lld (axis %d of %s)", v ? ", " : "", sa_size_name_[v],
          (long long)sa_size_[v], sa_size_axis_[v], files[sa_size_input_[v]]);
    }

    /* Every input file, read and its header parsed once: `SA_READ_INPUT_` converts it. */
    static sa_npy_ sa_opened_[SA_NIN_ + 1];

    /* Takes each runtime size from its input axis, refuses sizes outside the verified range
       and any input whose shape is not the circuit's at those sizes. */
    static void sa_bind_sizes_(const char* const* files) {
      sa_npy_* h = sa_opened_;
      for (int k = 0; k < SA_NIN_; k++) sa_open_npy_(files[k], &h[k]);
      for (int k = 0; k < SA_NIN_; k++)
        if (h[k].rank != sa_in_[k].rank)
          sa_die_(files[k], "%d axes but input '%s' has %d", h[k].rank, sa_in_[k].name, sa_in_[k].rank);
      for (int v = 0; v < SA_NSIZES_; v++) {
        int k = sa_size_input_[v], a = sa_size_axis_[v];
        int64_t n = h[k].shape[a];
        if (n < sa_size_lo_[v] || n > sa_size_hi_[v])
          sa_die_(files[k], "axis %d ('%s') of input '%s' has length %lld, but runtime size '%s' must be from %lld to %lld (the range this executable was verified for; see --help)",
            a, sa_in_axes_[k][a], sa_in_[k].name, (long long)n, sa_size_name_[v], (long long)sa_size_lo_[v], (long long)sa_size_hi_[v]);
        sa_size_[v] = n;
      }
      sa_resolve_shapes_();
      char sizes[1024];
      sa_sizes_text_(sizes, sizeof sizes, files);
      for (int k = 0; k < SA_NIN_; k++)
        for (int a = 0; a < h[k].rank; a++)
          if (h[k].shape[a] != sa_in_[k].shape[a]) {
            if (sa_in_fixed_[k][a])
              sa_die_(files[k], "axis %d ('%s') of input '%s' has length %lld, but it is fixed at %lld", a, sa_in_axes_[k][a],
                sa_in_[k].name, (long long)h[k].shape[a], (long long)sa_in_[k].shape[a]);
            sa_die_(files[k], "axis %d ('%s') of input '%s' has length %lld, but the runtime sizes %s make it %lld", a,
              sa_in_axes_[k][a], sa_in_[k].name, (long long)h[k].shape[a], sizes, (long long)sa_in_[k].shape[a]);
          }
    }

    static int sa_sized_entry_(const void* const* inputs, const float* const* params, void* const* outputs) {
      return circuit_sized_entry(sa_size_, inputs, params, outputs);
    }

    """#
}
