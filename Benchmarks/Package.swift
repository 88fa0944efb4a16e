// swift-tools-version:6.1
// Benchmarks of zhsearch, kept in their own package so `swift build` and `swift test` in the
// root stay fast. Run: `swift package benchmark` here; check against the recorded thresholds:
// `swift package benchmark thresholds check`.
import Foundation
import PackageDescription

/// The main package is a path dependency, whose identity is the name of its folder (any
/// name, in a clone), so its product is named through it.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
  name: "ZhSearchBenchmarks",
  dependencies: [
    .package(path: "../"),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: []
)

// Analysis alone: fold, segment and bigram a corpus file, in memory.
package.targets += [
  .executableTarget(
    name: "AnalyzerBenchmarks",
    dependencies: [.product(name: "ZhSearch", package: root), .product(name: "Benchmark", package: "benchmark")],
    path: "Benchmarks/AnalyzerBenchmarks",
    plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
  )
]

// A whole index build of the bundled corpus, files read to a committed index.
package.targets += [
  .executableTarget(
    name: "IndexBenchmarks",
    dependencies: [.product(name: "ZhSearch", package: root), .product(name: "Benchmark", package: "benchmark")],
    path: "Benchmarks/IndexBenchmarks",
    plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
  )
]

// Query latency on an index of the bundled corpus, built before measuring.
package.targets += [
  .executableTarget(
    name: "SearchBenchmarks",
    dependencies: [.product(name: "ZhSearch", package: root), .product(name: "Benchmark", package: "benchmark")],
    path: "Benchmarks/SearchBenchmarks",
    plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
  )
]
