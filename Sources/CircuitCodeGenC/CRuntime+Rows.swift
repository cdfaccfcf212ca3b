extension CRuntime {

  /// The row passes of softmax and layer norm (contiguous rows, 8 lanes at a time).
  static let rows = #"""
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

    """#
}
