import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

/// What readers see of an index folder while builds write to it, are killed, fail or wait:
/// always a whole index, the old or the new one (or none, if there was none).
struct IndexCommitTests {
  /// A `zhsearch index` child process writing `paths` into `index`, its standard error to a file.
  private func startIndexing(_ paths: [String], into index: String, shell prefix: String? = nil) throws -> (Process, String) {
    let process = Process()
    let errors = Fixtures.temporaryDirectory(named: "stderr") + "/stderr.txt"
    #expect(FileManager.default.createFile(atPath: errors, contents: nil))
    let arguments = ["index"] + paths + ["--index", index]
    if let prefix {
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      let quoted = ([Fixtures.executable] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
      process.arguments = ["-c", prefix + "; exec " + quoted]
    } else {
      process.executableURL = URL(fileURLWithPath: Fixtures.executable)
      process.arguments = arguments
    }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
    try process.run()
    return (process, errors)
  }

  /// How many paragraphs of the index at `index` match `query`, through a fresh reader.
  private func total(_ query: String, in index: String) throws -> Int {
    try Searcher(reader: IndexReader(directory: index)).rank(query).total
  }

  /// Two corpora with different answers to 脱贫: two files of the bundled corpus, and all of it.
  private func corpora() throws -> (small: [String], large: [String]) {
    let files = try CorpusReader.files(in: [Fixtures.corpus])
    return (Array(files.prefix(2)), [Fixtures.corpus])
  }

  @Test func aKilledIndexRunLeavesThePreviousIndexOrNoneNeverAHalfWrittenOne() throws {
    let (small, large) = try corpora()
    let index = Fixtures.temporaryDirectory(named: "killed") + "/index"
    // How long a whole run takes, to spread the kills over it.
    let start = Date()
    let (first, _) = try startIndexing(large, into: index)
    first.waitUntilExit()
    #expect(first.terminationStatus == 0)
    let duration = Date().timeIntervalSince(start)
    let largeTotal = try total("脱贫", in: index)
    let smallTotal = try smallTotal()
    let fresh = Fixtures.temporaryDirectory(named: "fresh") + "/index"
    var random = SeededGenerator(seed: 5)
    for round in 0..<16 {
      // Half the rounds replace an index; the others write a first index.
      let target = round % 2 == 0 ? index : fresh + "\(round)"
      let (process, _) = try startIndexing(round % 4 == 0 ? small : large, into: target)
      Thread.sleep(forTimeInterval: Double.random(in: 0...1.1, using: &random) * duration)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      if target == index {
        let reader = try IndexReader(directory: index)
        #expect(reader.problems().isEmpty, "round \(round)")
        let found = try total("脱贫", in: index)
        #expect(found == largeTotal || found == smallTotal, "round \(round): \(found)")
      } else {
        // Killed before the commit: no index, as there was none; after it, a whole one.
        switch Result(catching: { () throws(IndexError) in try IndexReader(directory: target) }) {
        case .success(let reader): #expect(reader.problems().isEmpty, "round \(round)")
        case .failure(let error): #expect(error == .noIndex(path: target), "round \(round)")
        }
      }
    }
    // A later run completes, and clears what the killed ones left behind.
    let (last, _) = try startIndexing(small, into: index)
    last.waitUntilExit()
    #expect(last.terminationStatus == 0)
    let names = try FileManager.default.contentsOfDirectory(atPath: index)
    #expect(!names.contains { $0.hasPrefix("scratch-") || $0 == "manifest.tmp" }, "\(names)")
    #expect(names.count == 8, "\(names)")  // six data files, the manifest, the lock
  }

  /// The total for 脱贫 in an index of the small corpus alone.
  private func smallTotal() throws -> Int {
    let index = Fixtures.temporaryDirectory(named: "small") + "/index"
    _ = try IndexBuilder().build(paths: corpora().small, into: index)
    return try total("脱贫", in: index)
  }

  @Test func searchesWhileTheIndexIsReplacedSeeTheOldOrTheNewIndexWhole() throws {
    let (small, large) = try corpora()
    let index = Fixtures.temporaryDirectory(named: "replaced") + "/index"
    _ = try IndexBuilder().build(paths: small, into: index)
    let smallCount = try total("脱贫", in: index)
    let largeIndex = Fixtures.temporaryDirectory(named: "large") + "/index"
    _ = try IndexBuilder().build(paths: large, into: largeIndex)
    let largeCount = try total("脱贫", in: largeIndex)
    // Child processes replace the index four times, alternating the corpora, while this
    // process keeps opening and searching it.
    var builds = 0
    var (process, _) = try startIndexing(large, into: index)
    var searches = 0
    while true {
      let found = try total("脱贫", in: index)
      #expect(found == smallCount || found == largeCount, "\(found)")
      searches += 1
      if !process.isRunning {
        #expect(process.terminationStatus == 0)
        builds += 1
        if builds == 4 { break }
        (process, _) = try startIndexing(builds % 2 == 0 ? large : small, into: index)
      }
    }
    #expect(searches > 4)
  }

  @Test func aSecondIndexRunWaitsForTheFirstAndSaysSo() throws {
    let (small, _) = try corpora()
    let index = Fixtures.temporaryDirectory(named: "locked") + "/index"
    _ = try IndexBuilder().build(paths: small, into: index)
    // Hold the lock as a running build does.
    let lock = open(index + "/lock", O_RDWR)
    #expect(lock >= 0 && flock(lock, LOCK_EX) == 0)
    let (process, errors) = try startIndexing(small, into: index)
    var said = ""
    for _ in 0..<200 where !said.contains("waiting") {
      Thread.sleep(forTimeInterval: 0.05)
      said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
    }
    #expect(said.contains("another zhsearch index run is writing \(index); waiting for it to finish"), "\(said)")
    #expect(process.isRunning)
    close(lock)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  @Test func aWriteErrorStopsTheRunWithAClearMessageAndKeepsTheIndex() throws {
    let (small, large) = try corpora()
    let index = Fixtures.temporaryDirectory(named: "full") + "/index"
    _ = try IndexBuilder().build(paths: small, into: index)
    let before = try FileManager.default.contentsOfDirectory(atPath: index).sorted()
    let count = try total("脱贫", in: index)
    // Files may grow to 64 blocks at most, as on a full disk; the signal that limit sends
    // is ignored, so writes fail with EFBIG.
    let (process, errors) = try startIndexing(large, into: index, shell: "ulimit -f 64")
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    let said = try String(contentsOfFile: errors, encoding: .utf8)
    #expect(said.contains("indexing stopped: ") && said.contains("File too large; the index in \(index) is unchanged"), "\(said)")
    #expect(said.split(separator: "\n").count == 1, "\(said)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: index).sorted() == before)
    #expect(try IndexReader(directory: index).problems().isEmpty)
    #expect(try total("脱贫", in: index) == count)
  }
}
