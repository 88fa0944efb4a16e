import ZhSearch
import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// Measures index throughput, index size and query latency on a corpus, against SQLite FTS5.
///
/// The corpus is indexed `runs` times into a scratch folder (each run timed from listing the
/// files to the committed index), then the same paragraphs are indexed by SQLite FTS5 with
/// its trigram tokenizer, and finally every query of the query set is run in process
/// (warm, top 10 with phrase verification and highlights) and, for a sample, as a whole
/// `zhsearch search` process.
public enum Bench {
  /// What to measure.
  public struct Options: Sendable {
    public var paths: [String]
    public var queries: [String]?
    public var runs: Int
    public var builder: IndexBuilder
    /// The `zhsearch` executable, to time whole search processes (none: skipped).
    public var executable: String?

    public init(paths: [String], queries: [String]? = nil, runs: Int = 3, builder: IndexBuilder = IndexBuilder(), executable: String? = nil) {
      self.paths = paths
      self.queries = queries
      self.runs = max(1, runs)
      self.builder = builder
      self.executable = executable
    }
  }

  /// Minimum and median of a measurement over the runs.
  public struct Spread: Sendable {
    public var minimum: Double
    public var median: Double

    init(_ values: [Double]) {
      let sorted = values.sorted()
      minimum = sorted.first ?? 0
      median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
  }

  /// Everything measured.
  public struct Report: Sendable {
    public var inputBytes: Int
    public var files: Int
    public var paragraphs: Int
    public var threads: Int
    public var scratchRuns: Int
    public var seconds: Spread
    public var megabytesPerSecond: Spread
    public var paragraphsPerSecond: Spread
    /// Stage seconds of the fastest run (summed over threads).
    public var stages: Timings
    public var peakMemoryBytes: Int
    public var statistics: IndexStatistics
    public var fts5Seconds: Double
    public var fts5Bytes: Int
    public var queries: QueryReport

    /// zhsearch's median throughput over FTS5's.
    public var speedupOverFTS5: Double {
      fts5Seconds > 0 ? megabytesPerSecond.median / (Double(inputBytes) / 1e6 / fts5Seconds) : 0
    }
  }

  /// Latency percentiles of a set of queries, in microseconds.
  public struct Latency: Sendable {
    public var count: Int
    public var p50: Double
    public var p95: Double
    public var p99: Double

    init(_ samples: [Double], count: Int) {
      self.count = count
      p50 = Bench.percentile(samples, 0.50)
      p95 = Bench.percentile(samples, 0.95)
      p99 = Bench.percentile(samples, 0.99)
    }
  }

  /// Query latency, overall and by kind of query, and the time of whole search processes.
  public struct QueryReport: Sendable {
    /// Ranking in process, warm: exact total and the top 10 ids and scores, phrases verified.
    public var ranked: Latency
    /// The same samples split by `QuerySet.Kind`, in its order (kinds absent from the set left out).
    public var byKind: [(kind: QuerySet.Kind, latency: Latency)]
    /// The whole search in process, warm: ranking, then the top 10 paragraphs' text and highlights.
    public var withText: Latency
    /// Start-to-exit time of `zhsearch search` processes, in milliseconds (0 when skipped).
    public var processMilliseconds: (p50: Double, p99: Double)
    /// The slowest queries to rank (median of their three runs, µs), slowest first: where the
    /// tail of the latency comes from.
    public var slowest: [(query: String, microseconds: Double)]
  }

  /// Runs the benchmark, calling `status` with a line about each step.
  public static func run(_ options: Options, status: (String) -> Void) throws -> Report {
    // A new folder of its own (mkdtemp), so that removing it removes nothing of anyone else's.
    var template = Array((FileManager.default.temporaryDirectory.path + "/zhsearch-bench-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
      throw IndexError.io(path: FileManager.default.temporaryDirectory.path, reason: String(cString: strerror(errno)))
    }
    let scratch = String(cString: made)
    defer { FileSystem.removeTree(scratch) }
    let index = scratch + "/index"
    var reports: [IndexBuilder.Report] = []
    for run in 1...options.runs {
      status("indexing, run \(run) of \(options.runs)")
      reports.append(try options.builder.build(paths: options.paths, into: index))
    }
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    let peak = Int(usage.ru_maxrss) * 1024
    let first = reports[0]
    let fastest = reports.min { $0.seconds < $1.seconds }!

    status("indexing the same paragraphs with SQLite FTS5 (trigram)")
    let files = try CorpusReader.files(in: options.paths)
    let fts5 = try FTS5Baseline.build(
      files: files, maxParagraphLength: options.builder.maxParagraphLength, encoding: options.builder.encoding,
      database: scratch + "/fts5.db")

    let queryReport = try measureQueries(
      index: index, queries: options.queries, executable: options.executable, status: status)
    let megabytes = Double(first.inputBytes) / 1e6
    return Report(
      inputBytes: first.inputBytes, files: first.files, paragraphs: first.paragraphs,
      threads: options.builder.threads, scratchRuns: first.scratchRuns,
      seconds: Spread(reports.map(\.seconds)),
      megabytesPerSecond: Spread(reports.map { megabytes / $0.seconds }),
      paragraphsPerSecond: Spread(reports.map { Double($0.paragraphs) / $0.seconds }),
      stages: fastest.timings, peakMemoryBytes: peak, statistics: fastest.statistics,
      fts5Seconds: fts5.seconds, fts5Bytes: fts5.databaseBytes, queries: queryReport)
  }

  /// Runs every query (default: 500 sampled from the index) in process, warm (after one
  /// untimed run): three times ranked only, three times as a whole search with text and
  /// highlights; then a sample of them as whole `executable search` processes.
  public static func measureQueries(
    index: String, queries: [String]?, executable: String?, status: (String) -> Void
  ) throws -> QueryReport {
    let reader = try IndexReader(directory: index)
    let queries = try queries ?? QuerySet.sample(reader, count: 500)
    status("running \(queries.count) queries")
    let searcher = try Searcher(reader: reader)
    var samples: [Double] = []
    var samplesByKind: [QuerySet.Kind: [Double]] = [:]
    var countByKind: [QuerySet.Kind: Int] = [:]
    var withText: [Double] = []
    var medians: [(query: String, microseconds: Double)] = []
    for query in queries {
      guard (try? searcher.search(query, limit: 10)) != nil else { continue }
      let kind = QuerySet.Kind(of: query)
      countByKind[kind, default: 0] += 1
      var runs: [Double] = []
      for _ in 0..<3 {
        let start = Timings.now()
        _ = try? searcher.rank(query, limit: 10)
        let micro = (Timings.now() - start) * 1e6
        runs.append(micro)
        samples.append(micro)
        samplesByKind[kind, default: []].append(micro)
      }
      medians.append((query, runs.sorted()[1]))
      for _ in 0..<3 {
        let start = Timings.now()
        _ = try? searcher.search(query, limit: 10)
        withText.append((Timings.now() - start) * 1e6)
      }
    }
    var processTimes: [Double] = []
    if let executable {
      status("running \(min(20, queries.count)) search processes")
      for query in queries.prefix(20) {
        let start = Timings.now()
        if try runQuietly(executable, ["search", query, "--index", index]) {
          processTimes.append((Timings.now() - start) * 1e3)
        }
      }
    }
    return QueryReport(
      ranked: Latency(samples, count: samples.count / 3),
      byKind: QuerySet.Kind.allCases.compactMap { kind in
        samplesByKind[kind].map { (kind, Latency($0, count: countByKind[kind] ?? 0)) }
      },
      withText: Latency(withText, count: withText.count / 3),
      processMilliseconds: (percentile(processTimes, 0.50), percentile(processTimes, 0.99)),
      slowest: Array(medians.sorted { $0.microseconds > $1.microseconds }.prefix(10)))
  }

  /// Runs a program with its output discarded and waits for it (posix_spawn, so the
  /// measurement holds little but the program's own time); false when the arguments are
  /// too long to start it.
  private static func runQuietly(_ executable: String, _ arguments: [String]) throws -> Bool {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let code = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    // A query too long for a command line is not timed as a process.
    if code == E2BIG { return false }
    guard code == 0 else { throw IndexError.io(path: executable, reason: String(cString: strerror(code))) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return true
  }

  /// The `fraction` percentile of `values` (nearest rank).
  static func percentile(_ values: [Double], _ fraction: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
  }
}
