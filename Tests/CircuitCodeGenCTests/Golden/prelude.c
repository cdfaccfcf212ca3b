#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Elementwise functions (the interpreter's formulas, in float; erf and softmax's exp are
   vectorisable approximations) ---- */
static inline float cc_relu_(float x) { return x > 0 ? x : 0; }
/* Branch-free e^x for x <= 0 (softmax, erf): Cephes' degree-6 polynomial on x - n·ln 2,
   scaled by 2^n through the exponent bits, within ~2 ulp; arguments below -87.3 give
   ~1e-38 instead of denormals. No calls or branches (the clamp is an integer select on
   the bits: below -87.3 means a negative float with larger magnitude bits), so gcc
   vectorises loops using it without -ffast-math. */
static inline float cc_exp_nonpositive_(float x) {
  int32_t xi; memcpy(&xi, &x, sizeof xi);
  int32_t low = -(int32_t)((xi > (int32_t)0xC2AEAC50) & (xi < 0));
  xi = ((int32_t)0xC2AEAC50 & low) | (xi & ~low);
  memcpy(&x, &xi, sizeof x);
  float t = x * 1.44269504088896341f + 12582912.0f;
  float n = t - 12582912.0f;
  int32_t ni; memcpy(&ni, &t, sizeof ni); ni -= 0x4B400000;
  float r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  int32_t bits = (ni + 127) << 23; float s; memcpy(&s, &bits, sizeof s);
  return p * s;
}
/* erf within ~2e-7 absolute (Abramowitz & Stegun 7.1.26 with a vectorisable e^-x²);
   sign handling through the bits keeps it branch-free. */
static inline float cc_erf_(float x) {
  int32_t xi; memcpy(&xi, &x, sizeof xi);
  int32_t sign = xi & (int32_t)0x80000000, ai = xi & 0x7fffffff;
  float a; memcpy(&a, &ai, sizeof a);
  float t = 1.0f / (1.0f + 0.3275911f * a);
  float y = 1.061405429f;
  y = y * t - 1.453152027f;
  y = y * t + 1.421413741f;
  y = y * t - 0.284496736f;
  y = y * t + 0.254829592f;
  y = 1.0f - y * t * cc_exp_nonpositive_(-a * a);
  int32_t yi; memcpy(&yi, &y, sizeof yi); yi ^= sign; memcpy(&y, &yi, sizeof y);
  return y;
}
static inline float cc_gelu_(float x) { return 0.5f * x * (1 + cc_erf_(x * 0.70710678118654752f)); }
static inline float cc_gelu_tanh_(float x) {
  float inner = 0.7978845608028654f * (x + 0.044715f * x * x * x);
  return 0.5f * x * (1 + tanhf(inner));
}
static inline float cc_sigmoid_(float x) {
  if (x >= 0) return 1 / (1 + expf(-x));
  float e = expf(x);
  return e / (1 + e);
}
static inline float cc_silu_(float x) { return x * cc_sigmoid_(x); }
static inline float cc_rsqrt_(float x) { return 1 / sqrtf(x); }
static inline int32_t cc_f32_to_i32_(float x) { return x != x ? 0 : x >= 2147483648.0f ? INT32_MAX : x <= -2147483648.0f ? INT32_MIN : (int32_t)x; }
static inline float cc_max_(float x, float y) { return (x != x || y != y) ? NAN : (x > y ? x : y); }
static inline float cc_min_(float x, float y) { return (x != x || y != y) ? NAN : (x < y ? x : y); }
static inline long cc_min_l_(long x, long y) { return x < y ? x : y; }

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

/* ---- Context and thread pool ---- */
/* The buffers of one call: entry inputs, parameters, outputs and the arena. */
typedef struct cc_ctx_ {
  const void* const* inputs;
  const float* const* params;
  void* const* outputs;
  char* arena;
} cc_ctx_;

/* One step of a program: does part `part` of `parts` of its work, on pool thread `thread`
   (0 is the caller; a thread's scratch is indexed by it, never by the part). */
typedef void (*cc_step_)(const cc_ctx_* ctx, int part, int parts, int thread);

/* A small persistent pool: CC_THREADS_ - 1 workers plus the calling thread. A parallel
   step is cut into more parts than threads; every thread, the caller included, claims
   the next part with one atomic add on `job` (generation << 32 | parts << 16 | next
   part), so a descheduled worker holds back at most the part it claimed, and a worker
   that wakes late finds nothing left. Waiting threads spin briefly, then sleep on a
   condition variable. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake, idle;
  pthread_t workers[CC_THREADS_];
  int started, stopping, count, sleepers, waiting, done;
  unsigned long job;
  unsigned generation;
  cc_step_ step;
  const cc_ctx_* ctx;
  /* The measured fallback: nanoseconds the caller waited for parts claimed by late
     workers in this call; the running cost of a call with the pool and without it;
     calls left before the slower way is tried again; and whether this call is serial. */
  double stalled, parallel_cost, serial_cost;
  int probe_in, serial;
} cc_pool_ = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER};

/* Serialises calls into the program (the arena and pool are shared). */
static pthread_mutex_t cc_call_lock_ = PTHREAD_MUTEX_INITIALIZER;

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

/* Polls (with a pause) before sleeping: a worker given work within this many polls, or
   a caller whose last part finishes within it, pays no futex round trip. Short (tens of
   microseconds), so a waiting thread does not take the core from a descheduled partner. */
#define CC_SPIN_ 2000
static inline void cc_pause_(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static double cc_clock_(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return 1e9 * (double)t.tv_sec + (double)t.tv_nsec;
}

/* Claims and runs parts of the published job until none is left; returns the generation
   of the job found exhausted. */
static unsigned cc_claim_parts_(int thread) {
  for (;;) {
    unsigned long v = __atomic_fetch_add(&cc_pool_.job, 1, __ATOMIC_ACQ_REL);
    int parts = (int)((v >> 16) & 0xffff), part = (int)(v & 0xffff);
    if (part >= parts) return (unsigned)(v >> 32);
    cc_pool_.step(cc_pool_.ctx, part, parts, thread);
    if (__atomic_add_fetch(&cc_pool_.done, 1, __ATOMIC_SEQ_CST) == parts
        && __atomic_load_n(&cc_pool_.waiting, __ATOMIC_SEQ_CST)) {
      pthread_mutex_lock(&cc_pool_.lock);
      pthread_cond_signal(&cc_pool_.idle);
      pthread_mutex_unlock(&cc_pool_.lock);
    }
  }
}

static void* cc_worker_(void* arg) {
  int id = (int)(long)arg;
  unsigned seen = (unsigned)(__atomic_load_n(&cc_pool_.job, __ATOMIC_ACQUIRE) >> 32);
  for (;;) {
    int spins = 0;
    while ((unsigned)(__atomic_load_n(&cc_pool_.job, __ATOMIC_SEQ_CST) >> 32) == seen
           && !__atomic_load_n(&cc_pool_.stopping, __ATOMIC_ACQUIRE)) {
      if (++spins < CC_SPIN_) { cc_pause_(); continue; }
      pthread_mutex_lock(&cc_pool_.lock);
      __atomic_add_fetch(&cc_pool_.sleepers, 1, __ATOMIC_SEQ_CST);
      while ((unsigned)(__atomic_load_n(&cc_pool_.job, __ATOMIC_SEQ_CST) >> 32) == seen
             && !__atomic_load_n(&cc_pool_.stopping, __ATOMIC_ACQUIRE))
        pthread_cond_wait(&cc_pool_.wake, &cc_pool_.lock);
      __atomic_sub_fetch(&cc_pool_.sleepers, 1, __ATOMIC_SEQ_CST);
      pthread_mutex_unlock(&cc_pool_.lock);
      spins = 0;
    }
    if (__atomic_load_n(&cc_pool_.stopping, __ATOMIC_ACQUIRE)) break;
    seen = cc_claim_parts_(id);
  }
  return 0;
}

/* Runs `step` as `parts` parts shared by the pool (all on the caller when the pool has
   one thread, could not start, or the call runs serially). Calls are serialised by
   cc_call_lock_, so only one caller publishes work at a time. */
static __attribute__((unused)) void cc_parallel_(cc_step_ step, const cc_ctx_* ctx, int parts) {
  if (!cc_pool_.started) {
    pthread_mutex_lock(&cc_pool_.lock);
    cc_pool_.count = 1;
    for (int i = 1; i < CC_THREADS_; ++i) {
      if (pthread_create(&cc_pool_.workers[i], 0, cc_worker_, (void*)(long)i) != 0) break;
      cc_pool_.count = i + 1;
    }
    cc_pool_.started = 1;
    pthread_mutex_unlock(&cc_pool_.lock);
  }
  if (cc_pool_.count == 1 || cc_pool_.serial || parts <= 1) {
    for (int p = 0; p < parts; ++p) step(ctx, p, parts, 0);
    return;
  }
  cc_pool_.step = step;
  cc_pool_.ctx = ctx;
  __atomic_store_n(&cc_pool_.done, 0, __ATOMIC_RELAXED);
  unsigned long g = ++cc_pool_.generation;
  __atomic_store_n(&cc_pool_.job, g << 32 | (unsigned long)parts << 16, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&cc_pool_.sleepers, __ATOMIC_SEQ_CST) > 0) {
    pthread_mutex_lock(&cc_pool_.lock);
    pthread_cond_broadcast(&cc_pool_.wake);
    pthread_mutex_unlock(&cc_pool_.lock);
  }
  cc_claim_parts_(0);
  for (int spins = 0; __atomic_load_n(&cc_pool_.done, __ATOMIC_SEQ_CST) < parts; ++spins) {
    if (spins < CC_SPIN_) { cc_pause_(); continue; }
    double t0 = cc_clock_();
    pthread_mutex_lock(&cc_pool_.lock);
    __atomic_store_n(&cc_pool_.waiting, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&cc_pool_.done, __ATOMIC_SEQ_CST) < parts) pthread_cond_wait(&cc_pool_.idle, &cc_pool_.lock);
    __atomic_store_n(&cc_pool_.waiting, 0, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&cc_pool_.lock);
    cc_pool_.stalled += cc_clock_() - t0;
  }
}

/* The measured fallback to one thread, decided per call. A call that waited more than an
   eighth of its time for parts claimed by late workers (the machine is busy) makes the
   next call serial; while calls keep stalling, each runs the way whose last cost was
   lower, trying the other way every 16th call. A call with the pool that does not stall
   ends the fallback, so on a quiet machine every call uses the pool. Returns the call's
   start time for cc_call_end_. */
static double cc_call_begin_(void) {
  cc_pool_.stalled = 0;
  cc_pool_.serial = 0;
  if (cc_pool_.serial_cost > 0) {
    int serial = cc_pool_.serial_cost <= cc_pool_.parallel_cost;
    if (--cc_pool_.probe_in <= 0) { cc_pool_.probe_in = 16; serial = !serial; }
    cc_pool_.serial = serial;
  }
  return CC_THREADS_ > 1 ? cc_clock_() : 0;
}

/* Records the cost of the call that started at `start` (see cc_call_begin_). */
static void cc_call_end_(double start) {
  if (CC_THREADS_ == 1) return;
  double cost = cc_clock_() - start;
  if (cc_pool_.serial) {
    cc_pool_.serial_cost = cost;
    return;
  }
  cc_pool_.parallel_cost = cost;
  if (cc_pool_.stalled <= cost / 8) {
    cc_pool_.serial_cost = 0;
  } else if (cc_pool_.serial_cost == 0) {
    cc_pool_.serial_cost = cost / 2;  /* an optimistic guess: the next call measures it */
    cc_pool_.probe_in = 16;
  }
}

/* Step timers: with -DCC_PROFILE_ each step call in the entry adds its seconds to the
   program's cc_profile_seconds_ (read through circuit_profile); otherwise the bare call. */
#ifdef CC_PROFILE_
#define CC_TIME_(k, call) do { double t0_ = cc_clock_(); call; cc_profile_seconds_[k] += 1e-9 * (cc_clock_() - t0_); } while (0)
#else
#define CC_TIME_(k, call) call
#endif

/* Stops the pool and frees the arena and prepacked operands (call before dlclose). */
void circuit_release(void) {
  pthread_mutex_lock(&cc_call_lock_);
  pthread_mutex_lock(&cc_pool_.lock);
  int count = cc_pool_.started ? cc_pool_.count : 1;
  __atomic_store_n(&cc_pool_.stopping, 1, __ATOMIC_RELEASE);
  pthread_cond_broadcast(&cc_pool_.wake);
  pthread_mutex_unlock(&cc_pool_.lock);
  for (int i = 1; i < count; ++i) pthread_join(cc_pool_.workers[i], 0);
  cc_pool_.started = 0;
  __atomic_store_n(&cc_pool_.stopping, 0, __ATOMIC_RELEASE);
  free(cc_arena_);
  cc_arena_ = 0;
  for (int j = 0; j < CC_PREPACKED_; ++j) {
    free(cc_prepacked_[j]);
    cc_prepacked_[j] = 0;
    cc_prepacked_from_[j] = 0;
  }
  pthread_mutex_unlock(&cc_call_lock_);
}

/* ---- Packed GEMM: 6x16 register tile of GNU C vectors, BLIS-style blocking ---- */
typedef float cc_v8_ __attribute__((vector_size(32)));
#define CC_MR_ 6
#define CC_NR_ 16

static float cc_pack_a_buffer_[CC_THREADS_][CC_MC_ * CC_KC_] __attribute__((aligned(64)));
static float cc_pack_b_buffer_[CC_THREADS_][CC_KC_ * CC_NC_] __attribute__((aligned(64)));

static inline cc_v8_ cc_load8_(const float* p) { cc_v8_ v; memcpy(&v, p, sizeof v); return v; }
static inline void cc_store8_(float* p, cc_v8_ v) { memcpy(p, &v, sizeof v); }

/* Packs rows [0, mc) x depth [0, kc) of A into 6-row panels, depth-major, zero-padded. */
static void cc_pack_a_(long mc, long kc, const float* a, long rsa, long csa, float* restrict out) {
  for (long i = 0; i < mc; i += CC_MR_) {
    long mr = cc_min_l_(CC_MR_, mc - i);
    const float* src = a + i * rsa;
    if (mr == CC_MR_ && rsa == 1) {  /* depth-major A: six adjacent rows per depth */
      for (long p = 0; p < kc; ++p, out += CC_MR_) memcpy(out, src + p * csa, CC_MR_ * sizeof(float));
      continue;
    }
    if (mr == CC_MR_ && csa == 1) {  /* row-major A: a 6-row transpose */
      for (long p = 0; p < kc; ++p, out += CC_MR_)
        for (long r = 0; r < CC_MR_; ++r) out[r] = src[r * rsa + p];
      continue;
    }
    for (long p = 0; p < kc; ++p) {
      long r = 0;
      for (; r < mr; ++r) out[r] = src[r * rsa + p * csa];
      for (; r < CC_MR_; ++r) out[r] = 0;
      out += CC_MR_;
    }
  }
}

/* Packs depth [0, kc) x columns [0, nc) of B into 16-column panels, zero-padded. */
static void cc_pack_b_(long kc, long nc, const float* b, long rsb, long csb, float* restrict out) {
  for (long j = 0; j < nc; j += CC_NR_) {
    long nr = cc_min_l_(CC_NR_, nc - j);
    for (long p = 0; p < kc; ++p) {
      const float* src = b + p * rsb + j * csb;
      if (nr == CC_NR_ && csb == 1) {
        memcpy(out, src, CC_NR_ * sizeof(float));
      } else {
        long c = 0;
        for (; c < nr; ++c) out[c] = src[c * csb];
        for (; c < CC_NR_; ++c) out[c] = 0;
      }
      out += CC_NR_;
    }
  }
}

/* C[0:mr, 0:nr] (+)= A rows x a 16-column B panel over depth kc. Row r of A at depth p is
   a[r * ars + p * acs]; A has `rows` readable rows (rows past them repeat the last one,
   and only rows below mr are stored); or, given a table `at` of depth-row pointers, row r
   of A at depth p is at[p][r0 + r] (the six rows are adjacent). B's sixteen columns at depth p
   start at bp[p * bs] (bs = 16 for a packed panel, B's row stride when read in place). The
   tile is `height` rows (6, or 4 for short remainders: 8 accumulators, no idle rows). */
static inline __attribute__((always_inline)) void cc_micro_body_(
    long kc, const float* a, long ars, long acs, long rows, const float* const* at, long r0,
    const float* restrict bp, long bs, float* c, long rsc, long csc, long mr, long nr, int accumulate,
    int height) {
  const float* restrict a0 = a;
  const float* restrict a1 = a + (rows > 1 ? 1 : 0) * ars;
  const float* restrict a2 = a + (rows > 2 ? 2 : rows - 1) * ars;
  const float* restrict a3 = a + (rows > 3 ? 3 : rows - 1) * ars;
  const float* restrict a4 = a + (rows > 4 ? 4 : rows - 1) * ars;
  const float* restrict a5 = a + (rows > 5 ? 5 : rows - 1) * ars;
  cc_v8_ c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
  cc_v8_ c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
  #pragma GCC unroll 4
  for (long p = 0; p < kc; ++p) {
    cc_v8_ b0 = cc_load8_(bp + bs * p);
    cc_v8_ b1 = cc_load8_(bp + bs * p + 8);
    float x0, x1, x2, x3, x4 = 0, x5 = 0;
    if (at) {
      const float* ap = at[p] + r0;
      x0 = ap[0]; x1 = ap[1]; x2 = ap[2]; x3 = ap[3];
      if (height > 4) { x4 = ap[4]; x5 = ap[5]; }
    } else {
      long q = p * acs;
      x0 = a0[q]; x1 = a1[q]; x2 = a2[q]; x3 = a3[q];
      if (height > 4) { x4 = a4[q]; x5 = a5[q]; }
    }
    c00 += x0 * b0; c01 += x0 * b1;
    c10 += x1 * b0; c11 += x1 * b1;
    c20 += x2 * b0; c21 += x2 * b1;
    c30 += x3 * b0; c31 += x3 * b1;
    if (height > 4) {
      c40 += x4 * b0; c41 += x4 * b1;
      c50 += x5 * b0; c51 += x5 * b1;
    }
  }
  cc_v8_ tile[CC_MR_][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == height && nr == CC_NR_ && csc == 1) {
    for (int r = 0; r < height; ++r) {
      float* row = c + r * rsc;
      if (accumulate) {
        cc_store8_(row, cc_load8_(row) + tile[r][0]);
        cc_store8_(row + 8, cc_load8_(row + 8) + tile[r][1]);
      } else {
        cc_store8_(row, tile[r][0]);
        cc_store8_(row + 8, tile[r][1]);
      }
    }
    return;
  }
  float t[CC_MR_][CC_NR_];
  memcpy(t, tile, sizeof t);
  for (long r = 0; r < mr; ++r)
    for (long j = 0; j < nr; ++j) {
      float* dst = c + r * rsc + j * csc;
      *dst = accumulate ? *dst + t[r][j] : t[r][j];
    }
}

/* A packed into 6-row panels (depth-major, 6 floats per depth). */
static void cc_micro_packed_(long kc, const float* ap, const float* restrict bp, long bs, float* c,
                             long rsc, long csc, long mr, long nr, int accumulate) {
  cc_micro_body_(kc, ap, 1, CC_MR_, CC_MR_, 0, 0, bp, bs, c, rsc, csc, mr, nr, accumulate, CC_MR_);
}

/* A's rows r0… from a table of depth-row pointers (at[p] + r0), B a packed panel. */
static void cc_micro_table_(long kc, const float* const* at, long r0, const float* restrict bp, float* c,
                            long rsc, long mr, long nr, int accumulate) {
  cc_micro_body_(kc, 0, 0, 0, CC_MR_, at, r0, bp, CC_NR_, c, rsc, 1, mr, nr, accumulate, CC_MR_);
}

/* A read in place, row-major (unit stride along depth). */
static void cc_micro_rows_(long kc, const float* a, long rsa, const float* restrict bp, long bs, float* c,
                           long rsc, long csc, long mr, long nr, int accumulate) {
  cc_micro_body_(kc, a, rsa, 1, mr, 0, 0, bp, bs, c, rsc, csc, mr, nr, accumulate, CC_MR_);
}

/* The same for at most four rows. */
static void cc_micro_rows4_(long kc, const float* a, long rsa, const float* restrict bp, long bs, float* c,
                            long rsc, long csc, long mr, long nr, int accumulate) {
  cc_micro_body_(kc, a, rsa, 1, mr, 0, 0, bp, bs, c, rsc, csc, mr, nr, accumulate, 4);
}

/* C[m0:m1, n0:n1] = A[m0:m1, :] x B[:, n0:n1] for strided matrices. B comes packed in
   16-column panels of full depth k (`bp`, prepared once for a constant operand); or, when
   its columns are contiguous and all rows fit one row block (each panel is then read by
   one sweep of micro-tiles), it is read in place (the ragged last panel is packed);
   otherwise it is packed here per block. A is read in place when it is row-major and a
   block has at most 16 panels to multiply (packing would not pay), else packed. */
static __attribute__((unused)) void cc_gemm_(long m0, long m1, long n0, long n1, long k,
                     const float* a, long rsa, long csa, const float* b, long rsb, long csb,
                     const float* bp, float* c, long rsc, long csc, int thread) {
  float* pa = cc_pack_a_buffer_[thread];
  float* pb = cc_pack_b_buffer_[thread];
  for (long jc = n0; jc < n1; jc += CC_NC_) {
    long nc = cc_min_l_(CC_NC_, n1 - jc);
    /* Depth blocks of equal size (at most CC_KC_): no short tail block paying a full pass
       over C (k = 384 runs as 2 x 192, not 256 + 128). */
    long blocks = (k + CC_KC_ - 1) / CC_KC_;
    long kb = blocks > 0 ? (k + blocks - 1) / blocks : 1;
    for (long pc = 0; pc < k; pc += kb) {
      long kc = cc_min_l_(kb, k - pc);
      /* Panel jr (a multiple of 16) of this block: B + jr * 16-column panel offset, bs. */
      const float* panels;
      long panel, whole = 0;
      if (bp) {
        panels = bp + jc * k + pc * CC_NR_;
        panel = k * CC_NR_;
      } else if (csb == 1 && m1 - m0 <= CC_MC_) {
        whole = nc / CC_NR_ * CC_NR_;
        if (whole < nc) cc_pack_b_(kc, nc - whole, b + pc * rsb + jc + whole, rsb, 1, pb);
        panels = pb - whole / CC_NR_ * kc * CC_NR_;
        panel = kc * CC_NR_;
      } else {
        cc_pack_b_(kc, nc, b + pc * rsb + jc * csb, rsb, csb, pb);
        panels = pb;
        panel = kc * CC_NR_;
      }
      for (long ic = m0; ic < m1; ic += CC_MC_) {
        long mc = cc_min_l_(CC_MC_, m1 - ic);
        int rows = csa == 1 && nc <= 16 * CC_NR_;
        if (!rows) cc_pack_a_(mc, kc, a + ic * rsa + pc * csa, rsa, csa, pa);
        for (long jr = 0; jr < nc; jr += CC_NR_) {
          const float* bj = jr < whole ? b + pc * rsb + jc + jr : panels + jr / CC_NR_ * panel;
          long bs = jr < whole ? rsb : CC_NR_, nr = cc_min_l_(CC_NR_, nc - jr);
          float* cj = c + ic * rsc + (jc + jr) * csc;
          if (rows) {
            const float* ai = a + ic * rsa + pc;
            for (long ir = 0, h; ir < mc; ir += h) {
              /* Tiles of 6 rows; 4 for a short rest (7 or 8 rows left: 4 + 4, not 6 + 2). */
              long left = mc - ir;
              h = left == 7 || left == 8 ? 4 : cc_min_l_(CC_MR_, left);
              if (h > 4)
                cc_micro_rows_(kc, ai + ir * rsa, rsa, bj, bs, cj + ir * rsc, rsc, csc, h, nr, pc > 0);
              else
                cc_micro_rows4_(kc, ai + ir * rsa, rsa, bj, bs, cj + ir * rsc, rsc, csc, h, nr, pc > 0);
            }
          } else {
            for (long ir = 0; ir < mc; ir += CC_MR_)
              cc_micro_packed_(kc, pa + ir * kc, bj, bs, cj + ir * rsc, rsc, csc,
                               cc_min_l_(CC_MR_, mc - ir), nr, pc > 0);
          }
        }
      }
    }
  }
}

/* C[0:m, 0:n] (row stride rsc) = A x B where row r of A at depth p is at[p][r] (m rows,
   readable up to a multiple of 6), and B is `bp` (16-column panels of full depth k,
   prepared once) or else packed here per depth block from b (rsb, csb): a convolution
   reading its zero-padded input in place (an implicit im2col). */
static __attribute__((unused)) void cc_gemm_table_(long m, long n, long k, const float* const* at,
                                                   const float* b, long rsb, long csb, const float* bp,
                                                   float* c, long rsc, int thread) {
  float* pb = cc_pack_b_buffer_[thread];
  long blocks = (k + CC_KC_ - 1) / CC_KC_;
  long kb = blocks > 0 ? (k + blocks - 1) / blocks : 1;
  for (long pc = 0; pc < k; pc += kb) {
    long kc = cc_min_l_(kb, k - pc);
    for (long jc = 0; jc < n; jc += CC_NC_) {
      long nc = cc_min_l_(CC_NC_, n - jc);
      const float* panels = bp ? bp + jc * k + pc * CC_NR_ : pb;
      long panel = bp ? k * CC_NR_ : kc * CC_NR_;
      if (!bp) cc_pack_b_(kc, nc, b + pc * rsb + jc * csb, rsb, csb, pb);
      for (long jr = 0; jr < nc; jr += CC_NR_)
        for (long ir = 0; ir < m; ir += CC_MR_)
          cc_micro_table_(kc, at + pc, ir, panels + jr / CC_NR_ * panel, c + ir * rsc + jc + jr, rsc,
                          cc_min_l_(CC_MR_, m - ir), cc_min_l_(CC_NR_, nc - jr), pc > 0);
    }
  }
}

/* ---- Row passes of softmax and layer norm (contiguous rows, 8 lanes at a time) ---- */
typedef int32_t cc_i8_ __attribute__((vector_size(32)));
typedef double cc_d4_ __attribute__((vector_size(32)));
typedef float cc_v4_ __attribute__((vector_size(16)));

/* The largest element of x[0:n], NaN if any element is NaN (-inf for an empty row). */
static inline float cc_row_max_(const float* x, long n) {
  cc_v8_ m = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
  cc_i8_ nan = {0};
  long body = n & ~7L;
  for (long r = 0; r < body; r += 8) {
    cc_v8_ v = cc_load8_(x + r);
    cc_i8_ greater = v > m;
    nan |= v != v;
    m = (cc_v8_)(((cc_i8_)v & greater) | ((cc_i8_)m & ~greater));
  }
  float best = -INFINITY;
  int bad = 0;
  for (int l = 0; l < 8; ++l) { bad |= nan[l]; if (m[l] > best) best = m[l]; }
  for (long r = body; r < n; ++r) { float v = x[r]; bad |= v != v; if (v > best) best = v; }
  return bad ? NAN : best;
}

/* cc_exp_nonpositive_ on eight lanes (the same operations, so the same results). */
static inline cc_v8_ cc_exp_nonpositive8_(cc_v8_ x) {
  cc_i8_ xi = (cc_i8_)x;
  cc_i8_ low = (xi > (int32_t)0xC2AEAC50) & (xi < 0);
  xi = ((int32_t)0xC2AEAC50 & low) | (xi & ~low);
  x = (cc_v8_)xi;
  cc_v8_ t = x * 1.44269504088896341f + 12582912.0f;
  cc_v8_ n = t - 12582912.0f;
  cc_i8_ ni = (cc_i8_)t - 0x4B400000;
  cc_v8_ r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  cc_v8_ p = 1.9875691500e-4f * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  cc_i8_ bits = (ni + 127) << 23;
  return p * (cc_v8_)bits;
}

/* Replaces x[0:n] by e^(x - peak) (arguments <= 0) and returns their sum. */
static inline float cc_row_exp_sum_(float* x, long n, float peak) {
  cc_v8_ acc = {0};
  long body = n & ~7L;
  for (long r = 0; r < body; r += 8) {
    cc_v8_ v = cc_exp_nonpositive8_(cc_load8_(x + r) - peak);
    cc_store8_(x + r, v);
    acc += v;
  }
  float total = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (long r = body; r < n; ++r) { x[r] = cc_exp_nonpositive_(x[r] - peak); total += x[r]; }
  return total;
}

/* The sum of x[0:n] and of (x - center)^2, accumulated in double. */
static inline double cc_row_sum_(const float* x, long n, double center, int squares) {
  cc_d4_ acc0 = {0}, acc1 = {0};
  cc_d4_ c = {center, center, center, center};
  long body = n & ~7L;
  for (long r = 0; r < body; r += 8) {
    cc_v4_ lo, hi;
    memcpy(&lo, x + r, sizeof lo);
    memcpy(&hi, x + r + 4, sizeof hi);
    cc_d4_ a = __builtin_convertvector(lo, cc_d4_) - c, b = __builtin_convertvector(hi, cc_d4_) - c;
    if (squares) { acc0 += a * a; acc1 += b * b; } else { acc0 += a; acc1 += b; }
  }
  cc_d4_ acc = acc0 + acc1;
  double total = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  for (long r = body; r < n; ++r) { double d = (double)x[r] - center; total += squares ? d * d : d; }
  return total;
}

/* Splits [0, n) into `parts` ranges aligned to `align`; returns range `part`. */
static __attribute__((unused)) void cc_split_(long n, long align, int part, int parts, long* lo, long* hi) {
  long blocks = (n + align - 1) / align;
  *lo = cc_min_l_(n, blocks * part / parts * align);
  *hi = cc_min_l_(n, blocks * (part + 1) / parts * align);
}
/* ---- Winograd F(2x2, 3x3): 16 GEMMs over transformed kernels and input patches ---- */

/* Kernel transform U = G g G^T, G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1], of the 3x3 kernel g
   of each (output o, input c) pair, g[i][j] = w[o*so + c*si + i*sh + j*sw]; written as 16
   row-major matrices u[xi][o][c]. */
static __attribute__((unused)) void cc_winograd_kernel_(long outs, long ins, const float* w, long so, long si,
                                                        long sh, long sw, float* u) {
  for (long o = 0; o < outs; ++o)
    for (long c = 0; c < ins; ++c) {
      const float* g = w + o * so + c * si;
      float t[4][3];
      for (int j = 0; j < 3; ++j) {
        float g0 = g[j * sw], g1 = g[sh + j * sw], g2 = g[2 * sh + j * sw];
        t[0][j] = g0; t[1][j] = 0.5f * (g0 + g1 + g2); t[2][j] = 0.5f * (g0 - g1 + g2); t[3][j] = g2;
      }
      for (int i = 0; i < 4; ++i) {
        float a = t[i][0], b = t[i][1], e = t[i][2];
        float r[4] = {a, 0.5f * (a + b + e), 0.5f * (a - b + e), e};
        for (int j = 0; j < 4; ++j) u[((i * 4 + j) * outs + o) * ins + c] = r[j];
      }
    }
}

/* Input transform V = B^T d B, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], of the 4x4 patch d at
   rows 2ty..2ty+3 and columns 2tx..2tx+3 (ty < rows, tx < tiles) of each input channel c (at
   x + c*plane, row stride wp, 2*tiles + 2 readable columns): v[xi][c][ty*tiles + tx], rows of tn.
   Inlined, so that the sizes are constants. */
static inline __attribute__((always_inline, unused)) void cc_winograd_input_(
    long ins, long rows, long tiles, const float* x, long plane, long wp, float* v, long tn) {
  long width = 2 * tiles + 2;
  float r[4][width];
  for (long c = 0; c < ins; ++c)
    for (long ty = 0; ty < rows; ++ty) {
      const float* d0 = x + c * plane + 2 * ty * wp;
      const float *d1 = d0 + wp, *d2 = d1 + wp, *d3 = d2 + wp;
      for (long q = 0; q < width; ++q) {
        r[0][q] = d0[q] - d2[q]; r[1][q] = d1[q] + d2[q]; r[2][q] = d2[q] - d1[q]; r[3][q] = d1[q] - d3[q];
      }
      for (int i = 0; i < 4; ++i) {
        float* v0 = v + (4 * i * ins + c) * tn + ty * tiles;
        float *v1 = v0 + ins * tn, *v2 = v1 + ins * tn, *v3 = v2 + ins * tn;
        const float* ri = r[i];
        for (long tx = 0; tx < tiles; ++tx) {
          float e = ri[2 * tx], o = ri[2 * tx + 1], e2 = ri[2 * tx + 2], o2 = ri[2 * tx + 3];
          v0[tx] = e - e2; v1[tx] = o + e2; v2[tx] = e2 - o; v3[tx] = o - o2;
        }
      }
    }
}

/* Output transform Y = A^T m A, A^T = [1 1 1 0; 0 1 -1 -1], of the products m[xi][o][ty*tiles + tx]
   (rows of tn): the outputs (2ty + a, 2tx + b) of channel o go to y[o*so + (2ty+a)*sh + (2tx+b)*sw],
   those inside height x width only. Inlined, so that the sizes are constants. */
static inline __attribute__((always_inline, unused)) void cc_winograd_output_(
    long outs, long rows, long tiles, const float* m, long tn, float* y, long so, long sh, long sw, long height,
    long width) {
  long st = outs * tn;
  for (long o = 0; o < outs; ++o)
    for (long ty = 0; ty < rows; ++ty) {
      float* y0 = y + o * so + 2 * ty * sh;
      float* y1 = y0 + sh;
      int second = 2 * ty + 1 < height;
      const float* mt = m + o * tn + ty * tiles;
      long tx = 0;
#if defined(__clang__) || __GNUC__ >= 12
      if (sw == 1) /* 8 tiles at a time, the two output columns interleaved */
        for (; tx + 8 <= width / 2; tx += 8) {
          cc_v8_ s[4], t[4];
          for (int j = 0; j < 4; ++j) {
            cc_v8_ a = cc_load8_(mt + j * st + tx), b = cc_load8_(mt + (4 + j) * st + tx);
            cc_v8_ e = cc_load8_(mt + (8 + j) * st + tx), f = cc_load8_(mt + (12 + j) * st + tx);
            s[j] = a + b + e; t[j] = b - e - f;
          }
          cc_v8_ p = s[0] + s[1] + s[2], q = s[1] - s[2] - s[3];
          cc_store8_(y0 + 2 * tx, __builtin_shufflevector(p, q, 0, 8, 1, 9, 2, 10, 3, 11));
          cc_store8_(y0 + 2 * tx + 8, __builtin_shufflevector(p, q, 4, 12, 5, 13, 6, 14, 7, 15));
          if (second) {
            p = t[0] + t[1] + t[2]; q = t[1] - t[2] - t[3];
            cc_store8_(y1 + 2 * tx, __builtin_shufflevector(p, q, 0, 8, 1, 9, 2, 10, 3, 11));
            cc_store8_(y1 + 2 * tx + 8, __builtin_shufflevector(p, q, 4, 12, 5, 13, 6, 14, 7, 15));
          }
        }
#endif
      for (; tx < tiles; ++tx) {
        float s[4], t[4];
        for (int j = 0; j < 4; ++j) {
          float a = mt[j * st + tx], b = mt[(4 + j) * st + tx], e = mt[(8 + j) * st + tx], f = mt[(12 + j) * st + tx];
          s[j] = a + b + e; t[j] = b - e - f;
        }
        int right = 2 * tx + 1 < width;
        y0[2 * tx * sw] = s[0] + s[1] + s[2];
        if (right) y0[(2 * tx + 1) * sw] = s[1] - s[2] - s[3];
        if (second) {
          y1[2 * tx * sw] = t[0] + t[1] + t[2];
          if (right) y1[(2 * tx + 1) * sw] = t[1] - t[2] - t[3];
        }
      }
    }
}
