extension CPrelude {

  // The elementwise functions of the generated C: the interpreter's formulas in float (erf and
  // softmax's exp are vectorisable approximations). Each is a section of its own.

  /// `cc_relu_`.
  static let elementwiseRelu = #"""
    static inline float cc_relu_(float x) { return x > 0 ? x : 0; }
    """#

  /// `cc_exp_nonpositive_`.
  static let elementwiseExp = #"""
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
    """#

  /// `cc_erf_`.
  static let elementwiseErf = #"""
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
    """#

  /// `cc_gelu_`.
  static let elementwiseGelu = #"""
    static inline float cc_gelu_(float x) { return 0.5f * x * (1 + cc_erf_(x * 0.70710678118654752f)); }
    """#

  /// `cc_gelu_tanh_`.
  static let elementwiseGeluTanh = #"""
    static inline float cc_gelu_tanh_(float x) {
      float inner = 0.7978845608028654f * (x + 0.044715f * x * x * x);
      return 0.5f * x * (1 + tanhf(inner));
    }
    """#

  /// `cc_sigmoid_`.
  static let elementwiseSigmoid = #"""
    static inline float cc_sigmoid_(float x) {
      if (x >= 0) return 1 / (1 + expf(-x));
      float e = expf(x);
      return e / (1 + e);
    }
    """#

  /// `cc_silu_`.
  static let elementwiseSilu = #"""
    static inline float cc_silu_(float x) { return x * cc_sigmoid_(x); }
    """#

  /// `cc_rsqrt_`.
  static let elementwiseRsqrt = #"""
    static inline float cc_rsqrt_(float x) { return 1 / sqrtf(x); }
    """#

  /// `cc_f32_to_i32_`.
  static let elementwiseF32ToI32 = #"""
    static inline int32_t cc_f32_to_i32_(float x) { return x != x ? 0 : x >= 2147483648.0f ? INT32_MAX : x <= -2147483648.0f ? INT32_MIN : (int32_t)x; }
    """#

  /// `cc_max_`.
  static let elementwiseMax = #"""
    static inline float cc_max_(float x, float y) { return (x != x || y != y) ? NAN : (x > y ? x : y); }
    """#

  /// `cc_min_`.
  static let elementwiseMin = #"""
    static inline float cc_min_(float x, float y) { return (x != x || y != y) ? NAN : (x < y ? x : y); }
    """#

  /// `cc_min_l_`.
  static let elementwiseMinL = #"""
    static inline long cc_min_l_(long x, long y) { return x < y ? x : y; }
    """#
}
