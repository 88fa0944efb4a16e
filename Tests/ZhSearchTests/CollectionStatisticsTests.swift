import Testing

@testable import ZhSearch

struct CollectionStatisticsTests {
  /// Lengths in tokens: 2, 5, 2, 2 (11 in all); 中国 is in paragraphs 1 and 2.
  private static let files = ["a.txt": "中国\n中国中国人\n美国\n英国\n"]

  @Test func anIndexsOwnStatisticsAreItsCounts() throws {
    let searcher = try Fixtures.searcher(Self.files)
    let statistics = CollectionStatistics(reader: searcher.reader)
    #expect(statistics == CollectionStatistics(paragraphCount: 4, totalLength: 11))
    #expect(statistics.averageLength == 2.75)
    #expect(searcher.statistics == statistics)
    #expect(statistics.documentFrequency(of: "中国", counted: 2) == 2)
    #expect(CollectionStatistics(paragraphCount: 0, totalLength: 0).averageLength == 0)
  }

  @Test func scoresFollowStatisticsBuiltByHand() throws {
    let searcher = try Fixtures.searcher(Self.files)
    // As if this index were part of a collection of 1,000 paragraphs of 4 tokens on
    // average, 10 of which hold 中国.
    searcher.statistics = CollectionStatistics(paragraphCount: 1000, totalLength: 4000, documentFrequencies: ["中国": 10])
    let result = try searcher.search("中国", limit: 10)
    // The total counts this index's paragraphs; only the scores change.
    #expect(result.total == 2)
    // idf = ln(1 + (1000 - 10 + 0.5) / (10 + 0.5)) = 4.5573795...
    // Paragraph 2 (tf 2, dl 5): idf * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 5 / 4)).
    // Paragraph 1 (tf 1, dl 2): idf * 1 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / 4)).
    #expect(result.hits.map(\.paragraph.line) == [2, 1])
    #expect(abs(result.hits[0].score - 5.854735736486911) < 1e-9)
    #expect(abs(result.hits[1].score - 5.729277113562191) < 1e-9)
  }

  @Test func aClauseWithoutASharedFrequencyUsesItsOwnCountUnderTheSharedTotals() throws {
    let searcher = try Fixtures.searcher(Self.files)
    searcher.statistics = CollectionStatistics(paragraphCount: 1000, totalLength: 4000, documentFrequencies: ["中国": 10])
    // 美国 is in 1 paragraph here: idf = ln(1 + (1000 - 1 + 0.5) / 1.5), dl 2, avgdl 4.
    let alone = try searcher.search("美国", limit: 10)
    #expect(alone.hits.count == 1)
    #expect(abs(alone.hits[0].score - 8.175564158088871) < 1e-9)
    // Through the path for several clauses (an OR), each clause keeps its own frequency.
    let either = try searcher.search("中国 OR 美国", limit: 10)
    #expect(either.total == 3)
    let scores = Dictionary(uniqueKeysWithValues: either.hits.map { ($0.paragraph.line, $0.score) })
    #expect(abs(scores[3]! - 8.175564158088871) < 1e-9)
    #expect(abs(scores[2]! - 5.854735736486911) < 1e-9)
    #expect(abs(scores[1]! - 5.729277113562191) < 1e-9)
  }

  @Test func frequentCharactersRankTheSameAsRankingAllTheirParagraphsUnderAnyStatistics() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    let searcher = try Searcher(reader: reader)
    let own = CollectionStatistics(reader: reader)
    // Paragraphs far shorter or longer on average elsewhere: under these the best paragraphs
    // chosen at index time are not the best any more.
    let others = [1, 20, 400].map {
      CollectionStatistics(paragraphCount: own.paragraphCount * $0, totalLength: own.totalLength / 20)
    } + [CollectionStatistics(paragraphCount: own.paragraphCount, totalLength: own.totalLength * 20)]
    for statistics in [own] + others {
      searcher.statistics = statistics
      for character in ["的", "国", "中", "人", "一", "是", "在", "和"] {
        // A limit beyond any character's best paragraphs ranks every paragraph.
        let all = try searcher.rank(character, limit: reader.paragraphCount)
        let best = try searcher.rank(character, limit: 10)
        #expect(best.total == all.total)
        #expect(best.best.map(\.paragraph) == all.best.prefix(10).map(\.paragraph), "\(character)")
        #expect(best.best.map(\.score) == all.best.prefix(10).map(\.score), "\(character)")
      }
    }
  }
}
