import CircuitIR
import CircuitTestSupport
import Testing

@testable import CircuitCodeGenC

/// Which contractions Winograd's F(2×2, 3×3) takes, and how its blocks of tile rows are sized.
@Suite struct WinogradTests {

  /// The contractions of `f` recognised as Winograd convolutions, by instruction index.
  static func convolutions(_ f: IR.Function) -> [Int: WinogradConvolution] {
    var found: [Int: WinogradConvolution] = [:]
    for (i, ins) in f.instructions.enumerated() {
      if case .contract(let axes) = ins.op, let c = WinogradConvolution(f, i, axes: axes, result: ins.type) {
        found[i] = c
      }
    }
    return found
  }

  /// The benchmark's 3×3 64→64 convolution on 56×56: 28×28 tiles, blocks of 4 tile rows
  /// (112 tiles, seven whole panels) on one or two threads, for one image or eight.
  @Test func benchmarkConvolution() throws {
    let f = try LoweredProgram.lower("bench/conv3x3.circuit")
    let found = WinogradTests.convolutions(f)
    #expect(found.count == 1)
    let c = try #require(found.values.first)
    #expect((c.tilesY, c.tilesX, c.height, c.width) == (28, 28, 56, 56))
    #expect(c.channels.map(\.name) == ["ci"] && c.outputs.map(\.name) == ["co"])
    for (images, threads) in [(1, 1), (1, 2), (8, 2)] {
      let rows = c.blockRows(inputs: 64, outputs: 64, imageCount: images, threads: threads, scratchFloats: 1 << 18)
      #expect(rows == 4, "\(images) images, \(threads) threads")
    }
    // A quarter of the scratch: one tile row (28 tiles) per block.
    #expect(c.blockRows(inputs: 64, outputs: 64, imageCount: 1, threads: 2, scratchFloats: 1 << 16) == 1)
  }

  /// Small grids keep whole panels per block rather than splitting for the threads; the
  /// strided convolution of `conv_shapes` is not Winograd's, its two stride-1 ones are.
  @Test func blockRowsAndShapes() throws {
    let f = try LoweredProgram.lower("Tests/CircuitCodeGenCTests/Programs/conv_shapes.circuit")
    let found = WinogradTests.convolutions(f)
    #expect(found.count == 2)
    let same = try #require(found.values.first { $0.height == 13 })
    #expect((same.tilesY, same.tilesX) == (7, 6))
    // 7 tile rows of 6 tiles (no row count gives whole panels): one block per image on one
    // thread; for two threads 6 rows, so the 3 images make 6 blocks.
    #expect(same.blockRows(inputs: 37, outputs: 13, imageCount: 3, threads: 1, scratchFloats: 1 << 18) == 7)
    #expect(same.blockRows(inputs: 37, outputs: 13, imageCount: 3, threads: 2, scratchFloats: 1 << 18) == 6)
    // One image on two threads: 3 rows (3 blocks of 18 tiles); 2 rows would be under a panel.
    #expect(same.blockRows(inputs: 37, outputs: 13, imageCount: 1, threads: 2, scratchFloats: 1 << 18) == 3)
  }
}
