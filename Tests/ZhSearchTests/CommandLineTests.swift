import Foundation
import Testing

/// The `zhsearch` executable, end to end: arguments in, text and exit status out.
struct CommandLineTests {
  /// Output and exit status of one run.
  struct Run {
    var status: Int32
    var output: String
    var error: String
  }

  /// The built executable, beside the test bundle.
  private static let executable: String = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.pathComponents.count > 1 {
      url.deleteLastPathComponent()
      let candidate = url.appendingPathComponent("zhsearch").path
      if FileManager.default.isExecutableFile(atPath: candidate) && !FileManager.default.fileExists(atPath: candidate + "/") {
        return candidate
      }
    }
    return Fixtures.packageRoot + "/.build/debug/zhsearch"
  }()

  private func run(_ arguments: [String], in folder: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
      error: String(decoding: errorData, as: UTF8.self))
  }

  private func indexedFixture() throws -> (corpus: String, index: String) {
    let corpus = Fixtures.corpusFolder([
      "speeches/2019.txt": "打好精准脱贫攻坚战。\n坚持农业农村优先发展。\n",
      "speeches/2020.txt": "脱贫攻坚目标任务接近完成。\n2018年经济增长。\n",
    ])
    let index = Fixtures.temporaryDirectory(named: "cli") + "/index"
    let run = try run(["index", corpus, "--index", index])
    #expect(run.status == 0, "\(run.error)")
    #expect(run.output.contains("indexed 2 files, 4 paragraphs"))
    return (corpus, index)
  }

  @Test func indexThenSearchPrintsRankedHitsWithBracketedMatches() throws {
    let (corpus, index) = try indexedFixture()
    let run = try run(["search", "脱贫攻坚", "--index", index])
    #expect(run.status == 0)
    #expect(run.output.contains("\(corpus)/speeches/2019.txt:1"))
    #expect(run.output.contains("[脱贫攻坚]"))
    #expect(run.output.hasSuffix("2 paragraphs matched\n"))
  }

  @Test func jsonOutputHasTheDocumentedShape() throws {
    let (_, index) = try indexedFixture()
    let run = try run(["search", "2018年", "--index", index, "--json"])
    #expect(run.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    #expect(object["query"] as? String == "2018年")
    #expect(object["total"] as? Int == 1)
    let hit = try #require((object["hits"] as? [[String: Any]])?.first)
    #expect(hit["rank"] as? Int == 1)
    #expect((hit["file"] as? String)?.hasSuffix("speeches/2020.txt") == true)
    #expect(hit["line"] as? Int == 2)
    #expect(hit["paragraph"] as? Int == 2)
    #expect(hit["text"] as? String == "2018年经济增长。")
    #expect(hit["highlights"] as? [[Int]] == [[0, 5]])
    #expect((hit["score"] as? Double ?? 0) > 0)
  }

  @Test func negativeClausesAreNotTakenForOptions() throws {
    let (_, index) = try indexedFixture()
    let run = try run(["search", "脱贫", "-精准", "--index", index])
    #expect(run.status == 0, "\(run.error)")
    #expect(run.output.hasSuffix("1 paragraph matched\n"))
  }

  @Test func noHitsExitsWithStatusOne() throws {
    let (_, index) = try indexedFixture()
    let run = try run(["search", "美国", "--index", index])
    #expect(run.status == 1)
    #expect(run.output == "0 paragraphs matched\n")
  }

  @Test func errorsAreOneClearLineWithStatusTwo() throws {
    let (corpus, index) = try indexedFixture()
    let missing = corpus + "/no-index-here"
    let cases: [([String], String)] = [
      (["search", "中国", "--index", missing], "no index at \(missing)"),
      (["search", "\"中国", "--index", index], "unbalanced quote"),
      (["search", "--index", index], "the query is empty"),
      (["search", "，。", "--index", index], "nothing to search for"),
      (["stats", "--index", missing], "no index at"),
      (["index", corpus + "/none.txt", "--index", index], "no such file or folder"),
      (["index", corpus + "/speeches/2019.txt/x", "--index", index], "cannot read"),
    ]
    for (arguments, message) in cases {
      let run = try run(arguments)
      #expect(run.status == 2, "\(arguments)")
      #expect(run.error.contains(message), "\(arguments): \(run.error)")
      #expect(run.error.split(separator: "\n").count == 1, "\(arguments): \(run.error)")
    }
    // The failed index runs left the index searchable.
    #expect(try run(["search", "脱贫", "--index", index]).status == 0)
  }

  @Test func statsReportsCountsAndFileSizes() throws {
    let (_, index) = try indexedFixture()
    let run = try run(["stats", "--index", index, "--json"])
    #expect(run.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    #expect(object["files"] as? Int == 2)
    #expect(object["paragraphs"] as? Int == 4)
    #expect(object["formatVersion"] as? Int == 2)
    #expect((object["fileBytes"] as? [String: Int])?.count == 6)
  }

  @Test func benchReportsThroughputSizeLatencyAndTheFTS5Baseline() throws {
    let (corpus, _) = try indexedFixture()
    let queries = corpus + "/queries.txt"
    try "脱贫攻坚\n# a comment\n\n2018年\n".write(toFile: queries, atomically: true, encoding: .utf8)
    let run = try run(["bench", corpus + "/speeches", "--runs", "2", "--queries", queries, "--json"])
    #expect(run.status == 0, "\(run.error)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    #expect(object["files"] as? Int == 2)
    #expect(object["paragraphs"] as? Int == 4)
    let speed = try #require(object["megabytesPerSecond"] as? [String: Double])
    #expect((speed["median"] ?? 0) > 0)
    let stages = try #require(object["stagesSeconds"] as? [String: Double])
    #expect(Set(stages.keys) == ["read", "split", "analyze", "invert", "write", "merge"])
    let fts5 = try #require(object["fts5"] as? [String: Double])
    #expect((fts5["seconds"] ?? 0) > 0 && (fts5["speedup"] ?? 0) > 0)
    let latency = try #require(object["queries"] as? [String: Any])
    let ranked = try #require(latency["ranked"] as? [String: Double])
    #expect(ranked["count"] == 2)
    #expect((ranked["p50Microseconds"] ?? 0) > 0)
    let kinds = try #require(latency["byKind"] as? [String: [String: Double]])
    #expect(Set(kinds.keys) == ["phrase", "Latin or digits"])
    #expect(((latency["withText"] as? [String: Double])?["p50Microseconds"] ?? 0) > 0)
  }

  @Test func benchMeasuresQueriesAloneOnAnExistingIndex() throws {
    let (corpus, index) = try indexedFixture()
    let queries = corpus + "/queries.txt"
    try "脱贫攻坚\n民\n".write(toFile: queries, atomically: true, encoding: .utf8)
    let run = try run(["bench", "--index", index, "--queries", queries, "--json"])
    #expect(run.status == 0, "\(run.error)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    #expect(object["megabytesPerSecond"] == nil)
    let ranked = try #require((object["queries"] as? [String: Any])?["ranked"] as? [String: Double])
    #expect(ranked["count"] == 2)
    let both = try self.run(["bench", corpus, "--index", index])
    #expect(both.status == 2)
    #expect(both.error.contains("not both"))
  }

  @Test func searchBuildsTheDefaultIndexFromCorpusWhenThereIsNone() throws {
    let folder = Fixtures.corpusFolder(["corpus/a.txt": "脱贫攻坚\n"])
    let run = try run(["search", "脱贫攻坚"], in: folder)
    #expect(run.status == 0)
    #expect(run.error.contains("no index at .zhsearch yet; indexing corpus/ first"))
    #expect(run.output.contains("[脱贫攻坚]"))
    let again = try self.run(["search", "脱贫攻坚"], in: folder)
    #expect(again.error.isEmpty)
  }
}
