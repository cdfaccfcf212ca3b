/// A constant operand (a parameter) that the generated `circuit_prepare` rearranges once, so
/// calls skip the work: a GEMM's B packed into panels, or a convolution's kernels transformed
/// for Winograd's F(2×2, 3×3).
struct PrepackedOperand: Hashable {

  /// What is made of the parameter.
  enum Form: Hashable {
    /// B viewed as `[depth][columns]` (element `[p][j]` at `offset + p·rowStride + j·columnStride`),
    /// packed into 16-column panels of full depth (`cc_pack_b_`).
    case panels(rowStride: Int, columnStride: Int, depth: Int, columns: Int)
    /// 3×3 kernels `[outputs][inputs][3][3]` at the given strides, transformed into 16 row-major
    /// matrices `[outputs][inputs]` (`cc_winograd_kernel_`).
    case winograd(outputs: Int, inputs: Int, outputStride: Int, inputStride: Int, rowStride: Int, columnStride: Int)
  }

  /// The parameter's index in the entry ABI.
  let parameter: Int

  /// The element offset of the operand's first element in the parameter.
  let offset: Int

  /// What is made of it.
  let form: Form

  /// Bytes of the prepared copy (panels are rounded up to whole 16-column panels).
  var packedBytes: Int {
    switch form {
    case .panels(_, _, let depth, let columns): (columns + 15) / 16 * 16 * depth * 4
    case .winograd(let outputs, let inputs, _, _, _, _): 16 * outputs * inputs * 4
    }
  }

  /// `circuit_prepare`'s allocation of this operand's copy as number `j` (once; status 2
  /// when refused).
  func allocationText(index j: Int) -> String {
    let what: String
    switch form {
    case .panels(_, _, let depth, let columns): what = "as [\(depth)][\(columns)]: \(packedBytes) bytes of panels"
    case .winograd(let outputs, let inputs, _, _, _, _):
      what = "as \(outputs) x \(inputs) 3x3 kernels: \(packedBytes) bytes of Winograd transforms"
    }
    var t = "  /* p\(parameter)_ \(what) */\n"
    t += "  if (!cc_prepacked_[\(j)]) cc_prepacked_[\(j)] = aligned_alloc(64, \(packedBytes));\n"
    t += "  if (!cc_prepacked_[\(j)]) status_ = 2;\n"
    return t
  }

  /// Panels as number `j`: the `cc_panels_job_` initializer that `cc_pack_panels_` packs.
  func panelsJob(index j: Int) -> String? {
    guard case .panels(let rs, let cs, let depth, let columns) = form else { return nil }
    return "{\(parameter), \(j), \(offset), \(rs), \(cs), \(depth), \(columns)}"
  }

  /// Winograd transforms as number `j`: the statements making them, when allocated.
  func transformText(index j: Int) -> String? {
    guard case .winograd(let outputs, let inputs, let so, let si, let sh, let sw) = form else { return nil }
    let source = "params[\(parameter)] + \(offset)"
    var t = "  if (cc_prepacked_[\(j)]) {\n"
    t += "    cc_winograd_kernel_(\(outputs), \(inputs), \(source), \(so), \(si), \(sh), \(sw), cc_prepacked_[\(j)]);\n"
    t += "    cc_prepacked_from_[\(j)] = params[\(parameter)];\n  }\n"
    return t
  }
}
