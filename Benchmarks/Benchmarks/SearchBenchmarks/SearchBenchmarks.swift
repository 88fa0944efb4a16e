import Benchmark
import Foundation
import ZhSearch

/// The bundled corpus, found from this file's path.
private let corpus: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<4 { url.deleteLastPathComponent() }
  return url.appendingPathComponent("corpus").path
}()

/// An index of the bundled corpus, built once, before any measurement.
private let index: String = {
  let path = NSTemporaryDirectory() + "zhsearch-benchmark-search-\(getpid())"
  _ = try! IndexBuilder().build(paths: [corpus], into: path)
  return path
}()

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .mallocCountTotal],
    timeUnits: .microseconds,
    maxDuration: .seconds(5),
    thresholds: [
      .wallClock: .init(relative: BenchmarkThresholds.Relative.relaxed),
      .mallocCountTotal: .init(relative: BenchmarkThresholds.Relative.relaxed),
    ]
  )

  // Each kind of query of the bench's query set, warm: the whole search (top 10 with text
  // and highlights), and ranking alone. (Names without spaces: the threshold files are
  // found by name.)
  let queries: [(String, String)] = [
    ("single-character", "民"),
    ("two-character-phrase", "改革"),
    ("four-character-phrase", "脱贫攻坚"),
    ("eight-character-phrase", "全面建成小康社会"),
    ("two-clauses", "经济 发展"),
    ("OR-and-exclusion", "脱贫 OR 扶贫 -农村"),
    ("digits-and-Han", "2018年"),
  ]
  for (name, query) in queries {
    Benchmark("Search-\(name)") { benchmark in
      let searcher = try Searcher(reader: IndexReader(directory: index))
      _ = try searcher.search(query, limit: 10)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { blackHole(try searcher.search(query, limit: 10).total) }
    }
    // Ranking alone: the exact total and the top 10 ids and scores, no text read.
    Benchmark("Rank-\(name)") { benchmark in
      let searcher = try Searcher(reader: IndexReader(directory: index))
      _ = try searcher.rank(query, limit: 10)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { blackHole(try searcher.rank(query, limit: 10).total) }
    }
  }
}
