/// The validated label bookkeeping of one contraction, plus the general strided loop.
struct ContractionPlan {

  /// Extent of every label.
  let size: [Int: Int]

  /// Output labels in order.
  let output: [Int]

  /// The shape of the result.
  let outputShape: [Int]

  /// Labels not in the output (summed over), in first-appearance order.
  let summed: [Int]

  /// Strides of each output label in `a`, `b` (0 where absent).
  let outputStrides: (a: [Int], b: [Int])

  /// Strides of each summed label in `a`, `b` (0 where absent).
  let summedStrides: (a: [Int], b: [Int])

  /// Extents of the summed labels.
  let summedShape: [Int]

  /// 2 · product of all label extents: the multiply-add work of the contraction.
  let flops: Double

  /// Validates the labels and records extents and strides.
  init(
    aShape: [Int], aLabels: [Int], bShape: [Int], bLabels: [Int], output: [Int]
  ) throws(TensorError) {
    let operation = "contract"
    guard aLabels.count == aShape.count else {
      throw .invalidArgument(
        operation: operation,
        message: "first operand has rank \(aShape.count) but \(aLabels.count) labels")
    }
    guard bLabels.count == bShape.count else {
      throw .invalidArgument(
        operation: operation,
        message: "second operand has rank \(bShape.count) but \(bLabels.count) labels")
    }
    for (name, labels) in [("first operand", aLabels), ("second operand", bLabels), ("output", output)] {
      if Set(labels).count != labels.count {
        throw .invalidArgument(
          operation: operation, message: "a label repeats in the \(name) labels \(labels)")
      }
    }
    var size: [Int: Int] = [:]
    var order: [Int] = []
    for (labels, shape) in [(aLabels, aShape), (bLabels, bShape)] {
      for (label, extent) in zip(labels, shape) {
        if let known = size[label] {
          guard known == extent else {
            throw .invalidArgument(
              operation: operation,
              message: "label \(label) has extent \(known) in one operand and \(extent) in the other")
          }
        } else {
          size[label] = extent
          order.append(label)
        }
      }
    }
    for label in output where size[label] == nil {
      throw .invalidArgument(operation: operation, message: "output label \(label) is in no operand")
    }
    self.size = size
    self.output = output
    outputShape = output.map { size[$0]! }
    summed = order.filter { !output.contains($0) }
    summedShape = summed.map { size[$0]! }
    let aStrides = ShapeMath.contiguousStrides(aShape)
    let bStrides = ShapeMath.contiguousStrides(bShape)
    /// The stride of `label` in one operand, or 0 if the operand lacks it.
    func strideOf(_ label: Int, _ labels: [Int], _ strides: [Int]) -> Int {
      labels.firstIndex(of: label).map { strides[$0] } ?? 0
    }
    outputStrides = (
      output.map { strideOf($0, aLabels, aStrides) }, output.map { strideOf($0, bLabels, bStrides) }
    )
    summedStrides = (
      summed.map { strideOf($0, aLabels, aStrides) }, summed.map { strideOf($0, bLabels, bStrides) }
    )
    flops = order.reduce(2.0) { $0 * Double(size[$1]!) }
  }

  /// Evaluates the contraction directly: for every output element, sums `a · b` over all
  /// combinations of the summed labels.
  func stridedLoop(_ a: [Float], _ b: [Float], outputCount: Int) -> [Float] {
    var result = [Float](repeating: 0, count: outputCount)
    if outputCount == 0 { return result }
    let innerCount = summedShape.reduce(1, *)
    // Offsets of every summed-label combination, computed once.
    var innerA = [Int](repeating: 0, count: innerCount)
    var innerB = [Int](repeating: 0, count: innerCount)
    var position = 0
    if innerCount > 0 {
      StridedLoop.forEachRow(shape: summedShape, strides: [summedStrides.a, summedStrides.b]) {
        offsets, length in
        let stepA = summedStrides.a.last ?? 0
        let stepB = summedStrides.b.last ?? 0
        for i in 0..<length {
          innerA[position] = offsets[0] + i * stepA
          innerB[position] = offsets[1] + i * stepB
          position += 1
        }
      }
    }
    var out = 0
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        StridedLoop.forEachRow(shape: outputShape, strides: [outputStrides.a, outputStrides.b]) {
          offsets, length in
          let stepA = outputStrides.a.last ?? 0
          let stepB = outputStrides.b.last ?? 0
          for i in 0..<length {
            let baseA = offsets[0] + i * stepA
            let baseB = offsets[1] + i * stepB
            var total: Float = 0
            for j in 0..<innerCount { total += ap[baseA + innerA[j]] * bp[baseB + innerB[j]] }
            result[out] = total
            out += 1
          }
        }
      }
    }
    return result
  }

}
