/// How one axis is cut into sliding windows (im2col), as in a convolution.
public struct WindowAxis: Sendable, Hashable {

  /// The input axis that is windowed.
  public var axis: Int

  /// Window extent `k` (taps per window).
  public var size: Int

  /// Step `s` between consecutive window starts.
  public var stride: Int

  /// Zero padding `p` added before and after the axis.
  public var padding: Int

  /// Spacing `d` between taps of one window.
  public var dilation: Int

  /// Creates a window description; stride and dilation default to 1, padding to 0.
  public init(axis: Int, size: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
    self.axis = axis
    self.size = size
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
  }

  /// The number of window positions over an axis of `extent`:
  /// `(extent + 2p - d(k - 1) - 1) / s + 1`, or `nil` if no window fits.
  public func outputCount(forExtent extent: Int) -> Int? {
    let span = dilation * (size - 1) + 1
    let padded = extent + 2 * padding
    guard padded >= span else { return nil }
    return (padded - span) / stride + 1
  }

}

extension Kernels {

  /// Cuts `tensor` into sliding windows (im2col with zero padding).
  ///
  /// Each windowed axis keeps its position but its extent becomes the number of window
  /// positions; one window axis of extent `size` per entry of `windows` is appended at the end,
  /// in the order given. Output element `[…, o, …, w]` reads input position `o·s − p + w·d`
  /// on that axis, or 0 where that falls in the padding. A convolution is then a contraction
  /// of the result with the kernel over channel and window axes.
  /// - Throws: `TensorError` for a bad or repeated axis, a non-positive size, stride or
  ///   dilation, negative padding, or an axis too short for one window.
  public static func window(_ tensor: Tensor, windows: [WindowAxis]) throws(TensorError) -> Tensor {
    let shape = try windowedShape(tensor.shape, windows: windows, operation: "window")
    let map = WindowMap(inputShape: tensor.shape, outputShape: shape, windows: windows)
    /// Reads every output element from its input position (or 0).
    func fill<T>(_ values: [T], zero: T) -> [T] {
      var result = [T](repeating: zero, count: map.outputCount)
      result.withUnsafeMutableBufferPointer { out in
        values.withUnsafeBufferPointer { inp in
          guard let o = out.baseAddress, let i = inp.baseAddress else { return }
          map.forEachRun { outStart, outStride, inStart, inStride, count in
            for t in 0..<count { o[outStart + t * outStride] = i[inStart + t * inStride] }
          }
        }
      }
      return result
    }
    let storage: Tensor.Storage
    switch tensor.storage {
    case .float32(let v): storage = .float32(fill(v, zero: 0))
    case .int32(let v): storage = .int32(fill(v, zero: 0))
    case .bool(let v): storage = .bool(fill(v, zero: false))
    }
    return Tensor(uncheckedShape: shape, storage: storage)
  }

  /// The adjoint of `window`: scatter-adds windowed `float32` values back onto an input of
  /// `inputShape` (contributions landing in the padding are dropped).
  ///
  /// Used for transposed convolution: contract the kernel with the input, then un-window.
  /// - Throws: `TensorError` if `tensor.shape` is not `window`'s output shape for `inputShape`.
  public static func unwindow(
    _ tensor: Tensor, windows: [WindowAxis], inputShape: [Int]
  ) throws(TensorError) -> Tensor {
    let values = try tensor.requireFloats("unwindow")
    _ = try ShapeMath.elementCount(inputShape)
    let shape = try windowedShape(inputShape, windows: windows, operation: "unwindow")
    guard shape == tensor.shape else {
      throw .shapeMismatch(operation: "unwindow", tensor.shape, shape)
    }
    let map = WindowMap(inputShape: inputShape, outputShape: shape, windows: windows)
    var result = [Float](repeating: 0, count: inputShape.reduce(1, *))
    result.withUnsafeMutableBufferPointer { acc in
      values.withUnsafeBufferPointer { src in
        guard let a = acc.baseAddress, let v = src.baseAddress else { return }
        map.forEachRun { outStart, outStride, inStart, inStride, count in
          for t in 0..<count { a[inStart + t * inStride] += v[outStart + t * outStride] }
        }
      }
    }
    return Tensor(uncheckedShape: inputShape, storage: .float32(result))
  }

  /// Validates `windows` against `shape` and returns the windowed shape.
  static func windowedShape(
    _ shape: [Int], windows: [WindowAxis], operation: String
  ) throws(TensorError) -> [Int] {
    try ShapeMath.validateAxes(windows.map(\.axis), rank: shape.count, operation: operation)
    var result = shape
    for window in windows {
      guard window.size > 0, window.stride > 0, window.dilation > 0, window.padding >= 0,
        window.size < 1 << 20, window.dilation < 1 << 20, window.padding < 1 << 30
      else {
        throw .invalidArgument(
          operation: operation,
          message: "axis \(window.axis): size \(window.size), stride \(window.stride), "
            + "padding \(window.padding), dilation \(window.dilation) is not a valid window")
      }
      guard let count = window.outputCount(forExtent: shape[window.axis]) else {
        throw .invalidArgument(
          operation: operation,
          message: "axis \(window.axis) of extent \(shape[window.axis]) is shorter than one window")
      }
      result[window.axis] = count
    }
    result += windows.map(\.size)
    _ = try ShapeMath.elementCount(result)
    return result
  }

}

/// The correspondence between windowed (output) offsets and input offsets.
struct WindowMap {

  /// Shape of the un-windowed tensor.
  let inputShape: [Int]

  /// Shape of the windowed tensor.
  let outputShape: [Int]

  /// The windowed axes.
  let windows: [WindowAxis]

  /// Number of windowed elements.
  var outputCount: Int { outputShape.reduce(1, *) }

  /// Calls `body(outStart, outStride, inStart, inStride, count)` for runs of windowed
  /// elements not in the padding: element `t < count` of a run is output offset
  /// `outStart + t·outStride` reading input offset `inStart + t·inStride`. Runs go along the
  /// grid axis of the last window, with the padding cut off analytically, so the inner loops
  /// do no index arithmetic.
  func forEachRun(_ body: (Int, Int, Int, Int, Int) -> Void) {
    guard let last = windows.last, outputCount > 0 else { return }
    let rank = inputShape.count
    let g = last.axis
    let inputStrides = ShapeMath.contiguousStrides(inputShape)
    let outputStrides = ShapeMath.contiguousStrides(outputShape)
    var windowOf = [Int](repeating: -1, count: rank)
    for (position, window) in windows.enumerated() { windowOf[window.axis] = position }
    // Odometer over every output axis but the run axis `g`.
    let outer = (0..<outputShape.count).filter { $0 != g }
    var index = [Int](repeating: 0, count: outputShape.count)
    let runLength = outputShape[g]
    let extent = inputShape[g]
    let kAxis = rank + windows.count - 1
    while true {
      var input = 0
      var output = 0
      var inside = true
      for axis in 0..<rank where axis != g {
        var position = index[axis]
        let w = windowOf[axis]
        if w >= 0 {
          let window = windows[w]
          position = position * window.stride - window.padding + index[rank + w] * window.dilation
          if position < 0 || position >= inputShape[axis] {
            inside = false
            break
          }
        }
        input += position * inputStrides[axis]
      }
      if inside {
        for axis in outer { output += index[axis] * outputStrides[axis] }
        // Input position along g: o·s − p + k·d, valid for lo ≤ o < hi.
        let shift = index[kAxis] * last.dilation - last.padding
        var lo = shift >= 0 ? 0 : (-shift + last.stride - 1) / last.stride
        var hi = extent - 1 - shift < 0 ? 0 : (extent - 1 - shift) / last.stride + 1
        lo = min(lo, runLength)
        hi = min(hi, runLength)
        if hi > lo {
          body(
            output + lo * outputStrides[g], outputStrides[g],
            input + (lo * last.stride + shift) * inputStrides[g], last.stride * inputStrides[g],
            hi - lo)
        }
      }
      var k = outer.count - 1
      while k >= 0 {
        let axis = outer[k]
        index[axis] += 1
        if index[axis] < outputShape[axis] { break }
        index[axis] = 0
        k -= 1
      }
      if k < 0 { return }
    }
  }
}
