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
    metrics: [.wallClock, .throughput, .mallocCountTotal],
    timeUnits: .microseconds,
    maxDuration: .seconds(5),
    thresholds: [
      .wallClock: .init(relative: BenchmarkThresholds.Relative.relaxed),
      .throughput: .init(relative: BenchmarkThresholds.Relative.relaxed),
      .mallocCountTotal: .init(relative: BenchmarkThresholds.Relative.relaxed),
    ]
  )

  // One government work report (about 60 KB), line by line: MB/s = size / p50 time.
  Benchmark("Analyze-one-report-line-by-line") { benchmark in
    let path = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasPrefix("gwr-2019") }.first!
    let lines = try String(contentsOfFile: corpus + "/" + path, encoding: .utf8).split(separator: "\n").map(String.init)
    let analyzer = try Analyzer()
    // Warm up: the analyzer learns each block of characters from ICU on first sight.
    for line in lines { blackHole(analyzer.analyze(line, offsets: false).tokens.count) }
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      for line in lines { blackHole(analyzer.analyze(line, offsets: false).tokens.count) }
    }
  }

  Benchmark("Analyze-one-paragraph-with-offsets") { benchmark in
    let analyzer = try Analyzer()
    let paragraph = "坚持农业农村优先发展，加强脱贫攻坚与乡村振兴统筹衔接，确保如期实现脱贫攻坚目标、农民生活达到全面小康水平。"
    blackHole(analyzer.analyze(paragraph))
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations { blackHole(analyzer.analyze(paragraph)) }
  }
}
