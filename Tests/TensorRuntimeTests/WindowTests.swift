import Testing

@testable import TensorRuntime

/// Window (im2col) and un-window (its adjoint) against numpy convolutions.
@Suite struct WindowTests {

  /// The convolution used by the fixtures: kernel 3, stride 2, padding 1, dilation 2.
  static let spec = WindowAxis(axis: 1, size: 3, stride: 2, padding: 1, dilation: 2)

  /// window + contraction reproduces a strided, padded, dilated 1-d convolution.
  @Test func convolutionViaWindow() throws {
    let x = try Fixtures.tensor("conv_x")  // [C=3, L=10]
    let w = try Fixtures.tensor("conv_w")  // [O=4, C=3, K=3]
    let windows = try Kernels.window(x, windows: [Self.spec])
    #expect(windows.shape == [3, 4, 3])
    let y = try Kernels.contract(w, labels: [0, 1, 2], windows, labels: [1, 3, 2], output: [0, 3])
    expectClose(y, try Fixtures.tensor("conv_y"), relative: 1e-5, absolute: 1e-6)
  }

  /// contraction + unwindow reproduces the transposed convolution.
  @Test func transposedConvolutionViaUnwindow() throws {
    let y = try Fixtures.tensor("convT_y")  // [O=4, N=4]
    let w = try Fixtures.tensor("conv_w")
    let columns = try Kernels.contract(w, labels: [0, 1, 2], y, labels: [0, 3], output: [1, 3, 2])
    let x = try Kernels.unwindow(columns, windows: [Self.spec], inputShape: [3, 10])
    expectClose(x, try Fixtures.tensor("convT_x"), relative: 1e-5, absolute: 1e-6)
  }

  /// Two windowed axes with different parameters match numpy's explicit loop.
  @Test func twoDimensionalWindow() throws {
    let x = try Fixtures.tensor("window2d_x")
    let out = try Kernels.window(
      x, windows: [
        WindowAxis(axis: 1, size: 3, stride: 2, padding: 1),
        WindowAxis(axis: 2, size: 2, stride: 3, dilation: 2),
      ])
    #expect(out == (try Fixtures.tensor("window2d_out")))
  }

  /// un-window is the adjoint of window: <window(x), y> == <x, unwindow(y)>.
  @Test func unwindowIsAdjoint() throws {
    var random = RandomSource(seed: 3)
    let spec = [WindowAxis(axis: 0, size: 2, stride: 3, padding: 2), WindowAxis(axis: 1, size: 3, dilation: 2)]
    let x = try random.normalTensor(shape: [7, 9])
    let wx = try Kernels.window(x, windows: spec)
    let y = try random.normalTensor(shape: wx.shape)
    let uy = try Kernels.unwindow(y, windows: spec, inputShape: [7, 9])
    let lhs = zip(wx.floats!, y.floats!).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    let rhs = zip(x.floats!, uy.floats!).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    #expect(abs(lhs - rhs) <= 1e-4 * max(1, abs(lhs)))
  }

  /// Bad windows throw instead of trapping.
  @Test func invalidWindows() throws {
    let x = try Tensor.zeros(shape: [2, 3])
    #expect(
      tensorErrorMessage { _ = try Kernels.window(x, windows: [WindowAxis(axis: 1, size: 5)]) }
        == "window: axis 1 of extent 3 is shorter than one window")
    #expect(throws: TensorError.self) { _ = try Kernels.window(x, windows: [WindowAxis(axis: 1, size: 1, stride: 0)]) }
    #expect(throws: TensorError.self) { _ = try Kernels.window(x, windows: [WindowAxis(axis: 2, size: 1)]) }
  }

}
