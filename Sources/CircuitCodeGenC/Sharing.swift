/// How the work of one step is shared by the generated thread pool.
///
/// A shared step is cut into parts that any pool thread claims in turn (the caller included),
/// more parts than threads so that a thread the machine deschedules holds back only the part
/// it claimed. A part's scratch memory is indexed by the thread running it (`thread_`), never
/// by the part.
enum Sharing: Hashable {

  /// One part, on the calling thread.
  case serial

  /// `count` independent items (loop iterations, column panels, blocks), cut into at most
  /// `partsPerThread` parts per thread and never more parts than items.
  case items(Int)

  /// `count` items in tiles of `tile` (the last one partial): `ceil(count / tile)` items.
  case tiles(Int, of: Int)

  /// A GEMM's `rows × columns` result cut into panels of 16 columns or of 6 rows, as
  /// `splitsColumns` decides.
  case gemm(rows: Int, columns: Int)

  /// The items of the first axis of a loop nest (these are their sizes, outermost first) with
  /// at least one item per thread, else of the outermost: the symbolic form's split, whose
  /// choice of axis is made in C so that a runtime size of 1 keeps the program's structure.
  case firstWide([Int])

  /// A batch of `items` GEMMs of `rows × columns`: shared by items when there are at least
  /// as many as threads, else each GEMM as `gemm`; the symbolic form's choice, made in C.
  case batchedGEMM(items: Int, rows: Int, columns: Int)

  /// Exactly one part per pool thread: the step writes a partial result per part that a
  /// later step combines (the partials are indexed by part).
  case perThread

  /// Parts per thread of a step cut by items: enough that the others absorb a late thread's
  /// share, few enough that a part stays far longer than a claim (an atomic add).
  static let partsPerThread = 4

  /// The number of parts with a pool of `threads` threads (1 for a serial step).
  func parts(threads: Int) -> Int {
    guard threads > 1 else { return 1 }
    switch self {
    case .serial: return 1
    case .items(let count): return max(1, min(count, threads * Sharing.partsPerThread))
    case .tiles(let count, let tile): return max(1, min((count + tile - 1) / tile, threads * Sharing.partsPerThread))
    case .gemm(let m, let n):
      return Sharing.splitsColumns(rows: m, columns: n, threads: threads)
        ? Sharing.tiles(n, of: 16).parts(threads: threads) : Sharing.tiles(m, of: 6).parts(threads: threads)
    case .firstWide(let sizes): return Sharing.items(sizes.first { $0 >= threads } ?? sizes[0]).parts(threads: threads)
    case .batchedGEMM(let items, let m, let n):
      return (items >= threads ? Sharing.items(items) : Sharing.gemm(rows: m, columns: n)).parts(threads: threads)
    case .perThread: return threads
    }
  }

  /// Whether a GEMM of `m × n` is cut into panels of 16 columns (each thread packs all of A
  /// and its share of B), else into panels of 6 rows (tall A, as an im2col). A `packedA`
  /// (not row-major, as a weight gradient's transposed `dYᵀ`: `cc_gemm_` packs it in every
  /// part, where a row-major A is read in place) is cut by rows once it has 48 per thread,
  /// so each part packs only its own rows (and reads a row-major B in place).
  static func splitsColumns(rows m: Int, columns n: Int, threads: Int, packedA: Bool = false) -> Bool {
    n >= 16 * threads && !((packedA || m > n) && m >= 48 * threads)
  }

  /// `splitsColumns` as a C condition over the C expressions `m` and `n`.
  static func splitsColumnsText(rows m: String, columns n: String, threads: Int) -> String {
    "(\(n) >= \(16 * threads) && !(\(m) > \(n) && \(m) >= \(48 * threads)))"
  }
}
