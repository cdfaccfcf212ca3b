import TensorRuntime

#if canImport(Glibc)
  import Glibc
#endif

/// Returns a monotonic time in seconds.
func now() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

/// Measures the best-of-`repeats` GFLOP/s of an n × n × n matrix product.
func benchmark(_ n: Int, repeats: Int) throws -> Double {
  var random = RandomSource(seed: UInt64(n))
  let a = try random.uniformTensor(shape: [n, n], from: -1, to: 1)
  let b = try random.uniformTensor(shape: [n, n], from: -1, to: 1)
  var best = Double.infinity
  for _ in 0..<repeats {
    let start = now()
    let c = try Kernels.matmul(a, b)
    best = min(best, now() - start)
    precondition(c.count == n * n)
  }
  return 2 * Double(n * n * n) / best / 1e9
}

let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
for n in sizes.isEmpty ? [256, 512, 1024] : sizes {
  let gflops = try benchmark(n, repeats: n >= 1024 ? 5 : 20)
  print("swift gemm \(n)x\(n)x\(n): \((gflops * 10).rounded() / 10) GFLOP/s")
}
