import CircuitDriver

/// The result of running the `circuit` command in-process.
public struct CircuitInvocation: Sendable {

  /// The exit code.
  public let code: Int32

  /// Standard output.
  public let stdout: String

  /// Standard error, with the package root removed from paths.
  public let stderr: String

  /// Runs `circuit arguments…` in-process with colour off, from the package root's view:
  /// absolute paths under the package are shown relative to it.
  public static func run(_ arguments: [String]) -> CircuitInvocation {
    var out = ""
    var err = ""
    let code = CommandLineTool.run(arguments: arguments, stdout: &out, stderr: &err, colored: false)
    let prefix = PackagePaths.root + "/"
    return CircuitInvocation(
      code: code, stdout: out.replacingAll(prefix, with: ""), stderr: err.replacingAll(prefix, with: ""))
  }
}

extension String {

  /// The string with every occurrence of `target` replaced.
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
