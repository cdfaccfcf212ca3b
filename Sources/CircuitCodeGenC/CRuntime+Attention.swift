extension CRuntime {

  /// Streamed attention (`cc_attention_rows_`): one block of query rows of one batch item,
  /// keys in blocks through the cache with an online softmax, on the GEMM micro-kernel; the
  /// keys come packed (`cc_pack_b_`: 16-key panels of full depth, packed once per call by
  /// the program, not once per query block).
  static let attention = "/* ---- Streamed attention: blocks of keys through the cache, online softmax ---- */\n"
    + attentionProblem + #"""
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

    """#

  /// `cc_attention_`: one batch item's attention problem (shared with the programs' declarations).
  static let attentionProblem = #"""
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

    """#
}
