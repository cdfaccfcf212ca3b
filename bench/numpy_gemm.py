# numpy GEMM baseline. Run as: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/numpy_gemm.py
# (add OPENBLAS_NUM_THREADS=1 for the single-thread figure). Compare with: swift run -c release TensorBench
import numpy as np, time, sys
for n in (256, 512, 1024):
    a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
    a @ b
    best = 1e9
    for _ in range(20 if n < 1024 else 5):
        t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)
    print(f"numpy gemm {n}: {2*n**3/best/1e9:.1f} GFLOP/s")
