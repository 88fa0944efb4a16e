import ArgumentParser
import FoundationEssentials
import Synchronization
import ZhSearch
import ZhSearchBench

#if canImport(Glibc)
  import Glibc
#endif

/// `zhsearch bench`: measures indexing, index size and query latency, against SQLite FTS5.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure index throughput, index size and query latency, and compare with SQLite FTS5.")

  @Argument(help: "Files and folders to index (default: corpus).")
  var paths: [String] = []

  @Option(help: "A file of queries, one a line (default: 500 sampled from the corpus).")
  var queries: String?

  @Option(help: "How many times to index the corpus.")
  var runs: Int = 3

  @Option(help: "Only measure queries, on this existing index (no build, no FTS5).")
  var index: String?

  @OptionGroup var build: BuildOptions

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func validate() throws {
    guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
  }

  func run() throws {
    let queryList: [String]?
    do { queryList = try queries.map(QuerySet.load) } catch { throw CommandError(error) }
    if let index {
      guard paths.isEmpty else { throw CommandError(message: "give either paths to index or --index, not both") }
      let report: Bench.QueryReport
      do {
        report = try Bench.measureQueries(index: index, queries: queryList, executable: executablePath()) { line in
          if !json { writeStandardError("zhsearch: \(TerminalText.escaped(line))\n") }
        }
      } catch {
        throw CommandError(error)
      }
      print(json ? "{\"queries\":\(JSONOutput.render(report))}" : Self.text(report).joined(separator: "\n"))
      return
    }
    var builder = try build.builder()
    let progress = ProgressBar(paths: paths.isEmpty ? ["corpus"] : paths)
    if let progress { builder.progress = { @Sendable done in progress.update(done) } }
    let options = Bench.Options(
      paths: paths.isEmpty ? ["corpus"] : paths, queries: queryList, runs: runs, builder: builder,
      executable: executablePath())
    let report: Bench.Report
    do {
      report = try Bench.run(options) { line in
        let line = TerminalText.escaped(line)
        progress?.start(line)
        if progress == nil && !json { writeStandardError("zhsearch: \(line)\n") }
      }
    } catch {
      throw CommandError(error)
    }
    progress?.finish()
    print(json ? JSONOutput.render(report) : Self.text(report))
  }

  /// This executable's path, to time whole `zhsearch search` processes.
  private func executablePath() -> String? {
    let path = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
  }

  static func text(_ report: Bench.Report) -> String {
    let mb = Double(report.inputBytes) / 1e6
    let statistics = report.statistics
    let input = Double(report.inputBytes)
    let stages = report.stages
    var lines: [String] = []
    lines.append("corpus          \(format(mb, 2)) MB, \(report.files) files, \(report.paragraphs) paragraphs")
    lines.append("threads         \(report.threads) (\(report.scratchRuns) scratch runs merged)")
    lines.append("wall time       min \(format(report.seconds.minimum, 3)) s, median \(format(report.seconds.median, 3)) s")
    lines.append("throughput      median \(format(report.megabytesPerSecond.median, 1)) MB/s (best \(format(Double(report.inputBytes) / 1e6 / report.seconds.minimum, 1))), \(format(report.paragraphsPerSecond.median, 0)) paragraphs/s")
    lines.append("peak memory     \(format(Double(report.peakMemoryBytes) / 1e6, 1)) MB (resident, whole bench process)")
    lines.append("index size      \(format(Double(statistics.totalBytes) / input, 3)) bytes per input byte in all; dictionary + postings + positions \(format(Double(statistics.invertedBytes) / input, 3)); stored text \(format(Double(statistics.textBytes) / input, 3))")
    lines.append("stages (s, summed over threads, fastest run)")
    lines.append("  read \(format(stages.read, 3))  split \(format(stages.split, 3))  analyze (fold + segment + bigram) \(format(stages.analyze, 3))  invert (sort + encode) \(format(stages.invert, 3))  write \(format(stages.write, 3))  merge + commit \(format(stages.merge, 3))")
    let ftsSpeed = report.fts5Seconds > 0 ? mb / report.fts5Seconds : 0
    lines.append("SQLite FTS5     \(format(report.fts5Seconds, 3)) s, \(format(ftsSpeed, 1)) MB/s, \(format(Double(report.fts5Bytes) / input, 3)) bytes per input byte; zhsearch is \(format(report.speedupOverFTS5, 1))x faster")
    lines += text(report.queries)
    return lines.joined(separator: "\n")
  }

  static func text(_ report: Bench.QueryReport) -> [String] {
    func line(_ latency: Bench.Latency) -> String {
      "p50 \(format(latency.p50, 1)) µs, p95 \(format(latency.p95, 1)) µs, p99 \(format(latency.p99, 1)) µs"
    }
    var lines = ["queries         \(report.ranked.count), ranked (exact total, top 10, in process, warm): \(line(report.ranked))"]
    for (kind, latency) in report.byKind {
      lines.append("  \(kind.rawValue) (\(latency.count)): \(line(latency))")
    }
    lines.append("  with text and highlights of the top 10: \(line(report.withText))")
    if !report.slowest.isEmpty {
      // Long queries shortened to their first 24 characters.
      let shown = report.slowest.map {
        (TerminalText.escaped($0.query.count > 24 ? $0.query.prefix(24) + "…" : $0.query), $0.microseconds)
      }
      lines.append("  slowest: " + shown.map { "\($0.0) \(format($0.1, 0)) µs" }.joined(separator: ", "))
    }
    if report.processMilliseconds.p50 > 0 {
      lines.append("search process  p50 \(format(report.processMilliseconds.p50, 1)) ms, p99 \(format(report.processMilliseconds.p99, 1)) ms from start to exit")
    }
    return lines
  }
}
