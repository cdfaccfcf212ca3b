/// The register-tiled inner kernel and the panel packing routines of the GEMM.
///
/// The micro-kernel computes a 6 × 16 tile of C from a packed 6-row sliver of A and a packed
/// 16-column sliver of B, keeping the tile in twelve `SIMD8<Float>` accumulators.
enum GEMMKernel {

  /// Rows of C produced by one micro-kernel call.
  static let mr = 6

  /// Columns of C produced by one micro-kernel call.
  static let nr = 16

  /// Computes `C[0..<6, 0..<16] += Apacked · Bpacked` over `depth` steps.
  ///
  /// - Parameters:
  ///   - depth: The number of k steps.
  ///   - a: Packed A sliver: `depth` groups of 6 row values.
  ///   - b: Packed B sliver: `depth` groups of 16 column values, 32-byte aligned.
  ///   - c: Top-left element of the C tile; rows are `ldc` elements apart.
  @inline(__always)
  static func microKernel(
    depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
    var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
    var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
    var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    var pa = a
    var pb = UnsafeRawPointer(b)
    for _ in 0..<depth {
      let b0 = pb.load(as: SIMD8<Float>.self)
      let b1 = pb.load(fromByteOffset: 32, as: SIMD8<Float>.self)
      var av = SIMD8<Float>(repeating: pa[0])
      c00.addProduct(av, b0)
      c01.addProduct(av, b1)
      av = SIMD8<Float>(repeating: pa[1])
      c10.addProduct(av, b0)
      c11.addProduct(av, b1)
      av = SIMD8<Float>(repeating: pa[2])
      c20.addProduct(av, b0)
      c21.addProduct(av, b1)
      av = SIMD8<Float>(repeating: pa[3])
      c30.addProduct(av, b0)
      c31.addProduct(av, b1)
      av = SIMD8<Float>(repeating: pa[4])
      c40.addProduct(av, b0)
      c41.addProduct(av, b1)
      av = SIMD8<Float>(repeating: pa[5])
      c50.addProduct(av, b0)
      c51.addProduct(av, b1)
      pa += 6
      pb += 64
    }
    accumulate(c00, c01, into: c, ldc: ldc, row: 0)
    accumulate(c10, c11, into: c, ldc: ldc, row: 1)
    accumulate(c20, c21, into: c, ldc: ldc, row: 2)
    accumulate(c30, c31, into: c, ldc: ldc, row: 3)
    accumulate(c40, c41, into: c, ldc: ldc, row: 4)
    accumulate(c50, c51, into: c, ldc: ldc, row: 5)
  }

  /// Adds two 8-lane accumulators to the 16 values of one C row.
  @inline(__always)
  static func accumulate(
    _ low: SIMD8<Float>, _ high: SIMD8<Float>,
    into c: UnsafeMutablePointer<Float>, ldc: Int, row: Int
  ) {
    let p = UnsafeMutableRawPointer(c + row * ldc)
    let old0 = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    let old1 = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
    p.storeBytes(of: old0 + low, as: SIMD8<Float>.self)
    p.storeBytes(of: old1 + high, toByteOffset: 32, as: SIMD8<Float>.self)
  }

  /// Packs `rows × depth` of A (strided) into 6-row slivers, zero-padding the last sliver.
  ///
  /// Element (i, p) of the block is read at `a[i * rowStride + p * columnStride]`.
  @inline(__always)
  static func packA(
    rows: Int, depth: Int, a: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
    into destination: UnsafeMutablePointer<Float>
  ) {
    var out = destination
    var i0 = 0
    while i0 < rows {
      let live = min(mr, rows - i0)
      if live == mr && columnStride == 1 {
        let r0 = a + i0 * rowStride
        let r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride
        let r4 = r3 + rowStride, r5 = r4 + rowStride
        for p in 0..<depth {
          out[0] = r0[p]; out[1] = r1[p]; out[2] = r2[p]
          out[3] = r3[p]; out[4] = r4[p]; out[5] = r5[p]
          out += mr
        }
      } else {
        for p in 0..<depth {
          for r in 0..<mr {
            out[r] = r < live ? a[(i0 + r) * rowStride + p * columnStride] : 0
          }
          out += mr
        }
      }
      i0 += mr
    }
  }

  /// Packs `depth × columns` of B (strided) into 16-column slivers, zero-padding the last.
  ///
  /// Element (p, j) of the block is read at `b[p * rowStride + j * columnStride]`.
  @inline(__always)
  static func packB(
    depth: Int, columns: Int, b: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
    into destination: UnsafeMutablePointer<Float>
  ) {
    var out = destination
    var j0 = 0
    while j0 < columns {
      let live = min(nr, columns - j0)
      if live == nr && columnStride == 1 {
        var source = UnsafeRawPointer(b + j0)
        let step = rowStride * MemoryLayout<Float>.stride
        for _ in 0..<depth {
          let raw = UnsafeMutableRawPointer(out)
          raw.storeBytes(of: source.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
          raw.storeBytes(
            of: source.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
            toByteOffset: 32, as: SIMD8<Float>.self)
          out += nr
          source += step
        }
      } else {
        for p in 0..<depth {
          let row = b + p * rowStride
          for j in 0..<nr {
            out[j] = j < live ? row[(j0 + j) * columnStride] : 0
          }
          out += nr
        }
      }
      j0 += nr
    }
  }

}

extension SIMD8<Float> {

  /// Fused multiply-add in place: `self += x * y`.
  @inline(__always)
  mutating func addProduct(_ x: SIMD8<Float>, _ y: SIMD8<Float>) {
    self = self.addingProduct(x, y)
  }

}
