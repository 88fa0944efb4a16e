import Foundation
import Testing

@testable import ZhSearch

/// The `zhsearch` executable, end to end: arguments in, text and exit status out.
struct CommandLineTests {
  /// Output and exit status of one run.
  /// Runs the executable; its standard output goes to `outputFile` when one is given.
  private func run(_ arguments: [String], in folder: String? = nil, outputFile: String? = nil) throws -> CommandRun {
    try CommandRun(arguments, in: folder, outputFile: outputFile)
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

  @Test func aMistypedOptionIsAnErrorWithASuggestionNeverAQuery() throws {
    let (_, index) = try indexedFixture()
    let cases: [([String], String)] = [
      (["search", "--limt", "3", "脱贫", "--index", index], "unknown option '--limt'; did you mean '--limit'?"),
      (["search", "--indx", index, "脱贫"], "unknown option '--indx'; did you mean '--index'?"),
      (["search", "-n", "5", "脱贫", "--index", index], "unknown option '-n' (to search for text that starts with '-'"),
      (["search", "脱贫", "--jsn=1", "--index", index], "unknown option '--jsn'; did you mean '--json'?"),
      (["stats", "--indx", index], "Unknown option '--indx'. Did you mean '--index'?"),
      (["show", "a.txt:1", "--contex", "1", "--index", index], "Unknown option '--contex'. Did you mean '--context'?"),
      (["files", "--jsno", "--index", index], "Unknown option '--jsno'. Did you mean '--json'?"),
      (["serch", "脱贫", "--index", index], "unknown command 'serch'; did you mean 'search'?"),
      (["search", "脱贫", "--color", "sometimes", "--index", index], "Please provide one of 'auto', 'always' or 'never'"),
      (["files", "extra", "--index", index], "Unexpected argument 'extra'"),
    ]
    for (arguments, message) in cases {
      let run = try run(arguments)
      #expect(run.status == 2, "\(arguments)")
      #expect(run.output.isEmpty, "\(arguments): \(run.output)")
      #expect(run.error.contains(message), "\(arguments): \(run.error)")
      // Whatever the command, one line: no usage text after it.
      #expect(run.error.split(separator: "\n").count == 1, "\(arguments): \(run.error)")
    }
    // After `--`, text that starts with a dash is the query's (here an excluded clause).
    let excluded = try run(["search", "--index", index, "--", "脱贫", "-精准"])
    #expect(excluded.status == 0, "\(excluded.error)")
    #expect(excluded.output.hasSuffix("1 paragraph matched\n"))
  }

  @Test func aNegativeNumberIsReportedAsTheOptionsValue() throws {
    let (_, index) = try indexedFixture()
    let cases: [([String], String)] = [
      (["search", "脱贫", "--limit", "-1", "--index", index], "--limit must be 0 or more, not -1"),
      (["search", "脱贫", "--k1", "-2", "--index", index], "--k1 must be a finite number, 0 or more, not -2.0"),
      (["search", "脱贫", "--b", "1.5", "--index", index], "--b must be from 0 to 1, not 1.5"),
    ]
    for (arguments, message) in cases {
      let run = try run(arguments)
      #expect(run.status == 2, "\(arguments)")
      #expect(run.error.hasPrefix("zhsearch: " + message), "\(arguments): \(run.error)")
    }
  }

  @Test func versionIsPrinted() throws {
    let run = try run(["--version"])
    #expect(run.status == 0)
    #expect(run.output.hasPrefix("zhsearch "))
  }

  @Test func wordsOtherToolsReadAsOperatorsGetAHintOnHowTheyWereRead() throws {
    let (_, index) = try indexedFixture()
    let cases: [([String], String?)] = [
      (["脱贫", "AND", "攻坚"], "AND is searched as a word"),
      (["脱贫", "or", "攻坚"], "write OR, in capitals"),
      (["脱贫*"], "'*' is not a wildcard"),
      (["为什么要打好精准脱贫攻坚战？"], "searched as one exact phrase"),
      (["脱贫", "OR", "攻坚"], nil),
      (["脱贫攻坚"], nil),
      (["精准，脱贫"], nil),
    ]
    for (query, hint) in cases {
      let run = try run(["search", "--index", index] + query)
      #expect(run.status != 2, "\(query): \(run.error)")
      if let hint {
        #expect(run.error.hasPrefix("zhsearch: hint: ") && run.error.contains(hint), "\(query): \(run.error)")
        #expect(run.error.split(separator: "\n").count == 1, "\(query): \(run.error)")
      } else {
        #expect(run.error.isEmpty, "\(query): \(run.error)")
      }
    }
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
      (["index", corpus, "--encoding", "no-such-charset", "--index", index], "unknown encoding no-such-charset"),
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

  @Test func anIndexRunThatFindsNothingToIndexExitsTwoAndKeepsTheIndex() throws {
    let (corpus, index) = try indexedFixture()
    let empty = corpus + "/empty.txt"
    #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
    let cases: [([String], String)] = [
      ([corpus + "/none.txt"], "warning: \(corpus)/none.txt: no such file or folder"),
      ([corpus + "/speeches/2019.txt/x"], "warning: \(corpus)/speeches/2019.txt/x: cannot read"),
      ([empty, corpus + "/none.txt"], "warning: \(empty): empty file (skipped)"),
    ]
    for (paths, warning) in cases {
      let run = try run(["index"] + paths + ["--index", index])
      #expect(run.status == 2, "\(paths)")
      #expect(run.error.contains(warning), "\(paths): \(run.error)")
      // Then one line that says nothing was indexed.
      #expect(run.error.split(separator: "\n").last?.contains("nothing to index") == true, "\(run.error)")
    }
    // The failed runs left the index searchable, with both files.
    #expect(try run(["search", "脱贫", "--index", index]).output.hasSuffix("2 paragraphs matched\n"))
  }

  @Test func filesThatCannotBeReadAreSkippedWithAWarningAndTheRestIndexed() throws {
    let corpus = Fixtures.corpusFolder(["good.txt": "打好精准脱贫攻坚战。\n"])
    #expect(FileManager.default.createFile(atPath: corpus + "/binary.txt", contents: Data([0x7F, 0x45, 0x4C, 0x46, 0, 1])))
    #expect(FileManager.default.createFile(atPath: corpus + "/gbk.txt", contents: Data(TextEncodingTests.gb18030)))
    #expect(FileManager.default.createFile(atPath: corpus + "/bad.txt", contents: Data(Array("脱贫".utf8) + [0xFF])))
    let index = Fixtures.temporaryDirectory(named: "cli") + "/index"
    let indexing = try run(["index", corpus, "--index", index])
    #expect(indexing.status == 0, "\(indexing.error)")
    #expect(indexing.error.contains("warning: \(corpus)/binary.txt: holds NUL bytes"))
    #expect(indexing.error.contains("warning: \(corpus)/bad.txt: 1 bytes that are not valid UTF-8 replaced with U+FFFD, the first at byte offset 6"))
    #expect(indexing.output.hasPrefix("indexed 3 files, skipped 1 (1 binary or undecodable), 1 with problems (1 invalid bytes replaced), 3 paragraphs"), "\(indexing.output)")
    // The GB18030 file was converted: its text is found.
    #expect(try run(["search", "经济运行", "--index", index]).output.contains("gbk.txt:1"))
    // An encoding given on the command line is used for every file.
    let forced = try run(["index", corpus + "/gbk.txt", "--encoding", "gbk", "--index", index])
    #expect(forced.status == 0, "\(forced.error)")
    #expect(try run(["search", "经济运行", "--index", index]).status == 0)
  }

  @Test func verifySaysWhetherTheIndexIsSoundAndSearchReportsDamage() throws {
    let (_, index) = try indexedFixture()
    let sound = try run(["verify", "--index", index])
    #expect(sound.status == 0, "\(sound.error)")
    #expect(sound.output.contains("sound"))
    // One bit flipped in the middle of the docs file's data.
    let name = try #require(try FileManager.default.contentsOfDirectory(atPath: index).first { $0.hasSuffix(".docs") })
    let url = URL(fileURLWithPath: index + "/" + name)
    var data = try Data(contentsOf: url)
    data[IndexFormat.headerSize + 1] ^= 0x04
    try data.write(to: url)
    let damaged = try run(["verify", "--index", index])
    #expect(damaged.status == 2)
    #expect(damaged.error.contains("damaged: \(name): checksum mismatch in bytes"), "\(damaged.error)")
    #expect(damaged.error.contains("1 problem found"), "\(damaged.error)")
    let search = try run(["search", "脱贫", "--index", index])
    #expect(search.status == 2)
    #expect(search.error.contains("the index is damaged: \(name)"), "\(search.error)")
  }

  @Test func statsReportsCountsAndFileSizes() throws {
    let (_, index) = try indexedFixture()
    let run = try run(["stats", "--index", index, "--json"])
    #expect(run.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    #expect(object["files"] as? Int == 2)
    #expect(object["paragraphs"] as? Int == 4)
    #expect(object["formatVersion"] as? Int == Int(IndexFormat.version))
    #expect((object["fileBytes"] as? [String: Int])?.count == 7)
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

  @Test func controlCharactersFromFilesAndPathsArePrintedEscapedNeverRaw() throws {
    // A title-setting sequence, a screen clear, a tab, a C1 control and a right-to-left
    // override, in a file's name and in its text.
    let hostile = "\u{1B}]0;PWNED\u{07}\u{1B}[2J\t\u{9B}\u{202E}"
    let corpus = Fixtures.corpusFolder(["a\(hostile).txt": "改革\(hostile)深化\n"])
    defer { try? FileManager.default.removeItem(atPath: corpus) }
    #expect(FileManager.default.createFile(atPath: corpus + "/empty\(hostile).txt", contents: Data()))
    let escaped = "\\x1b]0;PWNED\\x07\\x1b[2J\\t\\u{009b}\\u{202e}"
    let index = corpus + "/index\(hostile)"
    let indexing = try run(["index", corpus, "--index", index])
    #expect(indexing.status == 0, "\(indexing.error)")
    #expect(indexing.error.contains("warning: \(corpus)/empty\(escaped).txt: empty file"), "\(indexing.error)")
    #expect(indexing.output.contains("into \(corpus)/index\(escaped) "), "\(indexing.output)")
    let search = try run(["search", "改革", "--index", index])
    #expect(search.status == 0, "\(search.error)")
    #expect(search.output.contains("\(corpus)/a\(escaped).txt:1"), "\(search.output)")
    // (The text's brackets are escaped too, so that they cannot be read as marks.)
    let bracketsEscaped = escaped.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
    #expect(search.output.contains("[改革]\(bracketsEscaped)深化"), "\(search.output)")
    let stats = try run(["stats", "--index", index])
    let verify = try run(["verify", "--index", index])
    let missing = try run(["search", "改革", "--index", index + "/none"])
    #expect(missing.error.contains("\(corpus)/index\(escaped)/none"), "\(missing.error)")
    // The argument parser's messages quote what was typed.
    let badOption = try run(["search", "改革", "--index", index, "--limit", hostile])
    let unknown = try run(["--\(hostile)"])
    #expect(badOption.status == 2 && unknown.status == 2)
    #expect(badOption.error.contains(escaped), "\(badOption.error)")
    for run in [indexing, search, stats, verify, missing, badOption, unknown] {
      for text in [run.output, run.error] {
        #expect(!text.unicodeScalars.contains { TerminalText.isUnsafe($0.value) && $0 != "\n" }, "\(text)")
      }
    }
    // JSON escapes them its own way.
    let json = try run(["search", "改革", "--index", index, "--json"])
    #expect(json.output.contains("\\u001b]0;PWNED\\u0007"), "\(json.output)")
    #expect(!json.output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
  }

  @Test func anArgumentThatIsNotUTF8IsRefusedNotTakenForAnotherPath() throws {
    let folder = Fixtures.temporaryDirectory(named: "bytes")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // Swift would read the argument with U+FFFD for the byte, and write another folder.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exec \"$0\" index \"$1\" --index \"$(printf 'ix\\377')\"", Fixtures.executable, Fixtures.corpus]
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let error = Pipe()
    process.standardError = error
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(message == "zhsearch: argument 4 is not valid UTF-8 (ix\u{FFFD})\n", "\(message)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test func outputLostToAFullDeviceExitsTwoWithOneLine() throws {
    let (corpus, index) = try indexedFixture()
    defer {
      try? FileManager.default.removeItem(atPath: corpus)
      try? FileManager.default.removeItem(atPath: (index as NSString).deletingLastPathComponent)
    }
    let queries = corpus + "/queries.txt"
    try "脱贫攻坚\n".write(toFile: queries, atomically: true, encoding: .utf8)
    let commands: [[String]] = [
      ["search", "脱贫", "--index", index], ["search", "脱贫", "--index", index, "--json"],
      ["index", corpus + "/speeches", "--index", index], ["stats", "--index", index], ["verify", "--index", index],
      ["bench", "--index", index, "--queries", queries], ["--help"],
    ]
    for arguments in commands {
      let run = try run(arguments, outputFile: "/dev/full")
      #expect(run.status == 2, "\(arguments)")
      #expect(run.error.hasSuffix("zhsearch: cannot write the output: No space left on device\n"), "\(arguments): \(run.error)")
    }
    // The same runs with somewhere to write succeed.
    #expect(try run(["verify", "--index", index]).status == 0)
  }

  @Test func threadsBeyondTheCoresAndMemoryBeyondTheMachinesAreCapped() throws {
    // Enough records that a budget of a few megabytes, or an overflowed one, would spill.
    let text = String(repeating: "打好精准脱贫攻坚战，坚持农业农村优先发展。\n", count: 20_000)
    let corpus = Fixtures.corpusFolder(["a.txt": text, "b.txt": text])
    defer { try? FileManager.default.removeItem(atPath: corpus) }
    let queries = corpus + "/queries.txt"
    try "脱贫攻坚\n".write(toFile: queries, atomically: true, encoding: .utf8)
    let run = try run([
      "bench", corpus + "/a.txt", corpus + "/b.txt", "--runs", "1", "--queries", queries, "--json",
      "--threads", "1000", "--memory", "9223372036854775807",
    ])
    #expect(run.status == 0, "\(run.error)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    #expect(object["threads"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
    // One segment a file, kept in memory: nothing was spilled.
    #expect(object["scratchRuns"] as? Int == 2)
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
