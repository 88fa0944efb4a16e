import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

struct IndexBuilderTests {
  /// Every term with its decoded postings, and every paragraph, of an index.
  private func contents(_ directory: String) throws -> (terms: [UInt64: PostingList], words: [String], paragraphs: [String]) {
    let reader = try IndexReader(directory: directory)
    var entries: [TermEntry] = []
    try reader.dictionary.forEach { entries.append($0) }
    var terms: [UInt64: PostingList] = [:]
    for entry in entries { terms[entry.key] = try reader.postings(entry) }
    let words = try (0..<reader.dictionary.wordCount).map {
      String(decoding: try reader.dictionary.word(at: $0), as: UTF8.self)
    }
    let paragraphs = try (0..<reader.paragraphCount).map {
      let paragraph = try reader.paragraph($0)
      return "\(paragraph.file):\(paragraph.line):\(paragraph.ordinal):\(paragraph.length):\(paragraph.text)"
    }
    return (terms, words, paragraphs)
  }

  @Test func manyRunsOverManyThreadsGiveTheSameIndexAsOne() throws {
    let one = Fixtures.temporaryDirectory(named: "one")
    let many = Fixtures.temporaryDirectory(named: "many")
    let single = try IndexBuilder(threads: 1, memoryBudget: 1 << 30).build(paths: [Fixtures.corpus], into: one)
    // (A budget so small that the merge reads paragraph lengths from the mapped tables.)
    let split = try IndexBuilder(threads: 3, memoryBudget: 1 << 17).build(paths: [Fixtures.corpus], into: many)
    #expect(single.scratchRuns == 1)
    #expect(split.scratchRuns > 6)
    let a = try contents(one)
    let b = try contents(many)
    #expect(a.paragraphs == b.paragraphs)
    #expect(a.words == b.words)
    #expect(a.terms.count == b.terms.count)
    for (key, list) in a.terms {
      let other = try #require(b.terms[key])
      #expect(list.paragraphs == other.paragraphs && list.positions == other.positions, "term \(key)")
    }
    #expect(single.statistics.postings == split.statistics.postings)
  }

  @Test func stageTimesAreTimeTheBuildSpent() throws {
    // One worker: its stages (the analysis and the write timed a paragraph at a time, in CPU
    // ticks converted at their measured rate) happen one after another within the build.
    let report = try IndexBuilder(threads: 1).build(paths: [Fixtures.corpus], into: Fixtures.temporaryDirectory(named: "stages"))
    let timings = report.timings
    #expect(timings.analyze > 0 && timings.write > 0 && timings.read >= 0 && timings.split >= 0)
    let stages = timings.read + timings.split + timings.analyze + timings.write
    #expect(stages + timings.merge <= report.seconds * 1.01, "\(timings) in \(report.seconds) s")
  }

  @Test func sharesSplitOffBetweenWorkersGiveTheSameIndexAsOneWorker() throws {
    // Any share with two files left is split by a worker out of files (timing decides
    // which, and how often): the runs must still come in file order.
    let one = Fixtures.temporaryDirectory(named: "one")
    let split = Fixtures.temporaryDirectory(named: "split")
    _ = try IndexBuilder(threads: 1, memoryBudget: 1 << 30).build(paths: [Fixtures.corpus], into: one)
    var builder = IndexBuilder(threads: 3, memoryBudget: 1 << 30)
    builder.minimumSplitBytes = 1
    for _ in 0..<3 {
      _ = try builder.build(paths: [Fixtures.corpus], into: split)
      // (The file table holds the build's time: its records are compared instead.)
      let names = { (directory: String) in
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted().filter { $0.hasPrefix("0") && !$0.hasSuffix(".files") }
      }
      let (a, b) = (try names(one), try names(split))
      #expect(a.count == 5 && b.count == 5)
      #expect(try IndexReader(directory: one).files() == IndexReader(directory: split).files())
      for (x, y) in zip(a, b) {
        #expect(
          try Data(contentsOf: URL(fileURLWithPath: one + "/" + x)) == Data(contentsOf: URL(fileURLWithPath: split + "/" + y)),
          "\(x)")
      }
    }
  }

  @Test(arguments: [1 << 30, 1 << 17])
  func theMergeWritesTheSameFilesInOneChunkAsInMany(memoryBudget: Int) throws {
    // In memory, and spilled (where the chunks' postings go through scratch files rather
    // than handing their buffers to the writer: it may hold a sixteenth of the budget).
    var files: [[Data]] = []
    for chunks in [1, 64] {
      var builder = IndexBuilder(threads: 2, memoryBudget: memoryBudget)
      builder.mergeChunks = chunks
      // Chunks of a few thousand records: all 64 of them on the bundled corpus, finished out
      // of order, and (with the small budget) most chunks' postings through scratch files.
      builder.minimumMergeChunkWork = 1 << 10
      files.append(try postingsFiles(builtBy: builder).files)
    }
    #expect(files[0] == files[1])
  }

  @Test func chunksThatOutgrowTheirBuffersWriteTheSameFilesAsOneChunk() throws {
    // With a kilobyte of buffers, most chunks flush many times: to spill files while a
    // chunk before them is unwritten, then straight to the final files (what they spilled
    // first), while the chunks finished meanwhile wait for them.
    var files: [[Data]] = []
    for (chunks, flushBytes) in [(1, 1 << 20), (64, 1 << 10), (64, 1 << 10)] {
      var builder = IndexBuilder(threads: 2, memoryBudget: 1 << 30)
      builder.mergeChunks = chunks
      builder.minimumMergeChunkWork = 1 << 10
      builder.mergeFlushBytes = flushBytes
      files.append(try postingsFiles(builtBy: builder).files)
    }
    #expect(files[0] == files[1])
    #expect(files[0] == files[2])
  }

  @Test func theMergeWritesTheSamePostingsOnOneTwoAndFourThreads() throws {
    // Many small chunks, so that the merge threads take turns with them, and small buffers,
    // so that later chunks spill while earlier ones are unwritten.
    var files: [[Data]] = []
    for threads in [1, 2, 4] {
      var builder = IndexBuilder(threads: threads, memoryBudget: 1 << 30)
      builder.mergeChunks = 64
      builder.minimumMergeChunkWork = 1 << 10
      builder.mergeFlushBytes = 1 << 10
      files.append(try postingsFiles(builtBy: builder).files)
    }
    #expect(files[0] == files[1])
    #expect(files[0] == files[2])
  }

  @Test func aBuildThatSpillsWritesTheSamePostingsAsOneInMemory() throws {
    // Spilled runs go through varints and are re-encoded by the merge (skip entries
    // completed once a term's positions are written); records kept in memory are encoded
    // once: the bytes must not tell them apart.
    let inMemory = try postingsFiles(builtBy: IndexBuilder(threads: 2, memoryBudget: 1 << 30))
    let spilled = try postingsFiles(builtBy: IndexBuilder(threads: 2, memoryBudget: 1 << 17))
    #expect(inMemory.runs <= 4)
    #expect(spilled.runs > 8)
    #expect(inMemory.files == spilled.files)
  }

  /// The dictionary, docs and positions files of the bundled corpus's index as `builder`
  /// builds it, and how many runs it merged.
  private func postingsFiles(builtBy builder: IndexBuilder) throws -> (files: [Data], runs: Int) {
    let directory = Fixtures.temporaryDirectory(named: "postings")
    let report = try builder.build(paths: [Fixtures.corpus], into: directory)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
      .filter { $0.hasSuffix(".docs") || $0.hasSuffix(".positions") || $0.hasSuffix(".terms") }
    #expect(names.count == 3)
    return (try names.map { try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0)) }, report.scratchRuns)
  }

  /// Each paragraph holding `character` with its count, from the lists of the terms that
  /// start with it, and how many postings those lists hold.
  private func characterUnion(_ reader: IndexReader, _ character: UInt32) throws -> (union: [UInt32: UInt32], postings: Int) {
    var union: [UInt32: UInt32] = [:]
    var postings = 0
    for entry in try reader.dictionary.entries(in: TermKey.hanPrefixRange(character)) where TermKey.hasPositions(entry.key) {
      let list = try reader.docList(entry)
      postings += list.count
      for i in 0..<list.count { union[list.paragraphs[i], default: 0] += list.frequencies[i] }
    }
    return (union, postings)
  }

  @Test func frequentCharactersGetTheirOwnListTheUnionOfTheirTerms() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    var lists: [TermEntry] = []
    try reader.dictionary.forEach { if TermKey.isCharacterList($0.key) { lists.append($0) } }
    // 的 is the most frequent character of the bundled reports.
    #expect(lists.contains { TermKey.firstCharacter($0.key) == Unicode.Scalar("的").value })
    for list in lists {
      let own = try reader.docList(list)
      let character = TermKey.firstCharacter(list.key)
      let (union, postings) = try characterUnion(reader, character)
      #expect(postings >= IndexFormat.characterListThreshold(paragraphCount: reader.paragraphCount))
      #expect(own.paragraphs == union.keys.sorted(), "character \(character)")
      #expect(own.frequencies == union.keys.sorted().map { union[$0]! }, "character \(character)")
    }
  }

  @Test func frequentCharactersGetTheirBestParagraphsByScore() throws {
    // Built here with two threads: the merge reads lengths from both workers' tables.
    let directory = Fixtures.temporaryDirectory(named: "best")
    _ = try IndexBuilder(threads: 2).build(paths: [Fixtures.corpus], into: directory)
    let reader = try IndexReader(directory: directory)
    var characters: [UInt32] = []
    try reader.dictionary.forEach { if TermKey.isCharacterBest($0.key) { characters.append(TermKey.firstCharacter($0.key)) } }
    #expect(characters.count > 10)
    let scoring = BM25()
    for character in characters {
      let (entry, unionFrequency) = try #require(try reader.characterBest(character))
      let (union, postings) = try characterUnion(reader, character)
      #expect(postings >= IndexFormat.characterBestThreshold(paragraphCount: reader.paragraphCount))
      #expect(unionFrequency == union.count, "character \(character)")
      // Every paragraph whose r is not below the 128th largest, in order, with its count.
      func r(_ paragraph: UInt32) throws -> Double {
        let frequency = Double(union[paragraph]!)
        let factor = scoring.lengthFactor(
          length: try reader.length(ofParagraph: Int(paragraph)), averageLength: reader.averageLength)
        return frequency / (frequency + factor)
      }
      let ratios = try union.keys.map { try r($0) }.sorted(by: >)
      let cutoff = ratios.count > IndexFormat.characterBestCount ? ratios[IndexFormat.characterBestCount - 1] : -.infinity
      let expected = try union.keys.filter { try r($0) >= cutoff }.sorted()
      let best = try reader.docList(entry)
      #expect(best.paragraphs == expected, "character \(character)")
      #expect(best.frequencies == expected.map { union[$0]! }, "character \(character)")
    }
  }

  @Test func rareHanAndWordsAreFoundThroughTheOverflowPath() throws {
    let searcher = try Fixtures.searcher([
      "a.txt": "𠀀𠀁字\n丽豈更\n中𠀀\nWTO与GDP\n", "b.txt": "gdp 增长\n𠀁字\n",
    ])
    #expect(try searcher.matchingParagraphs("𠀁字").count == 2)
    #expect(try searcher.matchingParagraphs("中𠀀").count == 1)
    #expect(try searcher.matchingParagraphs("𠀀").count == 2)
    #expect(try searcher.matchingParagraphs("gdp").count == 2)
    #expect(try searcher.matchingParagraphs("wto与gdp").count == 1)
  }

  @Test(arguments: [false, true])
  func aBigramSeenBeyondPosition4096IsStillOneTerm(spilled: Bool) throws {
    // A line of 5,000 Han characters is never split: its tokens past position 4095 take
    // the overflow path, and must join the same term's other occurrences, whether the
    // records stay in memory until the merge or (with 80,000 more records than the
    // smallest budget holds) are spilled as runs first.
    let long = String(repeating: "中国", count: 2500)
    let filler = String(repeating: String(repeating: "经济社会发展", count: 8) + "\n", count: 1700)
    let searcher = try Fixtures.searcher(
      ["a.txt": "中国人民\n\(long)\n中国好\n", "b.txt": filler],
      builder: spilled ? IndexBuilder(threads: 1, memoryBudget: 1) : IndexBuilder())
    #expect(try searcher.matchingParagraphs("中国").count == 3)
    #expect(try searcher.matchingParagraphs("中国人民").count == 1)
    #expect(try searcher.matchingParagraphs("中国好").count == 1)
    #expect(try searcher.matchingParagraphs("发展经济").count == 1700)
    let hit = try #require(try searcher.search("国中国", limit: 1).hits.first)
    #expect(hit.paragraph.line == 2)
    var keys: [UInt64] = []
    try searcher.reader.dictionary.forEach { keys.append($0.key) }
    #expect(Set(keys).count == keys.count)
  }

  @Test func partitionKeepsFileOrderAndBalancesBytes() {
    // Sizes as the scan found them: one large file, then small ones.
    let sizes = [900, 100, 100, 100, 100, 100, 100, 100, 100, 100]
    let files = sizes.enumerated().map { (path: "/nonexistent/\($0.offset).txt", bytes: $0.element) }
    let shares = IndexBuilder.partition(files, into: 2)
    #expect(shares.flatMap { $0.map(\.path) } == files.map(\.path))
    #expect(shares.flatMap { $0.map(\.index) } == Array(0..<10))
    // Half of the 1,800 bytes is reached with the first file.
    #expect(shares.map { $0.map(\.bytes).reduce(0, +) } == [900, 900])
    #expect(IndexBuilder.partition(files, into: 3).count == 3)
  }
}
