/// A constant GEMM operand B (a parameter viewed as `[depth][columns]`) that the generated
/// `circuit_prepare` packs once into 16-column panels of full depth, so calls skip packing it.
struct PrepackedOperand: Hashable {

  /// The parameter's index in the entry ABI.
  let parameter: Int

  /// The element offset of B's first element in the parameter.
  let offset: Int

  /// Elements between consecutive depth rows.
  let rowStride: Int

  /// Elements between consecutive columns.
  let columnStride: Int

  /// The contracted extent K.
  let depth: Int

  /// The column extent N.
  let columns: Int

  /// Bytes of the packed panels (columns rounded up to whole 16-column panels).
  var packedBytes: Int { (columns + 15) / 16 * 16 * depth * 4 }

  /// The statements of `circuit_prepare` packing this operand as number `index`.
  func prepareText(index j: Int) -> String {
    var t = "  /* p\(parameter)_ as [\(depth)][\(columns)]: \(packedBytes) bytes of panels */\n"
    t += "  if (!cc_prepacked_[\(j)]) cc_prepacked_[\(j)] = aligned_alloc(64, \(packedBytes));\n"
    t += "  if (!cc_prepacked_[\(j)]) status_ = 2;\n"
    t += "  else {\n"
    t += "    cc_pack_b_(\(depth), \(columns), params[\(parameter)] + \(offset), \(rowStride), \(columnStride), cc_prepacked_[\(j)]);\n"
    t += "    cc_prepacked_from_[\(j)] = params[\(parameter)];\n  }\n"
    return t
  }
}
