extension CRuntime {

  /// The exported training step of every library (`circuit_train_step`, the runtime's one
  /// visible symbol): runs the program's entry, then clipping by global norm and the optimiser
  /// update over the resident parameters and their buffers, in one native call.
  public static let trainStepSymbol = "circuit_train_step"

  /// The optimiser of training on the C backend, the arithmetic of `CircuitTraining`'s
  /// `Optimizer.update` and `GradientClipping` in C, bit for bit: f32 per element in the same
  /// order with contraction into fused multiply-adds off, the per-step scalars
  /// (the learning rate, Adam's `1 − β` and bias corrections) computed by the caller in Swift,
  /// and `Σ g²` in double per block of `GradientClipping.normBlock` elements, in
  /// `GradientClipping.sumOfSquares`'s eight lanes, the blocks added in order. The passes run
  /// on the library's pool in parts of at least 2¹⁷ elements (a step of fewer than 2¹⁸ stays
  /// on the caller); without clipping, one pass sums each block's squares and updates it. An
  /// elementwise update and a sum of whole blocks give the same bits however they are split.
  static let optimizer = #"""
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

    """#
}
