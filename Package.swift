// swift-tools-version: 6.2
import PackageDescription

/// Every target treats warnings as errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

/// Release builds of the tensor runtime target AVX2 + FMA (haswell) so that the GEMM
/// micro-kernel's `SIMD8<Float>` operations become 256-bit fused multiply-adds.
#if arch(x86_64)
  let vectorISA: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))
  ]
#else
  let vectorISA: [SwiftSetting] = []
#endif

/// Modules whose work dominates `swift test` are optimised in debug builds too: the tensor
/// kernels (the interpreter's GEMM and elementwise loops; unoptimised `SIMD8<Float>` code is
/// tens of times slower, and the results are the same, as Swift does not reassociate
/// floating-point arithmetic at `-O`), the diagram layout (its crossing-minimising searches
/// lay every example out many times; two thirds of the suite's CPU time unoptimised), and the
/// front end and C back end that every test runs, often many times (lexer, parser, checker,
/// IR, C emitter, and the native loader, which hashes every cached library it loads): about 45
/// of the suite's 80 CPU-seconds unoptimised (`perf`, attributing each sample to the innermost
/// package frame). None of them uses `assert`, the one check `-O` removes.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
  name: "circuit",
  products: [.executable(name: "circuit", targets: ["circuit"])],
  targets: [
    .target(name: "CircuitDiagnostics", exclude: ["README.md"], swiftSettings: strict),
    .target(
      name: "CircuitSyntax", dependencies: ["CircuitDiagnostics", "TensorRuntime"], exclude: ["README.md"],
      swiftSettings: strict + optimizedInDebug),
    .target(
      name: "CircuitFormat", dependencies: ["CircuitSyntax"], exclude: ["README.md"], swiftSettings: strict),
    .target(
      name: "CircuitSema", dependencies: ["CircuitSyntax"], exclude: ["README.md"],
      swiftSettings: strict + optimizedInDebug),
    .target(name: "TensorRuntime", exclude: ["README.md"], swiftSettings: strict + vectorISA + optimizedInDebug),
    .executableTarget(
      name: "TensorBench", dependencies: ["TensorRuntime"], path: "bench/Sources/TensorBench",
      swiftSettings: strict + vectorISA),
    .target(
      name: "CircuitIR", dependencies: ["CircuitDiagnostics", "TensorRuntime"], exclude: ["README.md"],
      swiftSettings: strict + optimizedInDebug),
    .target(
      name: "CircuitLowering", dependencies: ["CircuitSema", "CircuitIR"], exclude: ["README.md"],
      swiftSettings: strict),
    .target(
      name: "CircuitInterpreter", dependencies: ["CircuitIR", "TensorRuntime"],
      exclude: ["README.md"], swiftSettings: strict),
    .target(
      name: "CircuitCodeGenC", dependencies: ["CircuitIR"], exclude: ["README.md"], swiftSettings: strict + optimizedInDebug),
    .target(
      name: "CircuitNative", dependencies: ["CircuitCodeGenC", "TensorRuntime"], exclude: ["README.md"],
      swiftSettings: strict + optimizedInDebug),
    .target(
      name: "CircuitAutodiff", dependencies: ["CircuitIR"], exclude: ["README.md"], swiftSettings: strict),
    .target(
      name: "CircuitDiagram", dependencies: ["CircuitIR"], exclude: ["README.md"], swiftSettings: strict + optimizedInDebug),
    .target(
      name: "CircuitExport", dependencies: ["CircuitIR", "CircuitTraining", "TensorRuntime"], exclude: ["README.md"],
      swiftSettings: strict),
    .target(
      name: "CircuitTraining", dependencies: ["TensorRuntime"], exclude: ["README.md"], swiftSettings: strict),
    .target(
      name: "CircuitPipeline",
      dependencies: [
        "CircuitSema", "CircuitLowering", "CircuitIR", "CircuitInterpreter", "CircuitDiagram", "TensorRuntime",
      ],
      exclude: ["README.md"], swiftSettings: strict),
    .target(
      name: "CircuitCost",
      dependencies: ["CircuitPipeline", "CircuitSema", "CircuitIR", "CircuitCodeGenC", "CircuitDiagram", "TensorRuntime"], exclude: ["README.md"],
      swiftSettings: strict),
    .target(
      name: "CircuitLanguageServer",
      dependencies: ["CircuitPipeline", "CircuitSema", "CircuitSyntax", "CircuitFormat", "CircuitDiagram", "CircuitIR", "TensorRuntime"],
      exclude: ["README.md"], swiftSettings: strict),
    .target(
      name: "CircuitDriver",
      dependencies: [
        "CircuitCost", "CircuitPipeline", "CircuitIR", "CircuitInterpreter", "CircuitNative", "CircuitDiagram", "CircuitAutodiff",
        "CircuitTraining", "CircuitFormat", "CircuitLanguageServer", "CircuitExport",
      ],
      exclude: ["README.md"], swiftSettings: strict),
    .executableTarget(name: "circuit", dependencies: ["CircuitDriver"], swiftSettings: strict),
    .target(name: "CircuitTestSupport", dependencies: ["CircuitDriver", "CircuitPipeline"], swiftSettings: strict),
    .testTarget(
      name: "CircuitSyntaxTests", dependencies: ["CircuitSyntax", "CircuitTestSupport", "TensorRuntime"],
      swiftSettings: strict),
    .testTarget(
      name: "CircuitFormatTests", dependencies: ["CircuitFormat", "CircuitDriver", "CircuitTestSupport"], swiftSettings: strict),
    .testTarget(
      name: "CircuitLanguageServerTests",
      dependencies: ["CircuitLanguageServer", "CircuitFormat", "CircuitDriver", "CircuitPipeline", "CircuitTestSupport", "TensorRuntime"],
      swiftSettings: strict),
    .testTarget(
      name: "CircuitSemaTests", dependencies: ["CircuitSema", "CircuitTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "TensorRuntimeTests", dependencies: ["TensorRuntime"], exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "CircuitCodeGenCTests", dependencies: ["CircuitCodeGenC", "CircuitNative", "CircuitPipeline", "CircuitTestSupport"],
      exclude: ["Golden", "Programs"], swiftSettings: strict),
    .testTarget(
      name: "CircuitDiagramTests",
      dependencies: ["CircuitDiagram", "CircuitIR", "CircuitDriver", "CircuitTestSupport"],
      exclude: ["Golden"], swiftSettings: strict),
    .testTarget(
      name: "CircuitFileTests",
      dependencies: ["CircuitTestSupport", "CircuitPipeline", "CircuitInterpreter", "CircuitIR", "TensorRuntime"],
      exclude: ["Cases", "Golden", "Checkpoint"], swiftSettings: strict),
    .testTarget(
      name: "CircuitAutodiffTests",
      dependencies: [
        "CircuitAutodiff", "CircuitInterpreter", "CircuitCodeGenC", "CircuitNative", "TensorRuntime",
        "CircuitLowering", "CircuitTestSupport",
      ],
      exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(
      name: "CircuitTrainingTests",
      dependencies: [
        "CircuitTraining", "CircuitTestSupport", "TensorRuntime", "CircuitDriver", "CircuitNative", "CircuitCodeGenC",
        "CircuitAutodiff", "CircuitInterpreter", "CircuitPipeline",
      ],
      exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(
      name: "CircuitCostTests",
      dependencies: ["CircuitCost", "CircuitPipeline", "CircuitDriver", "CircuitTestSupport", "CircuitAutodiff", "CircuitCodeGenC"],
      exclude: ["Programs", "Golden", "Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "CircuitExportTests",
      dependencies: [
        "CircuitExport", "CircuitIR", "CircuitDiagnostics", "CircuitDriver", "CircuitTestSupport", "TensorRuntime",
      ],
      exclude: ["Golden"], swiftSettings: strict),
    .testTarget(name: "CircuitInterpreterTests", dependencies: ["CircuitTestSupport", "TensorRuntime"], exclude: ["Programs", "Fixtures"], swiftSettings: strict),
  ]
)
