import CircuitDiagnostics
import CircuitDriver
import CircuitIR
import CircuitPipeline
import Testing

/// Package files lowered through the pipeline library, as the driver lowers them.
public enum LoweredProgram {

  /// The failure to lower a file (its diagnostics are recorded as a test issue).
  public struct Failure: Error, CustomStringConvertible {

    /// The rendered diagnostics or the reason.
    public let description: String
  }

  /// The IR of the entry circuit of `path` (package-relative), after the standard passes,
  /// with the file's sizes and then `sizes`.
  public static func lower(_ path: String, sizes: [(String, Int)] = []) throws -> IR.Function {
    do throws(Failure) {
      return try lowering(PackagePaths.path(path), sizes: sizes)
    } catch {
      Issue.record("cannot lower \(path): \(error)")
      throw error
    }
  }

  /// The pipeline's steps: load through the file system, pick the entry, choose sizes, lower.
  static func lowering(_ path: String, sizes: [(String, Int)]) throws(Failure) -> IR.Function {
    let c: Compilation
    do throws(SourceReader.Failure) {
      c = try Compilation.load(
        path: path, stdlibPath: StdlibLocator.searchPath(flag: nil), reader: Platform.sourceReader)
    } catch {
      throw Failure(description: "\(error)")
    }
    guard let entry = c.entry(named: nil) else { throw Failure(description: "no circuit") }
    var log = c.log
    let chosen = c.sizes(for: entry, given: sizes, log: &log)
    let function: IR.Function?
    do throws(InternalError) {
      function = try c.lower(entry, sizes: chosen, log: &log)
    } catch {
      throw Failure(description: "internal compiler error: \(error)")
    }
    guard let function, !log.hasErrors else {
      throw Failure(description: DiagnosticRenderer(colored: false).render(log))
    }
    return function
  }
}
