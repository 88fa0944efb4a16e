// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "zhsearch",
  products: [
    .library(name: "ZhSearch", targets: ["ZhSearch"]),
    .executable(name: "zhsearch", targets: ["zhsearch"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // The system ICU (libicuuc): carries the pkg-config flags, the link line and the apt hint.
    .systemLibrary(name: "CICU", pkgConfig: "icu-uc", providers: [.apt(["libicu-dev"])]),
    // The only code that includes ICU headers (and the CRC-32 with carry-less multiplies);
    // its public header uses plain C types only. It also links libicui18n (same folder as
    // libicuuc), for the Traditional-Simplified transform the variant table is derived from.
    .target(name: "CICUShim", dependencies: ["CICU"], linkerSettings: [.linkedLibrary("icui18n")]),
    // The system SQLite, for the FTS5 baseline that `zhsearch bench` measures against.
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    // All of zhsearch's logic: analysis, corpus reading, the index format, search.
    .target(name: "ZhSearch", dependencies: ["CICUShim"]),
    // `zhsearch bench`: throughput, size and latency, against SQLite FTS5; apart, so that the
    // library links only ICU.
    .target(name: "ZhSearchBench", dependencies: ["ZhSearch", "CSQLite"]),
    // The command-line tool: turns arguments into library calls and results into text.
    .executableTarget(
      name: "zhsearch",
      dependencies: ["ZhSearch", "ZhSearchBench", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .testTarget(name: "ZhSearchTests", dependencies: ["ZhSearch", "ZhSearchBench", "zhsearch"]),
  ]
)
