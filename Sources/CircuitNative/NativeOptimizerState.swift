/// The optimiser's buffers in native memory (training on the C backend): for each parameter,
/// the method's buffers (`Optimizer.Method.bufferNames` in order: SGD's momentum buffer, or
/// Adam's exp_avg and exp_avg_sq), each one 64-byte aligned allocation that never moves,
/// which `NativeModel.train` updates in place.
public final class NativeOptimizerState: @unchecked Sendable {

  /// The buffers by kind, then parameter: `buffers[j][k]` is parameter `k`'s buffer `j`.
  public let buffers: [[UnsafeMutableBufferPointer<Float>]]

  /// Whether each parameter's buffers hold nothing yet (before its first update: SGD's
  /// momentum buffer then starts as the gradient, Adam's buffers at zero).
  private(set) var fresh: [UInt8]

  /// `kinds` buffers for each parameter of `counts[k]` elements, holding `saved[k]` (its
  /// buffers in order, as a checkpoint or an earlier update left them), or zeros and fresh
  /// when `saved[k]` is empty.
  /// - Precondition: each non-empty `saved[k]` has `kinds` buffers of `counts[k]` elements.
  /// - Throws: `NativeError.outOfMemory` when an allocation is refused.
  public init(counts: [Int], kinds: Int, saved: [[[Float]]]) throws(NativeError) {
    precondition(saved.count == counts.count)
    var made: [[UnsafeMutableBufferPointer<Float>]] = []
    for j in 0..<kinds {
      let values = counts.indices.map { k in
        guard !saved[k].isEmpty else { return [Float](repeating: 0, count: counts[k]) }
        precondition(saved[k].count == kinds && saved[k][j].count == counts[k], "optimiser buffer of the wrong size")
        return saved[k][j]
      }
      do throws(NativeError) {
        made.append(try ResidentParameters.allocate(copying: values))
      } catch {
        for m in made { ResidentParameters.free(m) }
        throw error
      }
    }
    buffers = made
    fresh = saved.map { $0.isEmpty ? 1 : 0 }
  }

  deinit { for b in buffers { ResidentParameters.free(b) } }

  /// Parameter `k`'s buffers as arrays, for `OptimizerState`; nil while fresh.
  public func saved(_ k: Int) -> [[Float]]? {
    fresh[k] != 0 ? nil : buffers.map { Array($0[k]) }
  }

  /// Records an update: no buffer is fresh any more.
  func markUpdated() { fresh = fresh.map { _ in 0 } }
}
