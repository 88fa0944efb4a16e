import Benchmark
import Foundation
import ZhSearch

/// The bundled corpus, found from this file's path.
private let corpus: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<4 { url.deleteLastPathComponent() }
  return url.appendingPathComponent("corpus").path
}()

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .peakMemoryResident],
    timeUnits: .milliseconds,
    maxDuration: .seconds(10),
    maxIterations: 10,
    thresholds: [
      .wallClock: .init(relative: BenchmarkThresholds.Relative.relaxed),
      .peakMemoryResident: .init(relative: BenchmarkThresholds.Relative.relaxed),
    ]
  )

  // The bundled corpus (1.4 MB, 25 files) from files to a committed index.
  Benchmark("Index-the-bundled-corpus") { benchmark in
    let index = NSTemporaryDirectory() + "zhsearch-benchmark-index-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: index) }
    for _ in benchmark.scaledIterations {
      blackHole(try IndexBuilder().build(paths: [corpus], into: index).paragraphs)
    }
  }
}
