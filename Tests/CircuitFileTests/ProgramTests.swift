import CircuitTestSupport
import Testing

/// Every file in `examples/` and `stdlib/` checks cleanly, and its `circuit check --types` output
/// and its IR (`circuit dump-ir`, after the passes, verified) match their golden files.
@Suite struct ProgramTests {

  @Test(arguments: CaseFile.programs)
  func checksCleanly(_ file: CaseFile) {
    let run = CircuitInvocation.run(["check", "--types", PackagePaths.path(file.path)])
    #expect(run.code == 0)
    #expect(run.stderr == "", "diagnostics:\n\(run.stderr)")
    Golden.expect(run.stdout, matches: file.golden("check"))
  }

  @Test(arguments: CaseFile.programs)
  func irMatchesGolden(_ file: CaseFile) {
    let run = CircuitInvocation.run(["dump-ir", PackagePaths.path(file.path)])
    #expect(run.code == 0)
    #expect(run.stderr == "", "diagnostics:\n\(run.stderr)")
    Golden.expect(run.stdout, matches: file.golden("ir"))
  }

  @Test func stdlibChecksAsOneProgram() {
    let files = PackagePaths.files(under: "stdlib", extension: "circuit").map(PackagePaths.path)
    let run = CircuitInvocation.run(["check"] + files)
    #expect(run.code == 0)
    #expect(run.stderr == "")
  }
}
