extension CPrelude {

  // The transforms of Winograd's F(2×2, 3×3) (Lavin & Gray, 2016): a 3×3 stride-1
  // convolution computes each 2×2 block of outputs from a 4×4 input patch with 16 multiplies
  // instead of 36. Kernels and patches are transformed into 16 matrices each, multiplied
  // channel by channel as 16 GEMMs, and the products transformed back. The input and output
  // transforms are inlined into the program (their sizes become constants); the kernel
  // transform is part of the runtime (`CRuntime.winogradKernel`).

  /// The input transform, `cc_winograd_input_`.
  static let winogradInput = #"""
    /* ---- Winograd F(2x2, 3x3): input and output transforms ---- */

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

    """#

  /// The output transform, `cc_winograd_output_`.
  static let winogradOutput = #"""
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

    """#
}

extension CRuntime {

  /// The kernel transform, `cc_winograd_kernel_` (run once per binding by circuit_prepare).
  static let winogradKernel = #"""
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

    """#
}
