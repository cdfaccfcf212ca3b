import CircuitCodeGenC
import CircuitDriver
import CircuitNative
import CircuitTestSupport
import Testing

/// The generated C of every example and stdlib file compiles without a single warning under
/// `-Wall -Werror` at `-O2` (where gcc also reports loops it proves never run): a user
/// compiling `circuit emit-c` output sees no noise.
@Suite struct WarningTests {

  @Test(arguments: PackagePaths.files(under: "examples", extension: "circuit")
    + PackagePaths.files(under: "stdlib", extension: "circuit"))
  func compilesWithoutWarnings(_ path: String) throws {
    let f = try LoweredProgram.lower(path)
    var configuration = CompilerEnvironment.configuration
    configuration.flags = ["-O2", "-march=native", "-Wall", "-Werror"]
    do {
      _ = try CCompiler(configuration).compile(CEmitter.emit(f).source)
    } catch {
      Issue.record("\(path): \(error)")
    }
  }
}
