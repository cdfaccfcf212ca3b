import CircuitTestSupport
import Foundation
import Testing

/// Hostile generated inputs (very long operator chains and pipelines, huge size expressions,
/// long chains of calls, cycles of calls, floods of diagnostics) through every front-end
/// command in-process: each ends with exit 0 and a correct result, or exit 1 with a located
/// diagnostic, never a signal.
@Suite struct DeepInputTests {

  /// The commands that parse, check, lower and draw a program.
  static let commands = ["check", "dump-ir", "run", "render"]

  /// The result of `circuit command <file>` on `text` written as `main.circuit`.
  static func invoke(_ command: String, _ text: String) throws -> CircuitInvocation {
    try GeneratedPrograms.withFile(text, named: "main.circuit") { path in
      CircuitInvocation.run([command, path])
    }
  }

  /// Whether `stderr` holds an error diagnostic `main.circuit:line:column: error: … [id]`.
  static func hasLocatedError(_ stderr: String, id: String) -> Bool {
    stderr.contains(/main\.circuit:\d+:\d+: error: .*\[/ ) && stderr.contains("[\(id)]")
  }

  /// The numbers after `first [` in the output of `circuit run`.
  static func firstValues(_ stdout: String) -> [Double] {
    guard let m = stdout.firstMatch(of: /first \[([^\]]*)\]/) else { return [] }
    return m.output.1.split(separator: ",").compactMap {
      Double($0.trimmingCharacters(in: .whitespaces))
    }
  }

  /// The terms of an over-deep operator chain: five times the nesting budget (1,000) in a
  /// developer's `swift test`, 50,000 in `.ci/run`'s long pass (`CIRCUIT_FUZZ_SCALE` above 1).
  static let overDeepTerms = RobustnessTests.scale > 1 ? 50_000 : 5_000

  /// The terms of an over-deep size expression: 3,500 in `swift test`, 35,000 in the long pass.
  static let overDeepSizeTerms = RobustnessTests.scale > 1 ? 35_000 : 3_500

  @Test(arguments: ["+", "*"], commands)
  func fiftyThousandTermChainIsALocatedError(_ op: String, _ command: String) throws {
    let r = try Self.invoke(command, GeneratedPrograms.chain(op, terms: Self.overDeepTerms))
    #expect(r.code == 1)
    #expect(Self.hasLocatedError(r.stderr, id: "nesting-too-deep"))
  }

  @Test(arguments: commands)
  func longPipelineIsALocatedError(_ command: String) throws {
    let r = try Self.invoke(command, GeneratedPrograms.pipeline(stages: 3_500))
    #expect(r.code == 1)
    #expect(Self.hasLocatedError(r.stderr, id: "nesting-too-deep"))
  }

  @Test(arguments: commands)
  func hugeSizeExpressionIsALocatedError(_ command: String) throws {
    let r = try Self.invoke(command, GeneratedPrograms.sizeSum(terms: Self.overDeepSizeTerms))
    #expect(r.code == 1)
    #expect(Self.hasLocatedError(r.stderr, id: "nesting-too-deep"))
  }

  /// Chains within the nesting budget compute the right values.
  @Test func chainsWithinTheBudgetWork() throws {
    let single = try Self.invoke("run", "circuit main(X: [k=4]) -> [k] {\n    return X\n}\n")
    let x = Self.firstValues(single.stdout)
    #expect(x.count == 4)
    let sum = try Self.invoke("run", GeneratedPrograms.chain("+", terms: 512))
    #expect(sum.code == 0)
    let s = Self.firstValues(sum.stdout)
    #expect(s.count == 4)
    for (a, b) in zip(s, x) { #expect(abs(a - 512 * b) <= 1e-4 * max(1, abs(512 * b))) }
    let relu = try Self.invoke("run", "circuit main(X: [k=4]) -> [k] {\n    return relu(X)\n}\n")
    let pipeline = try Self.invoke("run", GeneratedPrograms.pipeline(stages: 900))
    #expect(pipeline.code == 0)
    #expect(pipeline.stdout == relu.stdout)
    let size = try Self.invoke("check", GeneratedPrograms.sizeSum(terms: 900))
    #expect(size.code == 0)
    #expect(size.stdout.contains("main(X: [k=900]) -> [k=900]"))
  }

  /// The length of the call chain every command must handle: 1,000 circuits in a developer's
  /// `swift test`, 5,000 in `.ci/run`'s long pass (`CIRCUIT_FUZZ_SCALE` above 1).
  static let chainLength = RobustnessTests.scale > 1 ? 5_000 : 1_000

  /// A chain of thousands of circuits, each calling the next, is no recursion: every command
  /// works.
  @Test(arguments: commands)
  func chainOfThousandsOfCircuits(_ command: String) throws {
    let r = try Self.invoke(command, GeneratedPrograms.callChain(Self.chainLength))
    #expect(r.code == 0, "\(r.stderr.prefix(2_000))")
    #expect(r.stderr.isEmpty)
    switch command {
    case "check": #expect(r.stdout.contains("entry main"))
    case "dump-ir": #expect(r.stdout.contains("relu"))
    case "run":
      let relu = try Self.invoke("run", "circuit main(X: [k=4]) -> [k] {\n    return relu(X)\n}\n")
      #expect(r.stdout == relu.stdout)
    default: #expect(r.stdout.hasPrefix("<svg") || r.stdout.contains("<svg"))
    }
  }

  /// Past 10,000 nested instances, one located error with a bounded number of short notes.
  /// (Elaborating 10,000 instances takes about 7 s in a debug build: `.ci/run`'s long pass only.)
  @Test(.enabled(if: RobustnessTests.scale > 1, "the long pass (CIRCUIT_FUZZ_SCALE above 1)"))
  func chainPastTheInstanceDepthLimit() throws {
    let r = try Self.invoke("check", GeneratedPrograms.callChain(10_001))
    #expect(r.code == 1)
    #expect(
      r.stderr.contains(
        "error: circuit instances are nested more than 10000 deep at this call of 'C10000' [nesting-too-deep]"))
    #expect(r.stderr.contains("note: and 9983 more enclosing instances"))
    #expect(r.stderr.utf8.count < 10_000)
  }

  /// Parameters are collected once per instance along a long chain (the per-circuit summary
  /// reuses instances it has elaborated already).
  @Test func parametersAlongAChain() throws {
    let n = Self.chainLength
    let r = try Self.invoke("check", GeneratedPrograms.callChain(n, parameters: true))
    #expect(r.code == 0)
    let values = "\(4 * n / 1_000),\(String(4 * n % 1_000 + 1_000).dropFirst())"  // 4·n ≥ 1,000, < 10⁶
    #expect(r.stdout.contains("circuit main(X: [k=4]) -> [k=4]\n  parameters: \(n) tensors, \(values) values\n"))
    #expect(r.stdout.contains("circuit C1(X: [k]) -> [k]\n  parameters: \(n - 1) tensors"))
    #expect(r.stdout.contains("circuit C\(n - 1)(X: [k]) -> [k]\n  parameters: 1 tensor"))
    #expect(r.stdout.contains(/\n    c1\.c2\.b +\[k=4\]  4\n/))
  }

  /// A real cycle of three circuits is reported once, at the call that closes it.
  @Test(arguments: commands)
  func cycleOfThreeCircuits(_ command: String) throws {
    let r = try Self.invoke(command, GeneratedPrograms.cycleOfThree)
    #expect(r.code == 1)
    #expect(
      r.stderr.contains(
        "main.circuit:8:12: error: circuit 'A' calls itself (A -> B -> C -> A); recursion is not supported [recursive-circuit]"
      ))
    #expect(r.stderr.contains("main.circuit:2:12: note: 'A' calls 'B' here"))
    #expect(r.stderr.contains("main.circuit:5:12: note: 'B' calls 'C' here"))
    #expect(r.stderr.components(separatedBy: "[recursive-circuit]").count == 2)
  }

  /// Thirty thousand errors: the first hundred are shown, the rest counted.
  @Test func floodOfErrors() throws {
    let r = try Self.invoke("check", GeneratedPrograms.unknownNames(30_000))
    #expect(r.code == 1)
    #expect(r.stderr.hasSuffix("note: 29900 more errors not shown\n30000 errors generated.\n"))
    #expect(r.stderr.components(separatedBy: ": error: ").count == 101)
  }

  /// Warnings are capped separately from errors; warnings alone exit 0.
  @Test func floodOfWarnings() throws {
    let r = try Self.invoke("check", GeneratedPrograms.unusedValues(5_000))
    #expect(r.code == 0)
    #expect(r.stderr.hasSuffix("note: 4900 more warnings not shown\n5000 warnings generated.\n"))
  }
}
