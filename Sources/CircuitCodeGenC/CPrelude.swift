/// The C text a generated program starts with: headers, the program's state (call lock,
/// arena, prepacked operands), `circuit_release`, and, only when the program uses them, the
/// elementwise functions (the interpreter's exact formulas; erf and softmax's exp are
/// vectorisable approximations), vector helpers, the Winograd transforms and the declarations
/// of the circuit runtime (`CRuntime`: thread pool, packed GEMM, row passes), which is
/// compiled once per machine and compiler and linked into every program.
///
/// It expects `CC_PREPACKED_` to be defined before it.
enum CPrelude {

  /// A piece of the prelude: included when the program uses one of `uses` (an identifier
  /// followed by `(` for a function), or always when `uses` is empty.
  struct Section {
    let uses: [String]
    let text: String
  }

  /// The prelude of a program whose own text (steps, entry) is `body`: every section the
  /// body or an included section uses, in the order of `sections`.
  static func text(for body: String) -> String {
    var included = sections.map { $0.uses.isEmpty }
    var used = uses(in: body)
    for k in sections.indices where included[k] { used.formUnion(sectionUses[k]) }
    var changed = true
    while changed {
      changed = false
      for (k, s) in sections.enumerated() where !included[k] && s.uses.contains(where: used.contains) {
        included[k] = true
        used.formUnion(sectionUses[k])
        changed = true
      }
    }
    return zip(sections, included).filter(\.1).map { layout($0.0.text) }.joined()
  }

  /// `text` ending in one newline, and a blank line after it when it spans several lines.
  static func layout(_ text: String) -> String {
    var t = Substring(text)
    while t.last?.isWhitespace == true { t = t.dropLast() }
    return t + (t.contains("\n") ? "\n\n" : "\n")
  }

  /// Every section, in output order (a section comes after those it uses).
  static let sections: [Section] = [
    Section(uses: [], text: includes),
    Section(uses: ["cc_relu_("], text: elementwiseRelu),
    Section(uses: ["cc_exp_nonpositive_("], text: elementwiseExp),
    Section(uses: ["cc_erf_("], text: elementwiseErf),
    Section(uses: ["cc_gelu_("], text: elementwiseGelu),
    Section(uses: ["cc_gelu_tanh_("], text: elementwiseGeluTanh),
    Section(uses: ["cc_sigmoid_("], text: elementwiseSigmoid),
    Section(uses: ["cc_silu_("], text: elementwiseSilu),
    Section(uses: ["cc_rsqrt_("], text: elementwiseRsqrt),
    Section(uses: ["cc_f32_to_i32_("], text: elementwiseF32ToI32),
    Section(uses: ["cc_max_("], text: elementwiseMax),
    Section(uses: ["cc_min_("], text: elementwiseMin),
    Section(uses: ["cc_min_l_("], text: elementwiseMinL),
    Section(uses: [], text: stepMacro + context),
    Section(uses: ["cc_v8_", "cc_load8_(", "cc_store8_("], text: vectors),
    Section(uses: [], text: runtimeInterface),
    Section(uses: ["cc_parallel_("], text: runtimeDeclarations[0]),
    Section(uses: ["cc_gemm_("], text: runtimeDeclarations[1]),
    Section(uses: ["cc_gemm_table_("], text: runtimeDeclarations[2]),
    Section(uses: ["cc_pack_b_("], text: runtimeDeclarations[3]),
    Section(uses: ["cc_row_max_(", "cc_row_exp_sum_(", "cc_row_sum_(", "cc_row_norm_adjoint_(",
      "cc_row_softmax_adjoint_("], text: runtimeDeclarations[4]),
    Section(uses: ["cc_winograd_kernel_("], text: runtimeDeclarations[5]),
    Section(uses: ["cc_attention_rows_("], text: runtimeDeclarations[6]),
    Section(uses: ["cc_gemm_segments_("], text: runtimeDeclarations[7]),
    Section(uses: ["cc_split_("], text: split),
    Section(uses: ["cc_winograd_input_("], text: winogradInput),
    Section(uses: ["cc_winograd_output_("], text: winogradOutput),
    Section(uses: [], text: programState + timers + release),
    Section(uses: ["cc_pack_panels_("], text: panelPacking),
  ]

  /// Headers.
  static let includes = #"""
    #include <math.h>
    #include <pthread.h>
    #include <stdint.h>
    #include <stdlib.h>
    #include <string.h>

    """#

  /// The step attribute (`CC_STEP_`).
  static let stepMacro = #"""
    /* Steps are opaque to interprocedural analysis. gcc 12 (ivopts + local-pure-const) can
       rewrite a step's store address relative to another buffer's induction variable in the
       shared arena, lose the pointer base, take the store for a NULL access, declare the step
       `pure` and delete its call. `noipa` keeps callers from acting on such a verdict; the
       calls are few and each does a whole loop nest, so nothing is lost. */
    #if defined(__GNUC__) && !defined(__clang__)
    #define CC_STEP_ __attribute__((noipa)) static
    #else
    #define CC_STEP_ __attribute__((noinline)) static
    #endif

    """#

  /// The context of a call and the type of a step function (shared with the runtime).
  static let context = #"""
    /* The buffers of one call: entry inputs, parameters, outputs and the arena. */
    typedef struct cc_ctx_ {
      const void* const* inputs;
      const float* const* params;
      void* const* outputs;
      char* arena;
      const void* const* bufs;  /* a shared step's buffers (see the entry), else NULL */
    } cc_ctx_;

    /* One step of a program: does part `part` of `parts` of its work, on pool thread `thread`
       (0 is the caller; a thread's scratch is indexed by it, never by the part). */
    typedef void (*cc_step_)(const cc_ctx_* ctx, int part, int parts, int thread);

    """#

  /// The vector type and its unaligned loads and stores (shared with the runtime).
  static let vectors = #"""
    /* Eight floats in a GNU C vector, loaded and stored unaligned. */
    typedef float cc_v8_ __attribute__((vector_size(32)));
    static inline cc_v8_ cc_load8_(const float* p) { cc_v8_ v; memcpy(&v, p, sizeof v); return v; }
    static inline void cc_store8_(float* p, cc_v8_ v) { memcpy(p, &v, sizeof v); }

    """#

  /// The runtime functions every program calls.
  static let runtimeInterface = #"""
    /* ---- The circuit runtime (compiled once per machine and compiler, linked in) ---- */
    #define CC_RUNTIME_ __attribute__((visibility("hidden")))
    /* The pool size and GEMM blocking of the program, set on its first call (2: out of memory). */
    CC_RUNTIME_ int cc_runtime_start_(int threads, long mc, long kc, long nc);
    /* Stops the pool and frees the runtime's buffers. */
    CC_RUNTIME_ void cc_runtime_release_(void);
    /* Nanoseconds of a monotonic clock. */
    CC_RUNTIME_ double cc_clock_(void);
    /* Around each call: the measured fallback to one thread while late workers stall calls. */
    CC_RUNTIME_ double cc_call_begin_(void);
    CC_RUNTIME_ void cc_call_end_(double start);
    """#

  /// The other runtime functions, each declared when used.
  static let runtimeDeclarations = [
    #"""
        /* Runs `step` as `parts` parts shared by the pool. */
        CC_RUNTIME_ void cc_parallel_(cc_step_ step, const cc_ctx_* ctx, int parts);
        """#,
    #"""
        /* C[m0:m1, n0:n1] = A[m0:m1, :] x B[:, n0:n1] (strided; B's 16-column panels `bp` if packed). */
        CC_RUNTIME_ void cc_gemm_(long m0, long m1, long n0, long n1, long k, const float* a, long rsa, long csa,
                                  const float* b, long rsb, long csb, const float* bp, float* c, long rsc, long csc,
                                  int thread);
        """#,
    #"""
        /* C[0:m, 0:n] = A x B, row r of A at depth p at at[p][r] (a convolution's padded input). */
        CC_RUNTIME_ void cc_gemm_table_(long m, long n, long k, const float* const* at, const float* b, long rsb,
                                        long csb, const float* bp, float* c, long rsc, int thread);
        """#,
    #"""
        /* Packs depth [0, kc) x columns [0, nc) of B into 16-column panels, zero-padded. */
        CC_RUNTIME_ void cc_pack_b_(long kc, long nc, const float* b, long rsb, long csb, float* out);
        """#,
    #"""
        /* Row passes of softmax and layer norm: the largest element (NaN if any), e^(x - peak) in
           place with its sum, the sum of x - center or of its squares in double, and layer
           norm's and softmax's adjoints in place. */
        CC_RUNTIME_ float cc_row_max_(const float* x, long n);
        CC_RUNTIME_ float cc_row_exp_sum_(float* x, long n, float peak);
        CC_RUNTIME_ double cc_row_sum_(const float* x, long n, double center, int squares);
        CC_RUNTIME_ void cc_row_norm_adjoint_(const float* x, float* g, long n, float center, float inverse);
        CC_RUNTIME_ void cc_row_softmax_adjoint_(const float* y, float* g, long n, int log);
        """#,
    #"""
        /* Winograd F(2x2, 3x3) kernel transform: 16 matrices u[xi][o][c] of the 3x3 kernels. */
        CC_RUNTIME_ void cc_winograd_kernel_(long outs, long ins, const float* w, long so, long si, long sh, long sw,
                                             float* u);
        """#,
    CRuntime.attentionProblem
      + "CC_RUNTIME_ void cc_attention_rows_(const cc_attention_* a, long y0, long y1, float* scratch);\n",
    #"""
        /* A convolution's weight gradient over a block of `segs` output rows: C[m0:m1, 0:n] (+)= A x B,
           A's row r at depth (s, t) at x[off[r] + s * sx + t], B's row at y + s * sy + t * rsy. */
        CC_RUNTIME_ void cc_gemm_segments_(long m0, long m1, long n, long segs, long run, long sx, const long* off,
                                           const float* x, const float* y, long sy, long rsy, long csy, float* c,
                                           long rsc, int accumulate, int thread);
        """#,
  ]

  /// `cc_split_`: a part's range of a split loop.
  static let split = #"""
    /* Splits [0, n) into `parts` ranges aligned to `align`; returns range `part`. */
    static inline void cc_split_(long n, long align, int part, int parts, long* lo, long* hi) {
      long blocks = (n + align - 1) / align;
      *lo = cc_min_l_(n, blocks * part / parts * align);
      *hi = cc_min_l_(n, blocks * (part + 1) / parts * align);
    }

    """#

  /// The program's own state: call lock, arena, prepacked operands.
  static let programState = #"""
    /* Serialises calls into the program (the arena and the runtime are shared): the
       runtime's, which its training step takes too. */
    CC_RUNTIME_ extern pthread_mutex_t cc_call_lock_;

    /* The arena of intermediate buffers, allocated on the first call. */
    static char* cc_arena_;

    /* Constant GEMM operands (parameters), packed once by circuit_prepare into 16-column
       panels of full depth, and the parameter each was packed from. A GEMM uses its panels
       only while it is called with that same parameter pointer; otherwise it packs per call. */
    static float* cc_prepacked_[CC_PREPACKED_ + 1];
    static const float* cc_prepacked_from_[CC_PREPACKED_ + 1];

    /* The prepacked panels of operand `j` if they were packed from `source`, else NULL. */
    static inline const float* cc_prepacked_panels_(int j, const float* source) {
      return cc_prepacked_from_[j] == source ? cc_prepacked_[j] : 0;
    }

    """#

  /// `cc_pack_panels_`: `circuit_prepare`'s packing of constant operands into panels, shared
  /// by the pool (a training step repacks its weights before every call).
  static let panelPacking = #"""
    /* A constant operand circuit_prepare packs into 16-column panels: params[param] + offset
       viewed as [depth][columns] at strides (rsb, csb), into cc_prepacked_[slot]. */
    typedef struct cc_panels_job_ { int param, slot; long offset, rsb, csb, depth, columns; } cc_panels_job_;
    typedef struct cc_panels_task_ { const cc_panels_job_* jobs; int count; long panels; } cc_panels_task_;

    /* Part `part` of the panels of every job taken end to end (a job whose panels could not
       be allocated is skipped: its GEMM packs per call). */
    static void cc_pack_panels_part_(const cc_ctx_* ctx, int part, int parts, int thread) {
      (void)thread;
      const cc_panels_task_* t = (const cc_panels_task_*)ctx->bufs[0];
      long lo = t->panels * part / parts, hi = t->panels * (part + 1) / parts, base = 0;
      for (int k = 0; k < t->count && base < hi; ++k) {
        const cc_panels_job_* job = &t->jobs[k];
        long n = (job->columns + 15) / 16;
        long a = lo > base ? lo - base : 0, b = hi - base < n ? hi - base : n;
        if (a < b && cc_prepacked_[job->slot]) {
          long c0 = a * 16, c1 = cc_min_l_(b * 16, job->columns);
          cc_pack_b_(job->depth, c1 - c0, ctx->params[job->param] + job->offset + c0 * job->csb, job->rsb, job->csb,
                     cc_prepacked_[job->slot] + c0 * job->depth);
        }
        base += n;
      }
    }

    /* Packs the `count` jobs' panels on the pool (on the caller alone below 2^16 elements,
       where waking it costs more than it shares) and records the parameter each was packed from. */
    static void cc_pack_panels_(const cc_panels_job_* jobs, int count, const float* const* params) {
      cc_panels_task_ task = {jobs, count, 0};
      long elements = 0;
      for (int k = 0; k < count; ++k) {
        task.panels += (jobs[k].columns + 15) / 16;
        elements += (jobs[k].columns + 15) / 16 * 16 * jobs[k].depth;
      }
      const void* bufs[1] = {&task};
      cc_ctx_ ctx = {0, params, 0, 0, bufs};
      long parts = elements < 65536 ? 1 : cc_min_l_(task.panels, 4 * CC_THREADS_);
      cc_parallel_(cc_pack_panels_part_, &ctx, (int)parts);
      for (int k = 0; k < count; ++k)
        if (cc_prepacked_[jobs[k].slot]) cc_prepacked_from_[jobs[k].slot] = params[jobs[k].param];
    }

    """#

  /// `CC_TIME_`: the step timers.
  static let timers = #"""
    /* Step timers: with -DCC_PROFILE_ each step call in the entry adds its seconds to the
       program's cc_profile_seconds_ (read through circuit_profile); otherwise the bare call. */
    #ifdef CC_PROFILE_
    #define CC_TIME_(k, call) do { double t0_ = cc_clock_(); call; cc_profile_seconds_[k] += 1e-9 * (cc_clock_() - t0_); } while (0)
    #else
    #define CC_TIME_(k, call) call
    #endif

    """#

  /// `circuit_release`.
  static let release = #"""
    /* Stops the pool and frees the arena and prepacked operands (call before dlclose). */
    void circuit_release(void) {
      pthread_mutex_lock(&cc_call_lock_);
      cc_runtime_release_();
      free(cc_arena_);
      cc_arena_ = 0;
      for (int j = 0; j < CC_PREPACKED_; ++j) {
        free(cc_prepacked_[j]);
        cc_prepacked_[j] = 0;
        cc_prepacked_from_[j] = 0;
      }
      pthread_mutex_unlock(&cc_call_lock_);
    }

    """#
}
