import CircuitIR

/// The C `main` of a standalone executable for one circuit (`circuit build`): appended to the
/// program's source, it reads parameters from a safetensors file and inputs from `.npy` files,
/// validates every file against the circuit's types, calls the entry function and writes each
/// output as `DIR/output_<i>.npy` (through a temporary file and a rename).
///
/// Usage of the executable: `model --params W.safetensors --input NAME=x.npy ... --out DIR`.
/// Any problem prints one line `error: FILE: problem` to standard error and exits with 1.
/// Pure: text only.
public enum CStandalone {

  /// Where a parameter is read from in the checkpoint: a `--param-map` baked into the
  /// executable (`circuit build --param-map`).
  public struct ParameterSource: Sendable {

    /// The tensor's name in the checkpoint.
    public let tensor: String

    /// The stored shape.
    public let shape: [Int]

    /// For each declared axis, its stride (in elements) in the stored tensor.
    public let strides: [Int]

    /// Creates a source.
    public init(tensor: String, shape: [Int], strides: [Int]) {
      (self.tensor, self.shape, self.strides) = (tensor, shape, strides)
    }

    /// The parameter `p` by its own name, stored in its declared layout.
    public static func identity(_ p: IR.Parameter) -> ParameterSource {
      var strides = [Int](repeating: 1, count: p.type.axes.count)
      for a in strides.indices.dropLast().reversed() { strides[a] = strides[a + 1] * p.type.shape[a + 1] }
      return ParameterSource(tensor: p.name, shape: p.type.shape, strides: strides)
    }
  }

  /// The complete source of the executable: `program.source` followed by the `main` for `f`,
  /// reading each parameter from its `sources` entry (by default its own name and layout).
  public static func source(for f: IR.Function, program: CProgram, sources: [ParameterSource]? = nil) -> String {
    program.source + "\n" + main(for: f, entrySymbol: program.entrySymbol, sources: sources)
  }

  /// The `main` text (needs the definitions of the program's source before it).
  /// With `sized`, the executable takes `sized`'s runtime sizes from its inputs' shapes and
  /// calls the template's sized entry (`CStandalone+Sized`); the shapes of inputs and outputs
  /// are then filled in at run time.
  public static func main(
    for f: IR.Function, entrySymbol: String, sources: [ParameterSource]? = nil, sized: Sized? = nil
  ) -> String {
    let sources = sources ?? f.parameters.map(ParameterSource.identity)
    var t = "/* ---- Standalone main (circuit build) ---- */\n"
    t += "#include <stdio.h>\n#include <stdarg.h>\n#include <errno.h>\n#include <sys/stat.h>\n#include <unistd.h>\n\n"
    t += "typedef struct { const char* name; int kind; int rank; const int64_t* shape; int64_t count; } sa_spec_;\n"
    t += specTable("in", f.inputs.map { ($0.name, $0.type) }, mutable: sized != nil)
    t += specTable("par", f.parameters.map { ($0.name, $0.type) })
    t += specTable("out", f.outputs.enumerated().map { (f.outputFileStem($0.offset), f.type(of: $0.element)) }, mutable: sized != nil)
    t += sourceTable(f, sources)
    t += "static const char sa_help_[] = \(literal(help(for: f, sources: sources, sized: sized)));\n"
    if let sized {
      t += "#define SA_ENTRY_ sa_sized_entry_\n#define SA_BIND_SIZES_(files) sa_bind_sizes_(files)\n"
      t += "#define SA_READ_INPUT_(k, path) sa_convert_npy_(path, &sa_opened_[k], &sa_in_[k])\n\n"
      t += body + safeTensorsJSON + safeTensorsReader + sizedFunctions(f, sized) + epilogue
    } else {
      t += "#define SA_ENTRY_ \(entrySymbol)\n#define SA_BIND_SIZES_(files) ((void)0)\n"
      t += "#define SA_READ_INPUT_(k, path) sa_read_npy_(path, &sa_in_[k])\n\n"
      t += body + safeTensorsJSON + safeTensorsReader + epilogue
    }
    return t
  }

  /// `static const sa_spec_ sa_<prefix>_[]` and `SA_N<PREFIX>_`; `mutable`: neither the table
  /// nor its shapes are `const` (a runtime-sized executable fills them in).
  static func specTable(_ prefix: String, _ items: [(String, IR.TensorType)], mutable: Bool = false) -> String {
    var t = ""
    let qualifier = mutable ? "static" : "static const"
    for (k, (_, type)) in items.enumerated() {
      let dims = type.shape.isEmpty ? "0" : type.shape.map(String.init).joined(separator: ", ")
      t += "\(qualifier) int64_t sa_\(prefix)\(k)_shape_[] = {\(dims)};\n"
    }
    let rows = items.enumerated().map { k, item in
      let kind = switch item.1.element {
      case .float32: 0
      case .int32: 1
      case .bool: 2
      }
      return "  {\(literal(item.0)), \(kind), \(item.1.shape.count), sa_\(prefix)\(k)_shape_, \(item.1.count)}"
    }
    t += "#define SA_N\(prefix.uppercased())_ \(items.count)\n"
    t += "\(qualifier) sa_spec_ sa_\(prefix)_[\(max(1, items.count))] = {\n"
    t += rows.isEmpty ? "  {\"\", 0, 0, 0, 0}\n" : rows.joined(separator: ",\n") + "\n"
    t += "};\n"
    return t
  }

  /// `static const sa_source_ sa_src_[]`: each parameter's tensor name, stored shape and
  /// strides.
  static func sourceTable(_ f: IR.Function, _ sources: [ParameterSource]) -> String {
    var t = "typedef struct { const char* name; int rank; const int64_t* shape; const int64_t* strides; int identity; } sa_source_;\n"
    /// `{1, 2}`, or `{0}` when empty.
    func list(_ xs: [Int]) -> String { "{" + (xs.isEmpty ? "0" : xs.map(String.init).joined(separator: ", ")) + "}" }
    var rows: [String] = []
    for (k, (p, s)) in zip(f.parameters, sources).enumerated() {
      t += "static const int64_t sa_src\(k)_shape_[] = \(list(s.shape));\n"
      t += "static const int64_t sa_src\(k)_strides_[] = \(list(s.strides));\n"
      let identity = s.strides == ParameterSource.identity(p).strides
      rows.append("  {\(literal(s.tensor)), \(s.shape.count), sa_src\(k)_shape_, sa_src\(k)_strides_, \(identity ? 1 : 0)}")
    }
    t += "static const sa_source_ sa_src_[\(max(1, rows.count))] = {\n"
    t += rows.isEmpty ? "  {\"\", 0, 0, 0, 1}\n" : rows.joined(separator: ",\n") + "\n"
    return t + "};\n"
  }

  /// The `--help` text: usage, inputs, parameters (with their checkpoint names when a map is
  /// baked in) and outputs.
  static func help(for f: IR.Function, sources: [ParameterSource], sized: Sized? = nil) -> String {
    /// `(2, 28, 28)`.
    func shape(_ dims: [Int]) -> String { tuple(dims.map(String.init)) }
    /// `<f4`.
    func descr(_ t: IR.TensorType) -> String {
      switch t.element {
      case .float32: "<f4"
      case .int32: "<i4"
      case .bool: "|b1"
      }
    }
    var h = "Runs circuit '\(f.name)' (generated by circuit build).\n\n"
    h += "USAGE: <program> --params <weights.safetensors> --input <name=x.npy> ... --out <dir>\n\n"
    h += "INPUTS (all required, .npy, C order):\n"
    if f.inputs.isEmpty { h += "  (none)\n" }
    for (k, i) in f.inputs.enumerated() {
      let dims = sized?.shapes.inputText(k)
      h += "  \(i.name): \(typeText(i.type, dims))  \(descr(i.type)) shape \(dims.map(tuple) ?? shape(i.type.shape))\n"
    }
    h += "\nPARAMETERS (\(f.parameters.count), F32 tensors of the safetensors file, by name):\n"
    for (p, s) in zip(f.parameters, sources) {
      h += "  \(p.name): \(p.type)  shape \(shape(p.type.shape))\n"
      if s.tensor != p.name || s.shape != p.type.shape {
        h += "    from '\(s.tensor)' stored with shape \(shape(s.shape))\n"
      }
    }
    h += "\nOUTPUTS (written as <dir>/<name>.npy for a named output, else <dir>/output_<i>.npy):\n"
    for (k, v) in f.outputs.enumerated() {
      let type = f.type(of: v)
      let dims = sized?.shapes.outputText(k)
      h += "  \(f.outputFileStem(k)).npy: \(typeText(type, dims))  \(descr(type)) shape \(dims.map(tuple) ?? shape(type.shape))\n"
    }
    if let sized { h += sized.helpText(f) }
    h += "\nInputs containing NaN and parameters containing NaN or infinities are refused.\n"
    h += "Any problem prints 'error: FILE: problem' and exits with status 1.\n"
    return h
  }

  /// `type` as text; with `dims` (a runtime-sized executable's dimensions), an axis whose
  /// dimension is not a number shows its name alone (`f32[b y=28 x=28]`).
  static func typeText(_ type: IR.TensorType, _ dims: [String]?) -> String {
    guard let dims else { return "\(type)" }
    let axes = zip(type.axes, dims).map { a, d in Int(d) == nil ? a.name : "\(a.name)=\(d)" }
    return "\(type.element.rawValue)[" + axes.joined(separator: " ") + "]"
  }

  /// `(a, b)`, `(a,)` for one element.
  static func tuple(_ items: [String]) -> String {
    items.count == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ", ") + ")"
  }

  /// `s` as a C string literal.
  static func literal(_ s: String) -> String {
    var out = "\""
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\\"): out += "\\\\"
      case UInt8(ascii: "\""): out += "\\\""
      case UInt8(ascii: "\n"): out += "\\n\"\n  \""
      case 0x20..<0x7f: out += String(UnicodeScalar(b))
      default:
        let o = String(b, radix: 8)
        out += "\\" + String(repeating: "0", count: 3 - o.count) + o
      }
    }
    return out + "\""
  }

  /// The fixed part before the safetensors reader: errors, allocation, files and `.npy` inputs.
  static let body = #"""
    static const char* sa_program_ = "model";

    static void sa_die_(const char* file, const char* format, ...) {
      va_list args;
      va_start(args, format);
      fprintf(stderr, "error: %s: ", file);
      vfprintf(stderr, format, args);
      fputc('\n', stderr);
      va_end(args);
      exit(1);
    }

    /* `count` elements of `width` bytes, refused when negative or not addressable. */
    static size_t sa_bytes_(const char* file, int64_t count, size_t width) {
      if (count < 0 || (uint64_t)count > (SIZE_MAX - 128) / width) sa_die_(file, "%lld elements of %zu bytes is too large", (long long)count, width);
      return (size_t)count * width;
    }

    static void* sa_alloc_(const char* file, size_t bytes) {
      if (bytes > SIZE_MAX - 128) sa_die_(file, "out of memory (%zu bytes)", bytes);
      void* p = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
      if (!p) sa_die_(file, "out of memory (%zu bytes)", bytes);
      memset(p, 0, (bytes + 63) / 64 * 64 + 64);
      return p;
    }

    static unsigned char* sa_read_file_(const char* path, size_t* size) {
      FILE* f = fopen(path, "rb");
      if (!f) sa_die_(path, "cannot open (%s)", strerror(errno));
      struct stat st;
      if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) { fclose(f); sa_die_(path, "not a regular file"); }
      size_t n = (size_t)st.st_size;
      unsigned char* b = malloc(n ? n : 1);
      if (!b) { fclose(f); sa_die_(path, "out of memory (%zu bytes)", n); }
      if (n && fread(b, 1, n, f) != n) { fclose(f); sa_die_(path, "cannot read (%s)", strerror(errno)); }
      fclose(f);
      *size = n;
      return b;
    }

    static void sa_shape_text_(char* out, size_t cap, const int64_t* shape, int rank) {
      size_t used = 0;
      used += (size_t)snprintf(out + used, cap - used, "(");
      for (int i = 0; i < rank && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, i + 1 < rank ? "%lld, " : (rank == 1 ? "%lld," : "%lld"), (long long)shape[i]);
      if (used < cap) snprintf(out + used, cap - used, ")");
    }

    static const char* sa_kind_name_(int kind) { return kind == 0 ? "f32 (<f4)" : kind == 1 ? "i32 (<i4)" : "bool (|b1)"; }

    /* ---- .npy ---- */

    typedef struct { const char* p; const char* e; const char* file; } sa_cursor_;

    static void sa_ws_(sa_cursor_* c) { while (c->p < c->e && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++; }

    static void sa_expect_(sa_cursor_* c, char ch, const char* what) {
      sa_ws_(c);
      if (c->p >= c->e || *c->p != ch) sa_die_(c->file, "malformed %s: expected '%c'", what, ch);
      c->p++;
    }

    static void sa_py_string_(sa_cursor_* c, char* out, size_t cap) {
      sa_ws_(c);
      if (c->p >= c->e || (*c->p != '\'' && *c->p != '"')) sa_die_(c->file, "malformed .npy header: expected a string");
      char q = *c->p++;
      size_t n = 0;
      while (c->p < c->e && *c->p != q) { if (n + 1 < cap) out[n++] = *c->p; c->p++; }
      if (c->p >= c->e) sa_die_(c->file, "malformed .npy header: unterminated string");
      c->p++;
      out[n] = 0;
    }

    static int64_t sa_integer_(sa_cursor_* c, const char* what) {
      sa_ws_(c);
      if (c->p >= c->e || *c->p < '0' || *c->p > '9') sa_die_(c->file, "malformed %s: expected a non-negative integer", what);
      int64_t v = 0;
      while (c->p < c->e && *c->p >= '0' && *c->p <= '9') {
        if (v > ((int64_t)1 << 53)) sa_die_(c->file, "malformed %s: integer too large", what);
        v = v * 10 + (*c->p - '0');
        c->p++;
      }
      if (c->p < c->e && (*c->p == 'L')) c->p++;
      return v;
    }

    /* A .npy file read whole, its header parsed: the data start at `offset`. */
    typedef struct { unsigned char* b; size_t n, offset; char descr[32]; int rank; int64_t shape[32]; } sa_npy_;

    static void sa_open_npy_(const char* path, sa_npy_* o) {
      size_t n;
      unsigned char* b = sa_read_file_(path, &n);
      if (n < 10 || memcmp(b, "\x93NUMPY", 6) != 0) sa_die_(path, "not a .npy file (bad magic)");
      int major = b[6];
      size_t hl, hs;
      if (major == 1) { hl = (size_t)b[8] | ((size_t)b[9] << 8); hs = 10; }
      else if (major == 2 || major == 3) {
        if (n < 12) sa_die_(path, "truncated .npy header");
        hl = (size_t)b[8] | ((size_t)b[9] << 8) | ((size_t)b[10] << 16) | ((size_t)b[11] << 24);
        hs = 12;
      } else sa_die_(path, "unsupported .npy version %d", major);
      if (hl > n - hs) sa_die_(path, "truncated .npy header (%zu bytes declared, %zu present)", hl, n - hs);
      sa_cursor_ c = {(const char*)b + hs, (const char*)b + hs + hl, path};
      char* descr = o->descr;
      char key[64];
      int have_descr = 0, have_fortran = 0, fortran = 0, have_shape = 0, rank = 0;
      int64_t* shape = o->shape;
      descr[0] = 0;
      sa_expect_(&c, '{', ".npy header");
      for (;;) {
        sa_ws_(&c);
        if (c.p < c.e && *c.p == '}') break;
        sa_py_string_(&c, key, sizeof key);
        sa_expect_(&c, ':', ".npy header");
        sa_ws_(&c);
        if (!strcmp(key, "descr")) { sa_py_string_(&c, descr, sizeof o->descr); have_descr = 1; }
        else if (!strcmp(key, "fortran_order")) {
          if (c.e - c.p >= 4 && !memcmp(c.p, "True", 4)) { fortran = 1; c.p += 4; }
          else if (c.e - c.p >= 5 && !memcmp(c.p, "False", 5)) { fortran = 0; c.p += 5; }
          else sa_die_(path, "malformed .npy header: fortran_order is not True or False");
          have_fortran = 1;
        } else if (!strcmp(key, "shape")) {
          sa_expect_(&c, '(', ".npy shape");
          for (;;) {
            sa_ws_(&c);
            if (c.p < c.e && *c.p == ')') { c.p++; break; }
            if (rank >= 32) sa_die_(path, "malformed .npy shape: too many dimensions");
            shape[rank++] = sa_integer_(&c, ".npy shape");
            sa_ws_(&c);
            if (c.p < c.e && *c.p == ',') { c.p++; continue; }
            sa_expect_(&c, ')', ".npy shape");
            break;
          }
          have_shape = 1;
        } else sa_die_(path, "malformed .npy header: unexpected key '%s'", key);
        sa_ws_(&c);
        if (c.p < c.e && *c.p == ',') { c.p++; continue; }
        sa_expect_(&c, '}', ".npy header");
        break;
      }
      if (!have_descr || !have_fortran || !have_shape) sa_die_(path, "malformed .npy header: missing descr, fortran_order or shape");
      if (fortran) sa_die_(path, "fortran_order is True; only C order is supported");
      o->b = b;
      o->n = n;
      o->offset = hs + hl;
      o->rank = rank;
    }

    /* The elements of the opened file `h` (freed) as input `s`: its dtype and shape checked. */
    static void* sa_convert_npy_(const char* path, sa_npy_* opened, const sa_spec_* s) {
      sa_npy_ h = *opened;
      opened->b = 0;
      unsigned char* b = h.b;
      size_t n = h.n;
      const char* descr = h.descr;
      const int64_t* shape = h.shape;
      int rank = h.rank;
      int width = 0, source = -1; /* source: 0 f4, 1 f8, 2 i4, 3 i8, 4 b1 */
      if (s->kind == 0 && !strcmp(descr, "<f4")) { source = 0; width = 4; }
      else if (s->kind == 0 && !strcmp(descr, "<f8")) { source = 1; width = 8; }
      else if (s->kind == 1 && !strcmp(descr, "<i4")) { source = 2; width = 4; }
      else if (s->kind == 1 && !strcmp(descr, "<i8")) { source = 3; width = 8; }
      else if (s->kind == 2 && !strcmp(descr, "|b1")) { source = 4; width = 1; }
      else sa_die_(path, "dtype '%s' but input '%s' is %s", descr, s->name, sa_kind_name_(s->kind));
      int same = rank == s->rank;
      for (int i = 0; same && i < rank; i++) same = shape[i] == s->shape[i];
      if (!same) {
        char got[512], want[512];
        sa_shape_text_(got, sizeof got, shape, rank);
        sa_shape_text_(want, sizeof want, s->shape, s->rank);
        sa_die_(path, "shape %s but input '%s' has shape %s", got, s->name, want);
      }
      size_t count = sa_bytes_(path, s->count, 1), offset = h.offset, need = sa_bytes_(path, s->count, (size_t)width);
      if (n - offset < need) sa_die_(path, "truncated .npy data (%zu bytes, expected %zu)", n - offset, need);
      const unsigned char* d = b + offset;
      void* out = sa_alloc_(path, sa_bytes_(path, s->count, s->kind == 2 ? 1 : 4));
      for (size_t i = 0; i < count; i++) {
        switch (source) {
        case 0: memcpy((float*)out + i, d + 4 * i, 4); break;
        case 1: { double x; memcpy(&x, d + 8 * i, 8); ((float*)out)[i] = (float)x; break; }
        case 2: memcpy((int32_t*)out + i, d + 4 * i, 4); break;
        case 3: {
          int64_t x; memcpy(&x, d + 8 * i, 8);
          if (x < INT32_MIN || x > INT32_MAX) sa_die_(path, "element %zu (%lld) does not fit in i32", i, (long long)x);
          ((int32_t*)out)[i] = (int32_t)x; break;
        }
        default: ((uint8_t*)out)[i] = d[i] != 0; break;
        }
      }
      free(b);
      /* As `circuit run`: NaN inputs are refused (they would propagate silently). */
      if (s->kind == 0)
        for (size_t i = 0; i < count; i++)
          if (isnan(((float*)out)[i])) sa_die_(path, "input '%s' contains NaN (element %zu)", s->name, i);
      return out;
    }

    """#

  /// The rest of `main`: the output writer, argument parsing and the call.
  static let epilogue = #"""
    static void* sa_read_npy_(const char* path, const sa_spec_* s) {
      sa_npy_ h;
      sa_open_npy_(path, &h);
      return sa_convert_npy_(path, &h, s);
    }

    /* ---- outputs ---- */

    static void sa_write_output_(const char* dir, const sa_spec_* s, const void* data) {
      char path[4096], temporary[4200], shape[600], header[1024];
      if ((size_t)snprintf(path, sizeof path, "%s/%s.npy", dir, s->name) >= sizeof path) sa_die_(dir, "path too long");
      snprintf(temporary, sizeof temporary, "%s.%ld.tmp", path, (long)getpid());
      sa_shape_text_(shape, sizeof shape, s->shape, s->rank);
      const char* descr = s->kind == 0 ? "<f4" : s->kind == 1 ? "<i4" : "|b1";
      int len = snprintf(header, sizeof header, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape);
      while ((10 + len + 1) % 64 != 0 && len < (int)sizeof header - 2) header[len++] = ' ';
      header[len++] = '\n';
      unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(len & 255), (unsigned char)(len >> 8)};
      size_t bytes = sa_bytes_(path, s->count, s->kind == 2 ? 1 : 4);
      FILE* f = fopen(temporary, "wb");
      if (!f) sa_die_(temporary, "cannot write (%s)", strerror(errno));
      int ok = fwrite(preamble, 1, 10, f) == 10 && fwrite(header, 1, (size_t)len, f) == (size_t)len
        && (bytes == 0 || fwrite(data, 1, bytes, f) == bytes);
      ok = (fclose(f) == 0) && ok;
      if (!ok || rename(temporary, path) != 0) { unlink(temporary); sa_die_(path, "cannot write (%s)", strerror(errno)); }
    }

    int main(int argc, char** argv) {
      const char* params = 0;
      const char* out = 0;
      const char* inputs[SA_NIN_ + 1] = {0};
      if (argc > 0) sa_program_ = argv[0];
      for (int i = 1; i < argc; i++) {
        const char* a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(sa_help_, stdout); return 0; }
        const char* names[3] = {"--params", "--input", "--out"};
        int which = -1;
        const char* value = 0;
        for (int k = 0; k < 3; k++) {
          size_t m = strlen(names[k]);
          if (!strcmp(a, names[k])) { which = k; if (i + 1 >= argc) sa_die_(sa_program_, "missing value for '%s'", a); value = argv[++i]; break; }
          if (!strncmp(a, names[k], m) && a[m] == '=') { which = k; value = a + m + 1; break; }
        }
        if (which < 0) sa_die_(sa_program_, "unknown argument '%s' (see --help)", a);
        if (which == 0) params = value;
        else if (which == 2) out = value;
        else {
          const char* eq = strchr(value, '=');
          if (!eq || eq == value) sa_die_(sa_program_, "'--input %s' is not NAME=FILE.npy", value);
          int k = -1;
          for (int j = 0; j < SA_NIN_; j++)
            if (strlen(sa_in_[j].name) == (size_t)(eq - value) && !strncmp(sa_in_[j].name, value, (size_t)(eq - value))) k = j;
          if (k < 0) sa_die_(sa_program_, "the circuit has no input '%.*s' (see --help)", (int)(eq - value), value);
          if (inputs[k]) sa_die_(sa_program_, "input '%s' is given twice", sa_in_[k].name);
          inputs[k] = eq + 1;
        }
      }
      for (int k = 0; k < SA_NIN_; k++)
        if (!inputs[k]) sa_die_(sa_program_, "missing --input %s=FILE.npy (see --help)", sa_in_[k].name);
      if (SA_NPAR_ > 0 && !params) sa_die_(sa_program_, "missing --params FILE.safetensors (see --help)");
      if (!out) sa_die_(sa_program_, "missing --out DIR (see --help)");
      SA_BIND_SIZES_(inputs);
      const void* in_data[SA_NIN_ + 1] = {0};
      for (int k = 0; k < SA_NIN_; k++) in_data[k] = SA_READ_INPUT_(k, inputs[k]);
      float** par_data = SA_NPAR_ > 0 ? sa_read_params_(params) : 0;
      const float* par_const[SA_NPAR_ + 1];
      for (int k = 0; k < SA_NPAR_; k++) par_const[k] = par_data[k];
      void* out_data[SA_NOUT_ + 1] = {0};
      for (int k = 0; k < SA_NOUT_; k++) out_data[k] = sa_alloc_(sa_program_, sa_bytes_(sa_program_, sa_out_[k].count, sa_out_[k].kind == 2 ? 1 : 4));
      struct stat st;
      if (stat(out, &st) != 0) {
        if (mkdir(out, 0755) != 0 && errno != EEXIST) sa_die_(out, "cannot create the output directory (%s)", strerror(errno));
      } else if (!S_ISDIR(st.st_mode)) sa_die_(out, "not a directory");
      int status = SA_ENTRY_(in_data, par_const, out_data);
      circuit_release();
      if (status == 1) sa_die_(sa_program_, "an index is out of range in a gather (check the i32 inputs)");
      if (status != 0) sa_die_(sa_program_, "the circuit failed with status %d (out of memory?)", status);
      for (int k = 0; k < SA_NOUT_; k++) sa_write_output_(out, &sa_out_[k], out_data[k]);
      return 0;
    }

    """#
}
