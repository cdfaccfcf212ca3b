// swift-tools-version: 6.2
import PackageDescription

/// Every target treats warnings as errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
  name: "circuit",
  products: [.executable(name: "circuit", targets: ["circuit"])],
  targets: [
    .target(name: "CircuitDiagnostics", swiftSettings: strict),
    .target(name: "CircuitSyntax", dependencies: ["CircuitDiagnostics"], swiftSettings: strict),
    .target(name: "CircuitSema", dependencies: ["CircuitSyntax"], swiftSettings: strict),
    .target(name: "CircuitDriver", dependencies: ["CircuitSema"], swiftSettings: strict),
    .executableTarget(name: "circuit", dependencies: ["CircuitDriver"], swiftSettings: strict),
    .target(name: "CircuitTestSupport", dependencies: ["CircuitDriver"], swiftSettings: strict),
    .testTarget(
      name: "CircuitSyntaxTests", dependencies: ["CircuitSyntax", "CircuitTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "CircuitSemaTests", dependencies: ["CircuitSema", "CircuitTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "CircuitFileTests", dependencies: ["CircuitTestSupport"],
      exclude: ["Cases", "Golden"], swiftSettings: strict),
  ]
)
