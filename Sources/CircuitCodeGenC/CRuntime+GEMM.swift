extension CRuntime {

  /// The packed GEMM: `cc_pack_b_`, the micro-kernels, `cc_gemm_` and `cc_gemm_table_`.
  static let gemm = #"""
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

    """#
}
