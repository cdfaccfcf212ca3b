/// Namespace for the pure tensor kernels.
///
/// Every kernel takes and returns `Tensor` values, works on positional axes, and reports bad
/// arguments with a thrown `TensorError` instead of trapping.
public enum Kernels {}
