import Dispatch

/// A strided, read-only view of a matrix: element (i, j) is at `base[i * rowStride + j * columnStride]`.
struct MatrixOperand: @unchecked Sendable {

  /// Address of element (0, 0).
  let base: UnsafePointer<Float>

  /// Distance in elements between consecutive rows.
  let rowStride: Int

  /// Distance in elements between consecutive columns.
  let columnStride: Int

}

/// A mutable pointer that may be shared across the GEMM worker threads (they write disjoint rows).
struct SharedOutput: @unchecked Sendable {

  /// Address of the first output element.
  let base: UnsafeMutablePointer<Float>

}

/// Cache-blocked, packed, multi-threaded single-precision matrix multiplication.
///
/// The loop nest follows the BLIS layout: an `nc`-wide column block of B is packed per `kc`
/// depth step; each `mc`-row block of A is packed and swept by the 6 × 16 micro-kernel.
enum GEMM {

  /// Depth of one packed block (k).
  static let kc = 256

  /// Rows of A packed at once (a multiple of the micro-kernel's 6 rows).
  static let mc = 96

  /// Columns of B packed at once (a multiple of the micro-kernel's 16 columns).
  static let nc = 3072

  /// Work (in floating-point operations) below which no second thread is used.
  static let parallelThreshold = 2_000_000

  /// Computes `C[b] += A[b] · B[b]` for every batch item `b`.
  ///
  /// `C` is row-major with rows `n` apart and items `m * n` apart. Work is spread over the
  /// processors when it exceeds `parallelThreshold`: whole batch items when there are at least
  /// as many items as threads, otherwise row ranges of each item.
  static func batched(
    batch: Int, m: Int, n: Int, k: Int,
    a: MatrixOperand, aBatchStride: Int,
    b: MatrixOperand, bBatchStride: Int,
    c: UnsafeMutablePointer<Float>
  ) {
    if batch == 0 || m == 0 || n == 0 || k == 0 { return }
    let flops = 2.0 * Double(batch) * Double(m) * Double(n) * Double(k)
    let threads = flops < Double(parallelThreshold) ? 1 : min(FloatMath.processorCount, 8)
    let rowChunks = batch >= threads ? 1 : threads
    let rowsPerChunk = ((m + rowChunks - 1) / rowChunks + GEMMKernel.mr - 1)
      / GEMMKernel.mr * GEMMKernel.mr
    let itemCount = batch * rowChunks
    let output = SharedOutput(base: c)
    /// Runs every work item assigned to worker `worker`.
    let work: @Sendable (Int) -> Void = { worker in
      let workspace = Workspace(m: min(m, rowsPerChunk), n: n, k: k)
      defer { workspace.deallocate() }
      var item = worker
      while item < itemCount {
        let index = item / rowChunks
        let rowStart = (item % rowChunks) * rowsPerChunk
        let rowEnd = min(m, rowStart + rowsPerChunk)
        if rowStart < rowEnd {
          let aItem = MatrixOperand(
            base: a.base + index * aBatchStride + rowStart * a.rowStride,
            rowStride: a.rowStride, columnStride: a.columnStride)
          let bItem = MatrixOperand(
            base: b.base + index * bBatchStride, rowStride: b.rowStride,
            columnStride: b.columnStride)
          multiply(
            m: rowEnd - rowStart, n: n, k: k, a: aItem, b: bItem,
            c: output.base + index * m * n + rowStart * n, ldc: n, workspace: workspace)
        }
        item += threads
      }
    }
    if threads == 1 {
      work(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: threads, execute: work)
    }
  }

  /// Packing buffers owned by one worker thread.
  struct Workspace {

    /// Packed A block (`mc × kc`, padded to whole slivers).
    let packedA: UnsafeMutablePointer<Float>

    /// Packed B block (`kc × nc`, padded to whole slivers).
    let packedB: UnsafeMutablePointer<Float>

    /// A zeroed 6 × 16 tile for edge micro-kernel calls.
    let edgeTile: UnsafeMutablePointer<Float>

    /// Allocates buffers large enough for an `m × k` by `k × n` product.
    init(m: Int, n: Int, k: Int) {
      let rows = (min(m, GEMM.mc) + GEMMKernel.mr - 1) / GEMMKernel.mr * GEMMKernel.mr
      let columns = (min(n, GEMM.nc) + GEMMKernel.nr - 1) / GEMMKernel.nr * GEMMKernel.nr
      let depth = min(k, GEMM.kc)
      packedA = Workspace.allocate(rows * depth)
      packedB = Workspace.allocate(columns * depth)
      edgeTile = Workspace.allocate(GEMMKernel.mr * GEMMKernel.nr)
    }

    /// Allocates `count` floats aligned to 64 bytes.
    static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
      UnsafeMutableRawPointer.allocate(
        byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64
      ).bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Releases the buffers.
    func deallocate() {
      packedA.deallocate()
      packedB.deallocate()
      edgeTile.deallocate()
    }

  }

  /// Computes `C += A · B` for one matrix on the calling thread.
  static func multiply(
    m: Int, n: Int, k: Int, a: MatrixOperand, b: MatrixOperand,
    c: UnsafeMutablePointer<Float>, ldc: Int, workspace: Workspace
  ) {
    let mr = GEMMKernel.mr
    let nr = GEMMKernel.nr
    for jc in stride(from: 0, to: n, by: nc) {
      let nb = min(nc, n - jc)
      for pc in stride(from: 0, to: k, by: kc) {
        let kb = min(kc, k - pc)
        GEMMKernel.packB(
          depth: kb, columns: nb, b: b.base + pc * b.rowStride + jc * b.columnStride,
          rowStride: b.rowStride, columnStride: b.columnStride, into: workspace.packedB)
        for ic in stride(from: 0, to: m, by: mc) {
          let mb = min(mc, m - ic)
          GEMMKernel.packA(
            rows: mb, depth: kb, a: a.base + ic * a.rowStride + pc * a.columnStride,
            rowStride: a.rowStride, columnStride: a.columnStride, into: workspace.packedA)
          for jr in stride(from: 0, to: nb, by: nr) {
            let columns = min(nr, nb - jr)
            let bSliver = UnsafePointer(workspace.packedB + jr * kb)
            for ir in stride(from: 0, to: mb, by: mr) {
              let rows = min(mr, mb - ir)
              let aSliver = UnsafePointer(workspace.packedA + ir * kb)
              let tile = c + (ic + ir) * ldc + jc + jr
              if rows == mr && columns == nr {
                GEMMKernel.microKernel(depth: kb, a: aSliver, b: bSliver, c: tile, ldc: ldc)
              } else {
                edge(depth: kb, a: aSliver, b: bSliver, c: tile, ldc: ldc, rows: rows,
                     columns: columns, scratch: workspace.edgeTile)
              }
            }
          }
        }
      }
    }
  }

  /// Runs the micro-kernel into a scratch tile and adds its live `rows × columns` part to C.
  static func edge(
    depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    scratch.update(repeating: 0, count: GEMMKernel.mr * GEMMKernel.nr)
    GEMMKernel.microKernel(depth: depth, a: a, b: b, c: scratch, ldc: GEMMKernel.nr)
    for i in 0..<rows {
      for j in 0..<columns { c[i * ldc + j] += scratch[i * GEMMKernel.nr + j] }
    }
  }

}
