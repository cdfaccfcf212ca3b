extension Kernels {

  /// Applies `function` to every element of a `float32` tensor.
  ///
  /// - Throws: `TensorError.elementTypeMismatch` for non-`float32` input.
  public static func unary(
    _ function: UnaryFunction, _ tensor: Tensor
  ) throws(TensorError) -> Tensor {
    let values = try tensor.requireFloats("unary \(function.rawValue)")
    let result = [Float](unsafeUninitializedCapacity: values.count) { output, initialized in
      values.withUnsafeBufferPointer { input in
        // The cheap functions get their own specialised (vectorisable) loop; the switch in
        // `apply` stays out of them.
        switch function {
        case .relu: mapElements(input, output) { $0 > 0 ? $0 : 0 }
        case .neg: mapElements(input, output) { -$0 }
        case .abs: mapElements(input, output) { Swift.abs($0) }
        case .sign: mapElements(input, output) { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        case .sqrt: mapElements(input, output) { $0.squareRoot() }
        case .geluErf, .geluTanh, .exp, .log, .tanh, .sigmoid, .rsqrt, .sin, .cos, .erf, .silu:
          mapElements(input, output) { function.apply($0) }
        }
      }
      initialized = values.count
    }
    return Tensor(uncheckedShape: tensor.shape, storage: .float32(result))
  }

  /// Initialises `output[i]` to `f(input[i])` for every element.
  @inline(__always)
  static func mapElements(
    _ input: UnsafeBufferPointer<Float>, _ output: UnsafeMutableBufferPointer<Float>,
    _ f: (Float) -> Float
  ) {
    guard let source = input.baseAddress, let target = output.baseAddress else { return }
    for i in 0..<input.count { (target + i).initialize(to: f(source[i])) }
  }

  /// Applies `function` to two `float32` tensors of identical shape (no implicit broadcast).
  ///
  /// - Throws: `TensorError` if the shapes differ or an operand is not `float32`.
  public static func binary(
    _ function: BinaryFunction, _ lhs: Tensor, _ rhs: Tensor
  ) throws(TensorError) -> Tensor {
    guard lhs.shape == rhs.shape else {
      throw .shapeMismatch(operation: "binary \(function.rawValue)", lhs.shape, rhs.shape)
    }
    let strides = ShapeMath.contiguousStrides(lhs.shape)
    return try binary(
      function, lhs, strides: strides, rhs, strides: strides, outputShape: lhs.shape)
  }

  /// Adds, subtracts or multiplies two `int32` tensors of identical shape, wrapping around at
  /// the i32 range (as the C backend does).
  ///
  /// - Throws: `TensorError` if an operand is not `int32`, the shapes differ, or `function`
  ///   is not `+`, `-` or `*`.
  public static func integerBinary(
    _ function: BinaryFunction, _ lhs: Tensor, _ rhs: Tensor
  ) throws(TensorError) -> Tensor {
    let operation = "binary \(function.rawValue)"
    guard lhs.shape == rhs.shape else { throw .shapeMismatch(operation: operation, lhs.shape, rhs.shape) }
    guard case .int32(let x) = lhs.storage else {
      throw .elementTypeMismatch(operation: operation, expected: .int32, actual: lhs.elementType)
    }
    guard case .int32(let y) = rhs.storage else {
      throw .elementTypeMismatch(operation: operation, expected: .int32, actual: rhs.elementType)
    }
    let result: [Int32]
    switch function {
    case .add: result = zip(x, y).map { $0 &+ $1 }
    case .sub: result = zip(x, y).map { $0 &- $1 }
    case .mul: result = zip(x, y).map { $0 &* $1 }
    default: throw .invalidArgument(operation: operation, message: "i32 operands take only +, - and *")
    }
    return Tensor(uncheckedShape: lhs.shape, storage: .int32(result))
  }

  /// Negates an `int32` tensor, wrapping around at the i32 range.
  public static func integerNegate(_ x: Tensor) throws(TensorError) -> Tensor {
    guard case .int32(let v) = x.storage else {
      throw .elementTypeMismatch(operation: "neg", expected: .int32, actual: x.elementType)
    }
    return Tensor(uncheckedShape: x.shape, storage: .int32(v.map { 0 &- $0 }))
  }

  /// Applies `function` to two `float32` operands read through explicit strides.
  ///
  /// This is the general broadcasting form: each operand is read at
  /// `sum(index[i] * strides[i])` for every output multi-index, so a stride of 0 repeats an
  /// operand along that output axis. Compute strides with
  /// `ShapeMath.broadcastStrides(from:to:axisMap:)`.
  /// - Throws: `TensorError` if an operand is not `float32` or a stride reads out of bounds.
  public static func binary(
    _ function: BinaryFunction,
    _ lhs: Tensor, strides lhsStrides: [Int],
    _ rhs: Tensor, strides rhsStrides: [Int],
    outputShape: [Int]
  ) throws(TensorError) -> Tensor {
    let operation = "binary \(function.rawValue)"
    let x = try lhs.requireFloats(operation)
    let y = try rhs.requireFloats(operation)
    try checkStridedAccess(lhs, shape: outputShape, strides: lhsStrides, operation: operation)
    try checkStridedAccess(rhs, shape: outputShape, strides: rhsStrides, operation: operation)
    let count = try ShapeMath.elementCount(outputShape)
    let result = [Float](unsafeUninitializedCapacity: count) { output, initialized in
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in
          let xs = lhsStrides.last ?? 0
          let ys = rhsStrides.last ?? 0
          // The switch is hoisted out of the loops so that each function gets its own
          // specialised, vectorisable row loop.
          switch function {
          case .add: stridedRows(outputShape, lhsStrides, rhsStrides, xs, ys, xp, yp, output) { $0 + $1 }
          case .sub: stridedRows(outputShape, lhsStrides, rhsStrides, xs, ys, xp, yp, output) { $0 - $1 }
          case .mul: stridedRows(outputShape, lhsStrides, rhsStrides, xs, ys, xp, yp, output) { $0 * $1 }
          case .div: stridedRows(outputShape, lhsStrides, rhsStrides, xs, ys, xp, yp, output) { $0 / $1 }
          case .max, .min, .pow:
            stridedRows(outputShape, lhsStrides, rhsStrides, xs, ys, xp, yp, output) {
              function.apply($0, $1)
            }
          }
        }
      }
      initialized = count
    }
    return Tensor(uncheckedShape: outputShape, storage: .float32(result))
  }

  /// Writes `op(x, y)` for every output position, row by row: rows where both operands are
  /// contiguous or one is constant along the row get tight loops the compiler vectorises.
  @inline(__always)
  static func stridedRows(
    _ shape: [Int], _ lhsStrides: [Int], _ rhsStrides: [Int], _ xs: Int, _ ys: Int,
    _ xp: UnsafeBufferPointer<Float>, _ yp: UnsafeBufferPointer<Float>,
    _ output: UnsafeMutableBufferPointer<Float>, _ op: (Float, Float) -> Float
  ) {
    guard let out = output.baseAddress, let xb = xp.baseAddress, let yb = yp.baseAddress else {
      return
    }
    var position = 0
    StridedLoop.forEachRow(shape: shape, strides: [lhsStrides, rhsStrides]) { offsets, length in
      let o = out + position
      let a = xb + offsets[0]
      let b = yb + offsets[1]
      if xs == 1 && ys == 1 {
        for t in 0..<length { o[t] = op(a[t], b[t]) }
      } else if xs == 1 && ys == 0 {
        let v = b[0]
        for t in 0..<length { o[t] = op(a[t], v) }
      } else if xs == 0 && ys == 1 {
        let u = a[0]
        for t in 0..<length { o[t] = op(u, b[t]) }
      } else {
        for t in 0..<length { o[t] = op(a[t * xs], b[t * ys]) }
      }
      position += length
    }
  }

  /// Compares two tensors of identical shape and type elementwise, producing `bool`.
  ///
  /// `float32`, `int32` and `bool` (false < true) operands are supported.
  /// - Throws: `TensorError` if shapes or element types differ.
  public static func compare(
    _ comparison: Comparison, _ lhs: Tensor, _ rhs: Tensor
  ) throws(TensorError) -> Tensor {
    let operation = "compare \(comparison.rawValue)"
    guard lhs.shape == rhs.shape else { throw .shapeMismatch(operation: operation, lhs.shape, rhs.shape) }
    let result: [Bool]
    switch (lhs.storage, rhs.storage) {
    case (.float32(let x), .float32(let y)): result = zip(x, y).map { comparison.apply($0, $1) }
    case (.int32(let x), .int32(let y)): result = zip(x, y).map { comparison.apply($0, $1) }
    case (.bool(let x), .bool(let y)):
      result = zip(x, y).map { comparison.apply($0 ? 1 : 0, $1 ? 1 : 0) }
    default:
      throw .elementTypeMismatch(
        operation: operation, expected: lhs.elementType, actual: rhs.elementType)
    }
    return Tensor(uncheckedShape: lhs.shape, storage: .bool(result))
  }

  /// Chooses elementwise: `mask ? whenTrue : whenFalse`, all three of identical shape.
  ///
  /// - Throws: `TensorError` if `mask` is not `bool`, shapes differ, or the two value tensors
  ///   differ in element type.
  public static func `where`(
    _ mask: Tensor, _ whenTrue: Tensor, _ whenFalse: Tensor
  ) throws(TensorError) -> Tensor {
    guard let choose = mask.bools else {
      throw .elementTypeMismatch(operation: "where", expected: .bool, actual: mask.elementType)
    }
    guard mask.shape == whenTrue.shape else {
      throw .shapeMismatch(operation: "where", mask.shape, whenTrue.shape)
    }
    guard mask.shape == whenFalse.shape else {
      throw .shapeMismatch(operation: "where", mask.shape, whenFalse.shape)
    }
    let storage: Tensor.Storage
    switch (whenTrue.storage, whenFalse.storage) {
    case (.float32(let a), .float32(let b)):
      storage = .float32((0..<choose.count).map { choose[$0] ? a[$0] : b[$0] })
    case (.int32(let a), .int32(let b)):
      storage = .int32((0..<choose.count).map { choose[$0] ? a[$0] : b[$0] })
    case (.bool(let a), .bool(let b)):
      storage = .bool((0..<choose.count).map { choose[$0] ? a[$0] : b[$0] })
    default:
      throw .elementTypeMismatch(
        operation: "where", expected: whenTrue.elementType, actual: whenFalse.elementType)
    }
    return Tensor(uncheckedShape: mask.shape, storage: storage)
  }

  /// Converts a tensor to another element type.
  ///
  /// Floats convert to `int32` by truncation toward zero, saturating at the `Int32` range
  /// (NaN gives 0); anything nonzero converts to `true`; `true` converts to 1.
  public static func cast(_ tensor: Tensor, to type: ElementType) -> Tensor {
    /// Converts one float to Int32 with saturation.
    func toInt(_ x: Float) -> Int32 {
      if x.isNaN { return 0 }
      if x >= 2_147_483_648 { return .max }
      if x <= -2_147_483_648 { return .min }
      return Int32(x)
    }
    let storage: Tensor.Storage
    switch (tensor.storage, type) {
    case (.float32, .float32), (.int32, .int32), (.bool, .bool): return tensor
    case (.float32(let v), .int32): storage = .int32(v.map(toInt))
    case (.float32(let v), .bool): storage = .bool(v.map { $0 != 0 })
    case (.int32(let v), .float32): storage = .float32(v.map { Float($0) })
    case (.int32(let v), .bool): storage = .bool(v.map { $0 != 0 })
    case (.bool(let v), .float32): storage = .float32(v.map { $0 ? 1 : 0 })
    case (.bool(let v), .int32): storage = .int32(v.map { $0 ? 1 : 0 })
    }
    return Tensor(uncheckedShape: tensor.shape, storage: storage)
  }

}
