#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- The circuit runtime: compiled once per machine and compiler, linked into every program ---- */
#pragma GCC visibility push(hidden)
static inline long cc_min_l_(long x, long y) { return x < y ? x : y; }/* Branch-free e^x for x <= 0 (softmax, erf): Cephes' degree-6 polynomial on x - n·ln 2,
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
}/* The buffers of one call: entry inputs, parameters, outputs and the arena. */
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
/* Eight floats in a GNU C vector, loaded and stored unaligned. */
typedef float cc_v8_ __attribute__((vector_size(32)));
static inline cc_v8_ cc_load8_(const float* p) { cc_v8_ v; memcpy(&v, p, sizeof v); return v; }
static inline void cc_store8_(float* p, cc_v8_ v) { memcpy(p, &v, sizeof v); }
/* The program's pool size and GEMM blocking, and each thread's packing buffers for A and B:
   set by the program's first call. */
#define CC_MAX_THREADS_ 64

/* Serialises calls into the program and the runtime's training step: one caller at a
   time publishes work to the pool and uses the arena. */
pthread_mutex_t cc_call_lock_ = PTHREAD_MUTEX_INITIALIZER;
static int cc_threads_ = 1, cc_configured_;
static long cc_mc_ = 6, cc_kc_ = 1, cc_nc_ = 16;
/* The training step's block sums of the gradients' norm (grown as needed, under the call lock). */
static double* cc_norm_sums_;
static long cc_norm_capacity_;
static float* cc_pack_a_buffer_[CC_MAX_THREADS_];
static float* cc_pack_b_buffer_[CC_MAX_THREADS_];

/* A small persistent pool: cc_threads_ - 1 workers plus the calling thread. A parallel
   step is cut into more parts than threads; every thread, the caller included, claims
   the next part with one atomic add on `job` (generation << 32 | parts << 16 | next
   part), so a descheduled worker holds back at most the part it claimed, and a worker
   that wakes late finds nothing left. Waiting threads spin briefly, then sleep on a
   condition variable. */
static struct {
  pthread_mutex_t lock;
  pthread_cond_t wake, idle;
  pthread_t workers[CC_MAX_THREADS_];
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

double cc_clock_(void) {
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
   the program's call lock, so only one caller publishes work at a time. */
void cc_parallel_(cc_step_ step, const cc_ctx_* ctx, int parts) {
  if (!cc_pool_.started) {
    pthread_mutex_lock(&cc_pool_.lock);
    cc_pool_.count = 1;
    for (int i = 1; i < cc_threads_; ++i) {
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
   lower, trying the other way every 16th call. A call with the pool that neither stalls
   nor costs more than the last serial call ends the fallback, so on a quiet machine every
   call uses the pool; on a busy one, a call whose threads happened to run together does
   not hand the next calls back to the pool while serial calls are cheaper. Returns the
   call's start time for cc_call_end_. */
double cc_call_begin_(void) {
  cc_pool_.stalled = 0;
  cc_pool_.serial = 0;
  if (cc_pool_.serial_cost > 0) {
    int serial = cc_pool_.serial_cost <= cc_pool_.parallel_cost;
    if (--cc_pool_.probe_in <= 0) { cc_pool_.probe_in = 16; serial = !serial; }
    cc_pool_.serial = serial;
  }
  return cc_threads_ > 1 ? cc_clock_() : 0;
}

/* Records the cost of the call that started at `start` (see cc_call_begin_). */
void cc_call_end_(double start) {
  if (cc_threads_ == 1) return;
  double cost = cc_clock_() - start;
  if (cc_pool_.serial) {
    cc_pool_.serial_cost = cost;
    return;
  }
  cc_pool_.parallel_cost = cost;
  if (cc_pool_.stalled <= cost / 8) {
    if (cost <= cc_pool_.serial_cost) cc_pool_.serial_cost = 0;
  } else if (cc_pool_.serial_cost == 0) {
    cc_pool_.serial_cost = cost / 2;  /* an optimistic guess: the next call measures it */
    cc_pool_.probe_in = 16;
  }
}

/* Takes the program's pool size (at most CC_MAX_THREADS_) and GEMM blocking, and allocates
   the packing buffers, once: 0, or 2 when memory runs out. */
int cc_runtime_start_(int threads, long mc, long kc, long nc) {
  if (cc_configured_) return 0;
  threads = threads < 1 ? 1 : threads > CC_MAX_THREADS_ ? CC_MAX_THREADS_ : threads;
  for (int t = 0; t < threads; ++t) {
    cc_pack_a_buffer_[t] = aligned_alloc(64, (mc * kc * sizeof(float) + 63) / 64 * 64);
    cc_pack_b_buffer_[t] = aligned_alloc(64, (kc * nc * sizeof(float) + 63) / 64 * 64);
    if (!cc_pack_a_buffer_[t] || !cc_pack_b_buffer_[t]) {
      for (int u = 0; u <= t; ++u) {
        free(cc_pack_a_buffer_[u]);
        free(cc_pack_b_buffer_[u]);
        cc_pack_a_buffer_[u] = cc_pack_b_buffer_[u] = 0;
      }
      return 2;
    }
  }
  cc_threads_ = threads;
  cc_mc_ = mc;
  cc_kc_ = kc;
  cc_nc_ = nc;
  cc_configured_ = 1;
  return 0;
}

/* Stops the pool and frees the packing buffers (the program calls it before dlclose). */
void cc_runtime_release_(void) {
  pthread_mutex_lock(&cc_pool_.lock);
  int count = cc_pool_.started ? cc_pool_.count : 1;
  __atomic_store_n(&cc_pool_.stopping, 1, __ATOMIC_RELEASE);
  pthread_cond_broadcast(&cc_pool_.wake);
  pthread_mutex_unlock(&cc_pool_.lock);
  for (int i = 1; i < count; ++i) pthread_join(cc_pool_.workers[i], 0);
  cc_pool_.started = 0;
  __atomic_store_n(&cc_pool_.stopping, 0, __ATOMIC_RELEASE);
  for (int t = 0; t < CC_MAX_THREADS_; ++t) {
    free(cc_pack_a_buffer_[t]);
    free(cc_pack_b_buffer_[t]);
    cc_pack_a_buffer_[t] = cc_pack_b_buffer_[t] = 0;
  }
  free(cc_norm_sums_);
  cc_norm_sums_ = 0;
  cc_norm_capacity_ = 0;
  cc_configured_ = 0;
}
/* ---- Packed GEMM: 6x16 register tile of GNU C vectors, BLIS-style blocking ---- */
#define CC_MR_ 6
#define CC_NR_ 16

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

/* Rows p..p+7 of 8 columns of a B whose rows are adjacent (column c at b + c * stride),
   transposed into the first 8 floats of 8 panel rows at `out` (an exact copy). */
static inline void cc_pack_transposed8_(const float* b, long stride, float* out) {
  cc_v8_ r0 = cc_load8_(b), r1 = cc_load8_(b + stride), r2 = cc_load8_(b + 2 * stride), r3 = cc_load8_(b + 3 * stride);
  cc_v8_ r4 = cc_load8_(b + 4 * stride), r5 = cc_load8_(b + 5 * stride), r6 = cc_load8_(b + 6 * stride), r7 = cc_load8_(b + 7 * stride);
  /* Interleave pairs of columns, then pairs of pairs, then the two halves. */
  cc_v8_ t0 = __builtin_shufflevector(r0, r1, 0, 8, 1, 9, 4, 12, 5, 13), t1 = __builtin_shufflevector(r0, r1, 2, 10, 3, 11, 6, 14, 7, 15);
  cc_v8_ t2 = __builtin_shufflevector(r2, r3, 0, 8, 1, 9, 4, 12, 5, 13), t3 = __builtin_shufflevector(r2, r3, 2, 10, 3, 11, 6, 14, 7, 15);
  cc_v8_ t4 = __builtin_shufflevector(r4, r5, 0, 8, 1, 9, 4, 12, 5, 13), t5 = __builtin_shufflevector(r4, r5, 2, 10, 3, 11, 6, 14, 7, 15);
  cc_v8_ t6 = __builtin_shufflevector(r6, r7, 0, 8, 1, 9, 4, 12, 5, 13), t7 = __builtin_shufflevector(r6, r7, 2, 10, 3, 11, 6, 14, 7, 15);
  cc_v8_ u0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13), u1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
  cc_v8_ u2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13), u3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
  cc_v8_ u4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13), u5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
  cc_v8_ u6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13), u7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
  cc_store8_(out, __builtin_shufflevector(u0, u4, 0, 1, 2, 3, 8, 9, 10, 11));
  cc_store8_(out + CC_NR_, __builtin_shufflevector(u1, u5, 0, 1, 2, 3, 8, 9, 10, 11));
  cc_store8_(out + 2 * CC_NR_, __builtin_shufflevector(u2, u6, 0, 1, 2, 3, 8, 9, 10, 11));
  cc_store8_(out + 3 * CC_NR_, __builtin_shufflevector(u3, u7, 0, 1, 2, 3, 8, 9, 10, 11));
  cc_store8_(out + 4 * CC_NR_, __builtin_shufflevector(u0, u4, 4, 5, 6, 7, 12, 13, 14, 15));
  cc_store8_(out + 5 * CC_NR_, __builtin_shufflevector(u1, u5, 4, 5, 6, 7, 12, 13, 14, 15));
  cc_store8_(out + 6 * CC_NR_, __builtin_shufflevector(u2, u6, 4, 5, 6, 7, 12, 13, 14, 15));
  cc_store8_(out + 7 * CC_NR_, __builtin_shufflevector(u3, u7, 4, 5, 6, 7, 12, 13, 14, 15));
}

/* Packs depth [0, kc) x columns [0, nc) of B into 16-column panels, zero-padded. A B whose
   rows are adjacent (a transposed weight) goes through 8 x 8 transposes. */
void cc_pack_b_(long kc, long nc, const float* b, long rsb, long csb, float* restrict out) {
  for (long j = 0; j < nc; j += CC_NR_) {
    long nr = cc_min_l_(CC_NR_, nc - j);
    long p = 0;
    if (nr == CC_NR_ && rsb == 1 && csb != 1)
      for (; p + 8 <= kc; p += 8, out += 8 * CC_NR_) {
        cc_pack_transposed8_(b + p + j * csb, csb, out);
        cc_pack_transposed8_(b + p + (j + 8) * csb, csb, out + 8);
      }
    for (; p < kc; ++p) {
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

/* Stores (or adds, when `accumulate`) rows [0, mr) and columns [0, nr) of a micro-tile of
   `height` rows to C (row stride rsc, column stride csc). */
static inline __attribute__((always_inline)) void cc_micro_store_(
    cc_v8_ tile[CC_MR_][2], float* c, long rsc, long csc, long mr, long nr, int accumulate, int height) {
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
  cc_micro_store_(tile, c, rsc, csc, mr, nr, accumulate, height);
}

/* A packed into 6-row panels (depth-major, 6 floats per depth). */
static void cc_micro_packed_(long kc, const float* ap, const float* restrict bp, long bs, float* c,
                             long rsc, long csc, long mr, long nr, int accumulate) {
  cc_micro_body_(kc, ap, 1, CC_MR_, CC_MR_, 0, 0, bp, bs, c, rsc, csc, mr, nr, accumulate, CC_MR_);
}

/* The machine probe's kernel (circuit cost --machine): `calls` calls of the micro-kernel on
   one 6×16 tile of packed panels of depth kc, every result kept. */
void cc_micro_repeat_(long calls, long kc, const float* ap, const float* bp, float* c) {
  for (long k = 0; k < calls; ++k) {
    cc_micro_packed_(kc, ap, bp, CC_NR_, c, CC_NR_, 1, CC_MR_, CC_NR_, 1);
    __asm__ volatile("" : : "r"(c) : "memory");
  }
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

/* A read in place, depth-major (unit stride along rows: a transposed operand such as an
   attention head's `dSᵀ`), six rows (or at most four, `height`). */
static void cc_micro_depth_(long kc, const float* a, long csa, const float* restrict bp, long bs, float* c,
                            long rsc, long csc, long mr, long nr, int accumulate, int height) {
  if (height > 4)
    cc_micro_body_(kc, a, 1, csa, mr, 0, 0, bp, bs, c, rsc, csc, mr, nr, accumulate, CC_MR_);
  else
    cc_micro_body_(kc, a, 1, csa, mr, 0, 0, bp, bs, c, rsc, csc, mr, nr, accumulate, 4);
}

/* C[m0:m1, n0:n1] = A[m0:m1, :] x B[:, n0:n1] for strided matrices. B comes packed in
   16-column panels of full depth k (`bp`, prepared once for a constant operand); or, when
   its columns are contiguous and all rows fit one row block (each panel is then read by
   one sweep of micro-tiles), it is read in place (the ragged last panel is packed);
   otherwise it is packed here per block. A is read in place when it is row-major (or
   depth-major over a short depth) and a block has at most 16 panels to multiply
   (packing would not pay), else packed. */
void cc_gemm_(long m0, long m1, long n0, long n1, long k, const float* a, long rsa, long csa, const float* b, long rsb, long csb,
                     const float* bp, float* c, long rsc, long csc, int thread) {
  float* pa = cc_pack_a_buffer_[thread];
  float* pb = cc_pack_b_buffer_[thread];
  for (long jc = n0; jc < n1; jc += cc_nc_) {
    long nc = cc_min_l_(cc_nc_, n1 - jc);
    /* Depth blocks of equal size (at most cc_kc_): no short tail block paying a full pass
       over C (k = 384 runs as 2 x 192, not 256 + 128). */
    long blocks = (k + cc_kc_ - 1) / cc_kc_;
    long kb = blocks > 0 ? (k + blocks - 1) / blocks : 1;
    for (long pc = 0; pc < k; pc += kb) {
      long kc = cc_min_l_(kb, k - pc);
      /* Panel jr (a multiple of 16) of this block: B + jr * 16-column panel offset, bs. */
      const float* panels;
      long panel, whole = 0;
      if (bp) {
        panels = bp + jc * k + pc * CC_NR_;
        panel = k * CC_NR_;
      } else if (csb == 1 && m1 - m0 <= cc_mc_) {
        whole = nc / CC_NR_ * CC_NR_;
        if (whole < nc) cc_pack_b_(kc, nc - whole, b + pc * rsb + jc + whole, rsb, 1, pb);
        panels = pb - whole / CC_NR_ * kc * CC_NR_;
        panel = kc * CC_NR_;
      } else {
        cc_pack_b_(kc, nc, b + pc * rsb + jc * csb, rsb, csb, pb);
        panels = pb;
        panel = kc * CC_NR_;
      }
      for (long ic = m0; ic < m1; ic += cc_mc_) {
        long mc = cc_min_l_(cc_mc_, m1 - ic);
        /* A depth-major A (an attention head's dSᵀ) is read in place too when its block
           touches at most 128 lines of depth (8 KiB, as a packed block would hold) at a
           stride that is no multiple of 4 KiB (which would put them all in one L1 set). */
        int rows = (csa == 1 || (rsa == 1 && kc <= 128 && csa % 1024 != 0)) && nc <= 16 * CC_NR_;
        if (!rows) cc_pack_a_(mc, kc, a + ic * rsa + pc * csa, rsa, csa, pa);
        for (long jr = 0; jr < nc; jr += CC_NR_) {
          const float* bj = jr < whole ? b + pc * rsb + jc + jr : panels + jr / CC_NR_ * panel;
          long bs = jr < whole ? rsb : CC_NR_, nr = cc_min_l_(CC_NR_, nc - jr);
          float* cj = c + ic * rsc + (jc + jr) * csc;
          if (rows) {
            const float* ai = a + ic * rsa + pc * csa;
            for (long ir = 0, h; ir < mc; ir += h) {
              /* Tiles of 6 rows; 4 for a short rest (7 or 8 rows left: 4 + 4, not 6 + 2). */
              long left = mc - ir;
              h = left == 7 || left == 8 ? 4 : cc_min_l_(CC_MR_, left);
              if (csa != 1)
                cc_micro_depth_(kc, ai + ir, csa, bj, bs, cj + ir * rsc, rsc, csc, h, nr, pc > 0, (int)h);
              else if (h > 4)
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
void cc_gemm_table_(long m, long n, long k, const float* const* at, const float* b, long rsb, long csb,
                    const float* bp, float* c, long rsc, int thread) {
  float* pb = cc_pack_b_buffer_[thread];
  long blocks = (k + cc_kc_ - 1) / cc_kc_;
  long kb = blocks > 0 ? (k + blocks - 1) / blocks : 1;
  for (long pc = 0; pc < k; pc += kb) {
    long kc = cc_min_l_(kb, k - pc);
    for (long jc = 0; jc < n; jc += cc_nc_) {
      long nc = cc_min_l_(cc_nc_, n - jc);
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

/* The weight gradient of a stride-1 convolution over one block of `segs` output rows,
   without an im2col: C[m0:m1, 0:n] (+)= A x B over depth (s, t), s < segs, t < run. Row r of
   A at depth (s, t) is x[off[r] + s * sx + t] (a run of the zero-padded input: r is an
   input channel and window offset); B's row (s, t) is y + s * sy + t * rsy, its columns at
   stride csy (the output's gradient at output row s, column t). B's whole 16-column panels
   are read in place when csy is 1, the others packed per segment (at most kc x nc floats). */
void cc_gemm_segments_(long m0, long m1, long n, long segs, long run, long sx, const long* off, const float* x,
                       const float* y, long sy, long rsy, long csy, float* c, long rsc, int accumulate,
                       int thread) {
  float* pb = cc_pack_b_buffer_[thread];
  long whole = csy == 1 ? n / CC_NR_ * CC_NR_ : 0, packed = (n - whole + CC_NR_ - 1) / CC_NR_ * CC_NR_;
  if (whole < n)
    for (long s = 0; s < segs; ++s)
      cc_pack_b_(run, n - whole, y + s * sy + whole * csy, rsy, csy, pb + s * run * packed);
  for (long ir = m0; ir < m1; ir += CC_MR_) {
    long mr = cc_min_l_(CC_MR_, m1 - ir);
    const float* rp[CC_MR_];
    for (long r = 0; r < CC_MR_; ++r) rp[r] = x + off[ir + cc_min_l_(r, mr - 1)];
    for (long jr = 0; jr < n; jr += CC_NR_) {
      long nr = cc_min_l_(CC_NR_, n - jr);
      /* Panel jr: in place (segment stride sy, depth stride rsy) or packed (run x 16 per segment). */
      const float* b = jr < whole ? y + jr : pb + (jr - whole) / CC_NR_ * CC_NR_ * run;
      long sb = jr < whole ? sy : run * packed, bs = jr < whole ? rsy : CC_NR_;
      cc_v8_ c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0};
      cc_v8_ c30 = {0}, c31 = {0}, c40 = {0}, c41 = {0}, c50 = {0}, c51 = {0};
      for (long s = 0; s < segs; ++s) {
        const float* restrict a0 = rp[0] + s * sx;
        const float* restrict a1 = rp[1] + s * sx;
        const float* restrict a2 = rp[2] + s * sx;
        const float* restrict a3 = rp[3] + s * sx;
        const float* restrict a4 = rp[4] + s * sx;
        const float* restrict a5 = rp[5] + s * sx;
        const float* restrict bq = b + s * sb;
        #pragma GCC unroll 4
        for (long t = 0; t < run; ++t) {
          cc_v8_ b0 = cc_load8_(bq + bs * t);
          cc_v8_ b1 = cc_load8_(bq + bs * t + 8);
          float x0 = a0[t], x1 = a1[t], x2 = a2[t], x3 = a3[t], x4 = a4[t], x5 = a5[t];
          c00 += x0 * b0; c01 += x0 * b1;
          c10 += x1 * b0; c11 += x1 * b1;
          c20 += x2 * b0; c21 += x2 * b1;
          c30 += x3 * b0; c31 += x3 * b1;
          c40 += x4 * b0; c41 += x4 * b1;
          c50 += x5 * b0; c51 += x5 * b1;
        }
      }
      cc_v8_ tile[CC_MR_][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
      cc_micro_store_(tile, c + ir * rsc + jr, rsc, 1, mr, nr, accumulate, CC_MR_);
    }
  }
}
/* ---- Row passes of softmax and layer norm (contiguous rows, 8 lanes at a time) ---- */
typedef int32_t cc_i8_ __attribute__((vector_size(32)));
typedef double cc_d4_ __attribute__((vector_size(32)));
typedef float cc_v4_ __attribute__((vector_size(16)));

/* The largest element of x[0:n], NaN if any element is NaN (-inf for an empty row). */
float cc_row_max_(const float* x, long n) {
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
float cc_row_exp_sum_(float* x, long n, float peak) {
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
double cc_row_sum_(const float* x, long n, double center, int squares) {
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

/* Layer norm's adjoint over one row: with n = (x - center) * inverse (the forward's value),
   replaces g[0:n] by (g - mean(g) - n * mean(g * n)) * inverse, the means accumulated in
   double: two passes over the row. */
void cc_row_norm_adjoint_(const float* x, float* g, long n, float center, float inverse) {
  cc_d4_ s0 = {0}, s1 = {0}, w0 = {0}, w1 = {0};
  long body = n & ~7L;
  for (long r = 0; r < body; r += 8) {
    cc_v8_ v = (cc_load8_(x + r) - center) * inverse, d = cc_load8_(g + r);
    cc_d4_ vlo = __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3), cc_d4_);
    cc_d4_ vhi = __builtin_convertvector(__builtin_shufflevector(v, v, 4, 5, 6, 7), cc_d4_);
    cc_d4_ dlo = __builtin_convertvector(__builtin_shufflevector(d, d, 0, 1, 2, 3), cc_d4_);
    cc_d4_ dhi = __builtin_convertvector(__builtin_shufflevector(d, d, 4, 5, 6, 7), cc_d4_);
    s0 += dlo; s1 += dhi; w0 += dlo * vlo; w1 += dhi * vhi;
  }
  cc_d4_ s = s0 + s1, w = w0 + w1;
  double sum = (s[0] + s[1]) + (s[2] + s[3]), weighted = (w[0] + w[1]) + (w[2] + w[3]);
  for (long r = body; r < n; ++r) {
    float v = (x[r] - center) * inverse;
    sum += g[r];
    weighted += (double)g[r] * v;
  }
  float mean = (float)(sum / (double)n), mean_weighted = (float)(weighted / (double)n);
  for (long r = 0; r < body; r += 8) {
    cc_v8_ v = (cc_load8_(x + r) - center) * inverse;
    cc_store8_(g + r, (cc_load8_(g + r) - mean - v * mean_weighted) * inverse);
  }
  for (long r = body; r < n; ++r) g[r] = (g[r] - mean - ((x[r] - center) * inverse) * mean_weighted) * inverse;
}

/* Softmax's adjoint over one row: replaces g[0:n] by y * (g - sum(y * g)), or for
   log-softmax (y <= 0) by g - e^y * sum(g), the sum accumulated in double: two passes. */
void cc_row_softmax_adjoint_(const float* y, float* g, long n, int log) {
  cc_d4_ s0 = {0}, s1 = {0};
  cc_d4_ one = {1, 1, 1, 1};
  long body = n & ~7L;
  for (long r = 0; r < body; r += 8) {
    cc_v8_ v = cc_load8_(y + r), d = cc_load8_(g + r);
    cc_d4_ vlo = log ? one : __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3), cc_d4_);
    cc_d4_ vhi = log ? one : __builtin_convertvector(__builtin_shufflevector(v, v, 4, 5, 6, 7), cc_d4_);
    s0 += vlo * __builtin_convertvector(__builtin_shufflevector(d, d, 0, 1, 2, 3), cc_d4_);
    s1 += vhi * __builtin_convertvector(__builtin_shufflevector(d, d, 4, 5, 6, 7), cc_d4_);
  }
  cc_d4_ s = s0 + s1;
  double sum = (s[0] + s[1]) + (s[2] + s[3]);
  for (long r = body; r < n; ++r) sum += log ? (double)g[r] : (double)y[r] * (double)g[r];
  float total = (float)sum;
  for (long r = 0; r < body; r += 8) {
    cc_v8_ v = cc_load8_(y + r), d = cc_load8_(g + r);
    cc_store8_(g + r, log ? d - cc_exp_nonpositive8_(v) * total : v * (d - total));
  }
  for (long r = body; r < n; ++r) g[r] = log ? g[r] - cc_exp_nonpositive_(y[r]) * total : y[r] * (g[r] - total);
}
/* ---- Streamed attention: blocks of keys through the cache, online softmax ---- */
/* O[y][j] = sum_x softmax_x(scale * sum_k Q[y][k] K[x][k] + mask[y][x]) V[x][j] for one
   batch item (pointers at its origin, strides in floats; mask NULL when there is none;
   when `causal`, the scores of keys x > y replaced by `fill`),
   in blocks of `rows` queries and `keys` keys (a multiple of 16). K comes as `keypanels`,
   packed by cc_pack_b_ (16-key panels of depth dk). `scratch` holds, in floats: the
   query block rows*dk, the value panels keys*dv16, the score tile rows*keys16, the
   accumulator rows*dv16, and the row maxima, sums and NaN flags 3*rows (keys16 and dv16
   rounded up to 16). */
typedef struct cc_attention_ {
  long nx, dk, dv, rows, keys;
  const float* q; long qy, qk;
  const float* keypanels;
  const float* v; long vx, vj;
  const float* mask; long my, mx;
  float* o; long oy, oj;
  float scale, fill;
  int causal;
} cc_attention_;
/* Scores above a row's running maximum by at most this much are taken as they come
   (e^16 ~ 9e6 keeps sums of any length finite): the maximum is then not rescanned. */
#define CC_ATTENTION_SLACK_ 16.0f

/* Replaces x[0:n] by e^(x - peak) (the exponential of cc_row_exp_sum_, arguments up to
   CC_ATTENTION_SLACK_ above 0) and returns their sum; *top is the largest x (NaN if any
   x is NaN). */
static float cc_row_exp_sum_max_(float* x, long n, float peak, float* top) {
  cc_v8_ acc = {0};
  cc_v8_ m = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
  cc_i8_ nan = {0};
  long body = n & ~7L;
  for (long r = 0; r < body; r += 8) {
    cc_v8_ v = cc_load8_(x + r);
    cc_i8_ greater = v > m;
    nan |= v != v;
    m = (cc_v8_)(((cc_i8_)v & greater) | ((cc_i8_)m & ~greater));
    cc_v8_ e = cc_exp_nonpositive8_(v - peak);
    cc_store8_(x + r, e);
    acc += e;
  }
  float best = -INFINITY, total = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  int bad = 0;
  for (int l = 0; l < 8; ++l) { bad |= nan[l]; if (m[l] > best) best = m[l]; }
  for (long r = body; r < n; ++r) {
    float v = x[r];
    bad |= v != v;
    if (v > best) best = v;
    x[r] = cc_exp_nonpositive_(v - peak);
    total += x[r];
  }
  *top = bad ? NAN : best;
  return total;
}

/* Row r's scores against keys [x0, x0 + nb) of `a` into row[0:nb]: the packed (scaled)
   query `qrow` times the key panels `kp` (when qrow is not NULL; else row holds them),
   then the mask and the causal fill. */
static void cc_attention_scores_(const cc_attention_* a, long y, long x0, long nb, const float* qrow,
                                 const float* kp, float* row) {
  if (qrow)
    for (long c = 0; c < nb; ++c) {
      const float* col = kp + c / CC_NR_ * a->dk * CC_NR_ + c % CC_NR_;
      float dot = 0;
      for (long p = 0; p < a->dk; ++p) dot += qrow[p] * col[p * CC_NR_];
      row[c] = dot;
    }
  if (a->mask) {
    const float* mk = a->mask + y * a->my + x0 * a->mx;
    long mx = a->mx;
    if (mx == 1) for (long c = 0; c < nb; ++c) row[c] += mk[c];
    else for (long c = 0; c < nb; ++c) row[c] += mk[c * mx];
  }
  if (a->causal)
    for (long c = y - x0 + 1 < 0 ? 0 : y - x0 + 1; c < nb; ++c) row[c] = a->fill;
}

/* Query rows [y0, y1) (at most a->rows) of the problem `a`. Per block of keys: the score
   tile by the micro-kernel (the query block is packed scaled), masked (keys past a causal
   row's diagonal take `fill`; blocks wholly past every row's diagonal are skipped when it
   is -inf); then per row the online softmax with the softmax row pass's exponential: the
   first block with a finite maximum sets the row's running maximum (a scan, then
   e^(s - max)); later blocks take e^(s - max) and their maximum in one pass, and only
   when that maximum exceeds the running one by more than CC_ATTENTION_SLACK_ are the
   row's scores recomputed and the maximum raised (the accumulator and sum rescaled).
   P x V is added to the accumulator. A row whose scores are all -inf so far adds nothing
   (all -inf: zeros, as softmax gives); a NaN score makes the row NaN. */
void cc_attention_rows_(const cc_attention_* a, long y0, long y1, float* scratch) {
  long m = y1 - y0, dk = a->dk, dv = a->dv;
  long keys16 = (a->keys + CC_NR_ - 1) / CC_NR_ * CC_NR_, dv16 = (dv + CC_NR_ - 1) / CC_NR_ * CC_NR_;
  float* qp = scratch;
  float* vp = qp + a->rows * dk;
  float* s = vp + a->keys * dv16;
  float* acc = s + a->rows * keys16;
  float* peak = acc + a->rows * dv16;
  float* sum = peak + a->rows;
  float* bad = sum + a->rows;
  for (long r = 0; r < m; ++r) {
    const float* src = a->q + (y0 + r) * a->qy;
    for (long p = 0; p < dk; ++p) qp[r * dk + p] = src[p * a->qk] * a->scale;
    peak[r] = -INFINITY;
    sum[r] = 0;
    bad[r] = 0;
  }
  memset(acc, 0, (size_t)(m * dv16) * sizeof(float));
  /* V read in place when its rows are contiguous whole panels. */
  int direct = a->vj == 1 && dv % CC_NR_ == 0;
  long nx = a->causal && a->fill == -INFINITY ? cc_min_l_(a->nx, y1) : a->nx;
  for (long x0 = 0; x0 < nx; x0 += a->keys) {
    long nb = cc_min_l_(a->keys, nx - x0);
    const float* kp = a->keypanels + x0 * dk;
    for (long jr = 0; jr < nb; jr += CC_NR_)
      for (long ir = 0; ir < m; ir += CC_MR_)
        cc_micro_rows_(dk, qp + ir * dk, dk, kp + jr * dk, CC_NR_, s + ir * keys16 + jr, keys16, 1,
                       cc_min_l_(CC_MR_, m - ir), cc_min_l_(CC_NR_, nb - jr), 0);
    for (long r = 0; r < m; ++r) {
      float* row = s + r * keys16;
      cc_attention_scores_(a, y0 + r, x0, nb, 0, kp, row);
      float top = peak[r];
      if (!bad[r] && top != -INFINITY) {
        float block = cc_row_exp_sum_max_(row, nb, top, &top);
        if (top != top) bad[r] = 1;
        if (top <= peak[r] + CC_ATTENTION_SLACK_) {
          sum[r] += block;
          continue;
        }
        if (!bad[r]) cc_attention_scores_(a, y0 + r, x0, nb, qp + r * dk, kp, row);
      } else if (!bad[r]) {
        top = cc_row_max_(row, nb);
        if (top != top) bad[r] = 1;
      }
      if (bad[r] || top == -INFINITY) {
        memset(row, 0, (size_t)nb * sizeof(float));
        continue;
      }
      float alpha = cc_exp_nonpositive_(peak[r] - top);
      sum[r] = sum[r] * alpha + cc_row_exp_sum_(row, nb, top);
      peak[r] = top;
      if (alpha != 1.0f)
        for (long j = 0; j < dv; ++j) acc[r * dv16 + j] *= alpha;
    }
    const float* vb = a->v + x0 * a->vx;
    if (!direct) cc_pack_b_(nb, dv, vb, a->vx, a->vj, vp);
    for (long jr = 0; jr < dv; jr += CC_NR_) {
      const float* panel = direct ? vb + jr : vp + jr * nb;
      long bs = direct ? a->vx : CC_NR_;
      for (long ir = 0; ir < m; ir += CC_MR_)
        cc_micro_rows_(nb, s + ir * keys16, keys16, panel, bs, acc + ir * dv16 + jr, dv16, 1,
                       cc_min_l_(CC_MR_, m - ir), cc_min_l_(CC_NR_, dv - jr), 1);
    }
  }
  for (long r = 0; r < m; ++r) {
    float inverse = bad[r] ? NAN : sum[r] > 0 ? 1 / sum[r] : 0;
    float* dst = a->o + (y0 + r) * a->oy;
    for (long j = 0; j < dv; ++j) dst[j * a->oj] = bad[r] ? NAN : acc[r * dv16 + j] * inverse;
  }
}
/* ---- Winograd F(2x2, 3x3): kernel transform ---- */

/* Kernel transform U = G g G^T, G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1], of the 3x3 kernel g
   of each (output o, input c) pair, g[i][j] = w[o*so + c*si + i*sh + j*sw]; written as 16
   row-major matrices u[xi][o][c]. */
void cc_winograd_kernel_(long outs, long ins, const float* w, long so, long si, long sh, long sw, float* u) {
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
/* ---- The optimiser step of training: clipping by global norm, SGD, Adam, AdamW ---- */
/* Contraction of a * b + c into one rounding is off for every function of this section
   (an inlined callee is contracted by its caller's flags): each product and sum rounds as
   Swift's optimiser rounds it. gcc ignores the STDC pragma; clang ignores gcc's. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#else
#pragma STDC FP_CONTRACT OFF
#endif

/* One update: the parameters, their gradients and buffers (SGD's momentum in `first`;
   Adam's exp_avg in `first`, exp_avg_sq in `second`), the sum of squares of each block of
   CC_NORM_BLOCK_ elements of the gradients taken end to end. */
typedef struct cc_update_ {
  long n, total;
  const int64_t* counts;
  float* const* p;
  void* const* g;
  float* const* first;
  float* const* second;
  const unsigned char* fresh;
  double* sums;
  /* 0: SGD, 1: Adam, 2: AdamW; Nesterov momentum; what cc_blocks_part_ does (CC_SUM_, CC_UPDATE_). */
  int method, nesterov, passes;
  /* The gradients' scale (clipping: below 1), learning rate, weight decay, SGD's momentum,
     Adam's 1 - beta1, beta2, 1 - beta2, lr / (1 - beta1^t), sqrt(1 - beta2^t), epsilon. */
  float factor, lr, decay, momentum, complement1, decay2, complement2, step_size, correction2, epsilon;
} cc_update_;

/* The elements of a block of the norm (GradientClipping.normBlock). */
#define CC_NORM_BLOCK_ 65536L

/* The sum of g[0:n]^2 in double: element i into lane i mod 8, the lanes added in order,
   then the tail (GradientClipping.sumOfSquares). */
static double cc_sum_of_squares_(const float* g, long n) {
  double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  long i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j) {
      double x = (double)g[i + j];
      lanes[j] += x * x;
    }
  double tail = 0;
  for (; i < n; ++i) tail += (double)g[i] * (double)g[i];
  double sum = -0.0;
  for (int j = 0; j < 8; ++j) sum += lanes[j];
  return sum + tail;
}

/* Elements [a, b) of parameter k: Optimizer.update's arithmetic on the scaled gradient. */
static void cc_update_range_(const cc_update_* u, long k, long a, long b) {
  float* p = u->p[k] + a;
  const float* g0 = (const float*)u->g[k] + a;
  const long n = b - a;
  const float f = u->factor, lr = u->lr, decay = u->decay;
  const int scaled = f < 1.0f, fresh = u->fresh[k];
  if (u->method == 0 && u->momentum == 0) {
    for (long i = 0; i < n; ++i) {
      float g = scaled ? g0[i] * f : g0[i];
      p[i] = decay == 0 ? p[i] - lr * g : p[i] - lr * (g + decay * p[i]);
    }
  } else if (u->method == 0) {
    float* m = u->first[k] + a;
    const float mu = u->momentum;
    const int nesterov = u->nesterov;
    for (long i = 0; i < n; ++i) {
      float d = scaled ? g0[i] * f : g0[i];
      d = decay != 0 ? d + decay * p[i] : d;
      const float b = fresh ? d : mu * m[i] + d;
      m[i] = b;
      d = nesterov ? d + mu * b : b;
      p[i] = p[i] - lr * d;
    }
  } else {
    float* m = u->first[k] + a;
    float* v = u->second[k] + a;
    /* AdamW's decay keeps 1 - lr * decay of each parameter (the same f32 for every element). */
    const int l2 = decay != 0 && u->method == 1, decoupled = decay != 0 && u->method == 2;
    const float keep = 1 - lr * decay;
    const float c1 = u->complement1, b2 = u->decay2, c2 = u->complement2;
    const float step_size = u->step_size, correction2 = u->correction2, epsilon = u->epsilon;
    long i = 0;
#ifdef __AVX__
    /* Eight lanes at a time, the same operations (sqrtf's errno keeps gcc from vectorising
       the scalar loop; the instruction's square root is sqrtf's, correctly rounded). */
    for (; i + 8 <= n; i += 8) {
      cc_v8_ d = cc_load8_(g0 + i), pi = cc_load8_(p + i), mo = cc_load8_(m + i), vo = cc_load8_(v + i);
      if (scaled) d = d * f;
      if (decoupled) pi = pi * keep;
      if (l2) d = d + decay * pi;
      const cc_v8_ mi = mo + c1 * (d - mo);
      const cc_v8_ vi = b2 * vo + c2 * d * d;
      cc_store8_(m + i, mi);
      cc_store8_(v + i, vi);
      const cc_v8_ denominator = __builtin_ia32_sqrtps256(vi) / correction2 + epsilon;
      cc_store8_(p + i, pi + (-step_size * mi) / denominator);
    }
#endif
    for (; i < n; ++i) {
      float d = scaled ? g0[i] * f : g0[i];
      const float pi = decoupled ? p[i] * keep : p[i];
      d = l2 ? d + decay * pi : d;
      float mi = m[i] + c1 * (d - m[i]);
      float vi = b2 * v[i] + c2 * d * d;
      m[i] = mi;
      v[i] = vi;
      float denominator = sqrtf(vi) / correction2 + epsilon;
      p[i] = pi + (-step_size * mi) / denominator;
    }
  }
}

/* The passes of a step's blocks (cc_update_.passes): their sums of squares, their update. */
enum { CC_SUM_ = 1, CC_UPDATE_ = 2 };

/* Part `part` of the blocks of CC_NORM_BLOCK_ elements (the gradients taken end to end)
   whose first element falls in its share of the elements: each block's sum of squares,
   its update, or both, the update right after the sum while the block is in cache. */
static void cc_blocks_part_(const cc_ctx_* ctx, int part, int parts, int thread) {
  (void)thread;
  const cc_update_* u = (const cc_update_*)ctx->bufs[0];
  long lo = u->total * part / parts, hi = u->total * (part + 1) / parts, base = 0, index = 0;
  for (long k = 0; k < u->n && base < hi; base += u->counts[k], ++k)
    for (long a = 0; a < u->counts[k]; a += CC_NORM_BLOCK_, ++index) {
      if (base + a < lo || base + a >= hi) continue;
      long b = a + CC_NORM_BLOCK_ < u->counts[k] ? a + CC_NORM_BLOCK_ : u->counts[k];
      if (u->passes & CC_SUM_) u->sums[index] = cc_sum_of_squares_((const float*)u->g[k] + a, b - a);
      if (u->passes & CC_UPDATE_) cc_update_range_(u, k, a, b);
    }
}

/* The elements a part of the update takes at least: 2^17, about 1.5 MB of parameters and
   gradients read and written, tens of microseconds against a pool wake-up's few. */
#define CC_UPDATE_PART_ 131072L

typedef int (*cc_entry_)(const void* const*, const float* const*, void* const*);
typedef int (*cc_sized_entry_)(const int64_t*, const void* const*, const float* const*, void* const*);

/* One training step in one call: the gradient program (`entry`, or `sized` with `sizes`)
   on inputs, params and outputs (output 0 the loss, output 1 + k parameter k's gradient),
   then the gradients' global norm (stored in *norm), clipping and the optimiser update of
   the n parameters `params` (of counts[k] elements) in place with their buffers.
   settings: method (0 SGD, 1 Adam, 2 AdamW), Nesterov, clipping; scalars: lr, weight
   decay, momentum, maximum norm, 1 - beta1, beta2, 1 - beta2, lr / (1 - beta1^t),
   sqrt(1 - beta2^t), epsilon. fresh[k]: parameter k's buffers hold nothing yet. Returns
   the program's status, or 2 when memory runs out; nothing is updated unless 0. The
   update holds the call lock (the entry takes it itself). */
__attribute__((visibility("default")))
int circuit_train_step(cc_entry_ entry, cc_sized_entry_ sized, const int64_t* sizes, const void* const* inputs,
                       const float* const* params, void* const* outputs, int64_t n, const int64_t* counts,
                       const int64_t* settings, const float* scalars, float* const* first, float* const* second,
                       const unsigned char* fresh, double* norm) {
  int status = entry ? entry(inputs, params, outputs) : sized(sizes, inputs, params, outputs);
  if (status) return status;
  pthread_mutex_lock(&cc_call_lock_);
  cc_update_ u = {n, 0, counts, (float* const*)params, outputs + 1, first, second, fresh, 0,
                  (int)settings[0], (int)settings[1], 0, 1.0f, scalars[0], scalars[1], scalars[2], scalars[4],
                  scalars[5], scalars[6], scalars[7], scalars[8], scalars[9]};
  long blocks = 0;
  for (long k = 0; k < n; ++k) {
    u.total += counts[k];
    blocks += (counts[k] + CC_NORM_BLOCK_ - 1) / CC_NORM_BLOCK_;
  }
  if (blocks > cc_norm_capacity_) {
    double* grown = realloc(cc_norm_sums_, blocks * sizeof(double));
    if (!grown) {
      pthread_mutex_unlock(&cc_call_lock_);
      return 2;
    }
    cc_norm_sums_ = grown;
    cc_norm_capacity_ = blocks;
  }
  u.sums = cc_norm_sums_;
  const void* task = &u;
  cc_ctx_ ctx = {0, 0, 0, 0, &task};
  /* Small updates stay on the caller: waking the pool costs more than the pass it shares. */
  long parts = u.total / CC_UPDATE_PART_;
  parts = parts < 2 ? 1 : parts > 4 * cc_threads_ ? 4 * cc_threads_ : parts;
  const int clipping = (int)settings[2];
  u.passes = clipping ? CC_SUM_ : CC_SUM_ | CC_UPDATE_;
  cc_parallel_(cc_blocks_part_, &ctx, (int)parts);
  double sum = 0;
  for (long j = 0; j < blocks; ++j) sum += cc_norm_sums_[j];
  *norm = sqrt(sum);
  if (clipping) {
    double q = (double)scalars[3] / (*norm + 1e-6);
    u.factor = (float)(q < 1 ? q : 1);
    u.passes = CC_UPDATE_;
    cc_parallel_(cc_blocks_part_, &ctx, (int)parts);
  }
  pthread_mutex_unlock(&cc_call_lock_);
  return 0;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#else
#pragma STDC FP_CONTRACT DEFAULT
#endif
#pragma GCC visibility pop