import CircuitIR
import CircuitTestSupport
import Testing

@testable import CircuitCodeGenC

/// How GEMM operands reach the micro-kernel: read in place or packed by a step of their own.
/// The numbers are the differential tests' (`Programs/weight_gradient.circuit`).
@Suite struct GEMMOperandTests {

  /// A row-split weight gradient packs B once when its rows crowd the L1's sets (2 KiB
  /// stride), not at 1200 bytes; the rule itself at the MLP's strides.
  @Test func crowdedPanelsArePackedOnce() throws {
    let f = try LoweredProgram.lower("Tests/CircuitCodeGenCTests/Programs/weight_gradient.circuit")
    let source = CEmitter.emit(f).source
    #expect(source.components(separatedBy: "_packB_(const cc_ctx_* ctx").count - 1 == 1)
    #expect(FunctionEmitter.panelRowsCollide(rowStride: 512, depth: 256))
    #expect(!FunctionEmitter.panelRowsCollide(rowStride: 512, depth: 16))
    #expect(!FunctionEmitter.panelRowsCollide(rowStride: 784, depth: 256))
    #expect(!FunctionEmitter.panelRowsCollide(rowStride: 300, depth: 256))
  }
}
