import CircuitIR

extension FunctionEmitter {

  /// The operands and layout of a matrix-vector contraction, found before emission.
  struct MatrixVectorShape {
    /// The vector and the matrix (instruction indices), and the matrix's view.
    let x: Int, w: Int, wv: AffineView
    /// The contracted (K) and result (N) axes of the matrix, and their sizes.
    let kAxes: [IR.Axis], nAxes: [IR.Axis], k: Int, n: Int
    /// The matrix's strides along K and N (each a single run).
    let ks: Int, ns: Int
  }

  /// Contraction `i` over `axes` as a matrix-vector product: one operand (the vector) has no
  /// free axis of size > 1, the matrix is read in place with its K or N axes a unit-stride run,
  /// and the result's N axes are a run; nil when the shapes or layouts do not allow it. With
  /// `vector` (an operand position), that operand is the vector and its free and shared axes
  /// are taken to be of size 1 whatever their sizes here (`ContractionRegimes`' branch for
  /// the sizes where they are).
  func matrixVectorShape(_ i: Int, axes: [String], vector: Int? = nil) -> MatrixVectorShape? {
    let ins = f.instructions[i]
    let out = ins.type
    guard out.element == .float32 else { return nil }
    var (x, w) = (ins.operands[0].index, ins.operands[1].index)
    let isVector = { (v: Int, other: Int) -> Bool in
      let (t, u) = (self.f.instructions[v].type, self.f.instructions[other].type)
      return t.axes.allSatisfy { axes.contains($0.name) || $0.size == 1 || u.axis($0.name) != nil }
    }
    if let vector {
      (x, w) = (ins.operands[vector].index, ins.operands[1 - vector].index)
    } else if !isVector(x, w) {
      swap(&x, &w)
    }
    guard vector != nil || isVector(x, w), let wv = views[w] else { return nil }
    let (tx, tw) = (f.instructions[x].type, f.instructions[w].type)
    // Shared (batch) axes must all be trivial.
    guard vector != nil || tx.axes.allSatisfy({ axes.contains($0.name) || tw.axis($0.name) == nil || $0.size == 1 })
    else { return nil }
    let kAxes = tw.axes.filter { axes.contains($0.name) }
    // Shared axes are of size 1 where the path applies: left out, as at those sizes. With
    // `vector`, axes of size 1 are kept and the layout must allow the path without a size
    // of 1 (whether the branch is written must not depend on the sizes).
    let nAxes = out.axes.filter { tw.axis($0.name) != nil && tx.axis($0.name) == nil && (vector != nil || $0.size > 1) }
    let unitN = vector == nil && product(nAxes) == 1
    let (k, n) = (product(kAxes), product(nAxes))
    guard k <= LoweringPlan.matrixVectorDepth, k > 0, n > 0 else { return nil }
    let own = AffineView.contiguous(.value(i), bufferType(i))
    guard let cs = own.collapsedStride(nAxes), cs == 1 || unitN,
      let ks = wv.collapsedStride(kAxes), let ns = wv.collapsedStride(nAxes),
      ns == 1 || (unitN && ks != 1) || ks == 1
    else { return nil }
    return MatrixVectorShape(x: x, w: w, wv: wv, kAxes: kAxes, nAxes: nAxes, k: k, n: n, ks: ks, ns: ns)
  }

  /// A contraction in which one operand (the vector) has no free axis of size > 1:
  /// `y[n] = Σ_k x[k] W[k, n]`. The vector is evaluated once into a stack array (its fused
  /// producers included); W is read in place. When W's N axes are a unit-stride run the step is
  /// a sequence of axpys over rows of W; when its K axes are, it is 8-lane dot products.
  func emitMatrixVector(_ i: Int, _ shape: MatrixVectorShape) {
    let (x, wv, kAxes, nAxes, k, n, ks, ns) = (shape.x, shape.wv, shape.kAxes, shape.nAxes, shape.k, shape.n, shape.ks, shape.ns)
    let tx = f.instructions[x].type
    let axpy = ns == 1 || (n == 1 && ks != 1)
    flops += 2 * Double(k * n)
    // The vector, evaluated in W's K order.
    let idx = indices(kAxes)
    var source: [String: String] = [:]
    for a in tx.axes { source[a.name] = idx[a.name] ?? "0" }
    let value = expression(x, source)
    var text = "  float x_[\(k)] __attribute__((aligned(32)));\n  long q_ = 0;\n"
    text += loops(kAxes, split: false, indent: 1) { level in
      String(repeating: "  ", count: level) + "x_[q_++] = \(value);\n"
    }
    text += "  const float* restrict w_ = \(pointer(wv.buffer)) + \(wv.offset);\n"
    let split = threaded(i)
    // Threads split W's rows (K) when they are contiguous: each streams whole rows into a
    // partial y of its own, and a short serial step adds the partials in thread order.
    let splitDepth = split && axpy && ns == 1
    let partials = splitDepth ? temporary(bytes: 4 * n * plan.threads) : nil
    if let partials {
      text += "  float* restrict y_ = \(pointer(partials)) + part_ * \(n);\n"
      text += "  long n0_ = 0, n1_ = \(n), q0_ = 0, q1_ = \(k);\n"
      text += "  cc_split_(\(k), 8, part_, parts_, &q0_, &q1_);\n"
    } else {
      text += "  float* restrict y_ = \(pointer(.value(i)));\n"
      text += "  long n0_ = 0, n1_ = \(n);\n"
      if split { text += "  cc_split_(\(n), 16, part_, parts_, &n0_, &n1_);\n" }
    }
    text += "  /* N = \(describe(nAxes)) (\(n)), K = \(describe(kAxes)) (\(k))\(splitDepth ? ", rows split across threads" : "") */\n"
    let (q0, q1) = splitDepth ? ("q0_", "q1_") : ("0", "\(k)")
    if axpy {
      // axpy: rows of W are contiguous over N.
      text += "  for (long j_ = n0_; j_ < n1_; ++j_) y_[j_] = 0;\n"
      text += "  long q = \(q0);\n"
      if ns == 1 {
        // Four rows of W per pass over y: a quarter of the loads and stores of y.
        text += "  for (; q + 8 <= \(q1); q += 8) {\n"
        text += "    const float s0_ = x_[q], s1_ = x_[q + 1], s2_ = x_[q + 2], s3_ = x_[q + 3];\n"
        text += "    const float s4_ = x_[q + 4], s5_ = x_[q + 5], s6_ = x_[q + 6], s7_ = x_[q + 7];\n"
        text += "    const float* restrict r_ = w_ + q * \(ks);\n"
        text += "    for (long j_ = n0_; j_ < n1_; ++j_)\n"
        text += "      y_[j_] += ((s0_ * r_[j_] + s1_ * r_[j_ + \(ks)]) + (s2_ * r_[j_ + \(2 * ks)] + s3_ * r_[j_ + \(3 * ks)]))\n"
        text += "        + ((s4_ * r_[j_ + \(4 * ks)] + s5_ * r_[j_ + \(5 * ks)]) + (s6_ * r_[j_ + \(6 * ks)] + s7_ * r_[j_ + \(7 * ks)]));\n  }\n"
      }
      // The rows left over (all of them when W's rows are strided); none is emitted when the
      // pass above covers K (gcc warns about a tail loop it can prove never runs), unless the
      // sizes are symbolic (K's residue is no part of the program's structure).
      if ns != 1 || k % 8 != 0 || splitDepth || sizeForm == .symbolic {
        text += "  for (; q < \(q1); ++q) {\n"
        text += "    const float s_ = x_[q];\n    const float* restrict r_ = w_ + q * \(ks);\n"
        text += "    for (long j_ = n0_; j_ < n1_; ++j_) y_[j_] += s_ * r_[j_ * \(ns)];\n  }\n"
      } else {
        text += "  (void)q;\n"
      }
    } else {
      // Dot products: columns of W are contiguous over K.
      text += "  for (long j_ = n0_; j_ < n1_; ++j_) {\n"
      text += "    const float* restrict r_ = w_ + j_ * \(ns);\n"
      text += "    cc_v8_ a0_ = {0}, a1_ = {0};\n    long q = 0;\n"
      text += "    for (; q + 16 <= \(k); q += 16) {\n"
      text += "      a0_ += cc_load8_(x_ + q) * cc_load8_(r_ + q);\n"
      text += "      a1_ += cc_load8_(x_ + q + 8) * cc_load8_(r_ + q + 8);\n    }\n"
      text += "    a0_ += a1_;\n"
      text += "    float acc_ = ((a0_[0] + a0_[1]) + (a0_[2] + a0_[3])) + ((a0_[4] + a0_[5]) + (a0_[6] + a0_[7]));\n"
      if k % 16 != 0 || sizeForm == .symbolic { text += "    for (; q < \(k); ++q) acc_ += x_[q] * r_[q];\n" }
      text += "    y_[j_] = acc_;\n  }\n"
    }
    addStep("step\(i)_", comment: header(i), body: text, sharing: partials != nil ? .perThread : split ? .tiles(n, of: 16) : .serial)
    if let partials {
      let terms = (0..<plan.threads).map { "p_[\($0 * n) + j_]" }
      var sum = "  const float* restrict p_ = \(pointer(partials));\n"
      sum += "  float* restrict y_ = \(pointer(.value(i)));\n"
      sum += "  for (long j_ = 0; j_ < \(n); ++j_) y_[j_] = \(terms.joined(separator: " + "));\n"
      addStep("step\(i)_sum_", comment: "/* %\(i): add the threads' partial sums */\n", body: sum, sharing: .serial)
    }
  }
}
