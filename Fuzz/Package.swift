// swift-tools-version:6.1
import Foundation
import PackageDescription

/// libFuzzer targets for zhsearch, in a package of their own so that the main package's
/// builds and tests stay fast. Build with `swift build --sanitize=fuzzer` (see README).
///
/// The main package is a path dependency, whose identity is the name of its folder (any
/// name, in a clone), so the product is named through it.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
  name: "zhsearch-fuzz",
  dependencies: [.package(path: "..")],
  targets: [
    .executableTarget(
      name: "FuzzQuery", dependencies: [.product(name: "ZhSearch", package: root)],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    .executableTarget(
      name: "FuzzIndex", dependencies: [.product(name: "ZhSearch", package: root)],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    .executableTarget(
      name: "FuzzFolder", dependencies: [.product(name: "ZhSearch", package: root)],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
  ]
)
