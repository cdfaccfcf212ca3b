/// The documentation of the built-in operations shown on hover and completion (the summary
/// of `docs/language.md`'s "Builtins, precisely").
enum BuiltinDocumentation {

  /// The text for `name`, if it is a built-in.
  static func text(_ name: String) -> String? { entries[name] }

  /// Every built-in's documentation, by name.
  static let entries: [String: String] = [
    "relu": "`relu(x)`: `x > 0 ? x : 0` elementwise (so `relu(NaN)` is 0).",
    "gelu": "`gelu(x)`: the exact (erf) GELU `0.5·x·(1 + erf(x/√2))` (PyTorch `GELU()`).",
    "gelu_tanh": "`gelu_tanh(x)`: the tanh approximation of GELU (PyTorch `GELU(approximate=\"tanh\")`).",
    "exp": "`exp(x)`: eˣ elementwise.",
    "log": "`log(x)`: the natural logarithm (`log(0) = -inf`, NaN below 0).",
    "tanh": "`tanh(x)`: hyperbolic tangent elementwise.",
    "sin": "`sin(x)`: sine elementwise.",
    "cos": "`cos(x)`: cosine elementwise.",
    "erf": "`erf(x)`: the error function elementwise.",
    "sigmoid": "`sigmoid(x)`: `1 / (1 + e⁻ˣ)`, computed without overflow.",
    "silu": "`silu(x)`: `x · sigmoid(x)` (swish).",
    "sqrt": "`sqrt(x)`: √x elementwise.",
    "rsqrt": "`rsqrt(x)`: 1/√x elementwise.",
    "abs": "`abs(x)`: absolute value elementwise.",
    "where": "`where(mask, a, b)`: `a` where the `bool` mask is true, else `b` (broadcast by name).",
    "sum": "`sum[a …](X)`: sums over the axes (in double); `sum[k](A * B)` is a contraction (GEMM).",
    "mean": "`mean[a …](X)`: the mean over the axes.",
    "max": "`max[a …](X)`: the largest element over the axes; `max(a, b)`: the larger, elementwise.",
    "min": "`min[a …](X)`: the smallest element over the axes; `min(a, b)`: the smaller, elementwise.",
    "softmax": "`softmax[a](S)`: softmax along the axes; an all `-inf` row gives 0.",
    "logsoftmax": "`logsoftmax[a](S)`: `x - m - log Σ exp(x - m)` along the axes.",
    "layernorm": "`layernorm[a](X, eps: e)`: `(x - μ) / √(σ² + e)` over the axes (no gain or bias); `eps` defaults to 1e-5.",
    "merge": "`merge[a b -> m](X)`: merges axes into one (first name major).",
    "split": "`split[m -> a b](X)`: splits an axis into several (first name major).",
    "rename": "`rename[a -> b](X)`: renames axes; data unchanged.",
    "concat": "`concat[a, b -> c](X, Y)`: concatenates along axes into a new axis.",
    "gather": "`gather[v](W, ids)`: `W` with its axis `v` replaced by the axes of the `i32` ids.",
    "window": "`window[h w -> h' w' kh kw; size k, stride s, pad p](X)`: sliding windows (im2col) with zero padding.",
    "unwindow": "`unwindow[…](X)`: the transpose of `window` (scatter-add of the taps).",
    "causal": "`causal[y x]`: `bool`, true where `x ≤ y` (by position).",
    "arange": "`arange[t]`: `0, 1, …, t-1` as f32.",
    "argmax": "`argmax[a](X)`: the `i32` position of the largest element along the axis.",
    "argmin": "`argmin[a](X)`: the `i32` position of the smallest element along the axis.",
    "onehot": "`onehot[v](ids)`: one-hot f32 vectors along a new axis `v` from `i32` ids.",
    "f32": "`f32(x)`: converts to 32-bit floats.",
    "i32": "`i32(x)`: converts to 32-bit integers.",
    "bool": "`bool(x)`: converts to booleans.",
    "size": "`size(a)`: the size of axis `a` as a scalar.",
  ]
}
