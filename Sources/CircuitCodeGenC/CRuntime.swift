/// The invariant C runtime every generated program is linked with: the thread pool with
/// its measured fallback to one thread and the call lock, the packed GEMM (6×16 register tile
/// of GNU C vectors, BLIS-style blocking), the row passes of softmax and layer norm, streamed
/// attention, Winograd's kernel transform, and the optimiser step of training. Its text never
/// depends on the program, so `CircuitNative` compiles it once per compiler, flags and runtime
/// version and links the object into each library; every symbol is hidden, so each library
/// keeps its own pool and buffers, except the training step (`trainStepSymbol`). A program
/// configures it on its first call (`cc_runtime_start_`: pool size, GEMM blocking) and
/// releases it in `circuit_release`.
public enum CRuntime {

  /// The runtime's C source.
  public static let source = CPrelude.includes + header + CPrelude.elementwiseMinL + CPrelude.elementwiseExp
    + CPrelude.context + CPrelude.vectors + pool + gemm + rows + attention + winogradKernel + optimizer + footer

  /// Extra headers, and hidden visibility for everything that follows.
  static let header = #"""
    #include <time.h>

    /* ---- The circuit runtime: compiled once per machine and compiler, linked into every program ---- */
    #pragma GCC visibility push(hidden)

    """#

  /// The end of the hidden section.
  static let footer = #"""
    #pragma GCC visibility pop
    """#

  /// The thread pool, its configuration and the measured fallback. Parts are claimed, so a
  /// caller never waits for a part no worker has started, only for one a descheduled worker
  /// holds. Under load its alternatives measured no better (see the module README: always
  /// pooled, always serial, a stricter stall threshold, a per-call cost comparison, workers
  /// standing aside on the caller's CPU, a shorter spin, pinned workers), so it stays.
  static let pool = #"""
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

    """#
}
