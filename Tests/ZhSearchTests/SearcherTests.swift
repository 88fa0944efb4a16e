import Testing

@testable import ZhSearch
import ZhSearchBench

struct SearcherTests {
  private func lines(_ result: SearchResult) -> [Int] { result.hits.map(\.paragraph.line).sorted() }

  @Test func hostileQueriesGetAClearErrorOrAnAnswer() throws {
    let searcher = try Searcher(reader: IndexReader(directory: Fixtures.corpusIndex))
    let longHan = String(repeating: "国家发展改革", count: 17_000)  // 102,000 characters
    let queries: [(String, QueryError?)] = [
      ("\"", .unbalancedQuote), ("\"国家", .unbalancedQuote), ("国家\"", .unbalancedQuote),
      ("，。！？", .nothingSearchable(clause: "，。！？")), ("   \t\n\u{3000}", .empty), ("-", .danglingExclusion),
      ("OR OR", .misplacedOr), ("OR", .misplacedOr), ("\"\" \"\"", .nothingSearchable(clause: "")),
      ("😀🇨🇳", .nothingSearchable(clause: "😀🇨🇳")), ("\u{1}\u{7F}\u{9B}", .nothingSearchable(clause: "\u{1}\u{7F}\u{9B}")),
      ("\u{FFFD}", .nothingSearchable(clause: "\u{FFFD}")), ("-国家 -发展", .onlyExclusions),
      (longHan, nil), (String(repeating: "国 ", count: 2_000), nil),
      (Array(repeating: "国家", count: 1_000).joined(separator: " OR "), nil),
      (String(repeating: "a1国😀,", count: 20_000), nil), ("国家\u{0}发展", nil), ("\u{FEFF}国家", nil),
    ]
    for (query, expected) in queries {
      let outcome = Result { () throws(Searcher.Failure) -> SearchResult in try searcher.search(query) }
      switch outcome {
      case .success(let result):
        #expect(expected == nil, "\(query.prefix(20)): expected \(String(describing: expected))")
        #expect(result.hits.count <= 10 && result.total >= result.hits.count)
      case .failure(.query(let error)):
        #expect(error == expected, "\(query.prefix(20))")
        // One printable line, however long or strange the query.
        #expect(!error.description.contains("\n") && error.description.count < 200)
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 })
      case .failure(.index(let error)):
        Issue.record("\(query.prefix(20)): \(error)")
      }
    }
  }

  @Test func digitsMatchWholeSoYearsDoNotMatchInsideLongerNumbers() throws {
    let searcher = try Fixtures.searcher(["a.txt": "2018年经济\n12018年\n2018年度\n2018 年\n"])
    #expect(lines(try searcher.search("2018年")) == [1, 3])
  }

  @Test func aWordAndTheCharacterRightAfterItAreOneJoinedTerm() throws {
    // `cpu核` is looked up as the joined term of cpu and 核: only where 核 follows the whole
    // word cpu with nothing between; and a longer Han run after the word still matches.
    let searcher = try Searcher(reader: Fixtures.searcher(["a.txt": "CPU核心\nCPU 核心\nACPU核\n核CPU\nＣＰＵ核\n"]).reader)
    #expect(lines(try searcher.search("cpu核")) == [1, 5])
    #expect(lines(try searcher.search("CPU核心")) == [1])
    #expect(lines(try searcher.search("\"cpu 核\"")) == [2])
    let hit = try #require(try searcher.search("cpu核").hits.first { $0.paragraph.line == 5 })
    #expect(hit.highlights == [0..<4])
  }

  @Test func lettersMatchWholeAndFoldWidthAndCase() throws {
    let searcher = try Fixtures.searcher(["a.txt": "使用ＧＤＰ指标\nGDPR规定\n人均gdp增长\n"])
    #expect(lines(try searcher.search("gdp")) == [1, 3])
    #expect(lines(try searcher.search("ＧＤＰ")) == [1, 3])
  }

  @Test func phrasesDoNotMatchAcrossPunctuationOrWhitespace() throws {
    let searcher = try Fixtures.searcher(["a.txt": "中国人民\n中国，人民\n中国 人民\n"])
    #expect(lines(try searcher.search("中国人民")) == [1])
    #expect(lines(try searcher.search("国人")) == [1])
    #expect(lines(try searcher.search("\"中国，人民\"")) == [2])
    #expect(lines(try searcher.search("\"中国,人民\"")) == [2])
    #expect(lines(try searcher.search("\"中国 人民\"")) == [3])
  }

  @Test func singleCharactersMatchAnywhereInARun() throws {
    let searcher = try Fixtures.searcher(["a.txt": "人民\n民主\n为民服务\n国家\n民\n"])
    #expect(lines(try searcher.search("民")) == [1, 2, 3, 5])
  }

  @Test func clausesCombineWithAndOrAndExclusion() throws {
    let searcher = try Fixtures.searcher([
      "a.txt": "脱贫攻坚\n脱贫致富\n扶贫攻坚\n攻坚克难\n"
    ])
    #expect(lines(try searcher.search("攻坚 脱贫 OR 扶贫")) == [1, 3])
    #expect(lines(try searcher.search("攻坚 -脱贫")) == [3, 4])
    #expect(lines(try searcher.search("脱贫 OR 扶贫 -致富")) == [1, 3])
  }

  @Test func sortedSetOperationsAgreeWithSets() {
    var random = SeededGenerator(seed: 11)
    for _ in 0..<200 {
      let a = Set((0..<Int.random(in: 0..<40, using: &random)).map { _ in UInt32.random(in: 0..<60, using: &random) })
      let b = Set((0..<Int.random(in: 0..<40, using: &random)).map { _ in UInt32.random(in: 0..<60, using: &random) })
      let (sortedA, sortedB) = (a.sorted(), b.sorted())
      #expect(SortedSets.union(sortedA, sortedB) == a.union(b).sorted())
      #expect(SortedSets.intersection(sortedA, sortedB) == a.intersection(b).sorted())
      #expect(SortedSets.difference(sortedA, sortedB) == a.subtracting(b).sorted())
    }
  }

  @Test func highlightsAreCharacterOffsetsIntoTheOriginalText() throws {
    let searcher = try Fixtures.searcher(["a.txt": "ＡＢＣ公司与abc公司，中国人民\n"])
    let hit = try #require(try searcher.search("abc公司 人民").hits.first)
    let text = Array(hit.paragraph.text.unicodeScalars)
    let pieces = hit.highlights.map { String(String.UnicodeScalarView(text[$0])) }
    #expect(pieces == ["ＡＢＣ公司", "abc公司", "人民"])
  }

  @Test func aSingleCharacterHighlightCoversOnlyThatCharacter() throws {
    let searcher = try Fixtures.searcher(["a.txt": "人民民主\n"])
    let hit = try #require(try searcher.search("民").hits.first)
    #expect(hit.highlights == [1..<3])
  }

  @Test func moreOccurrencesInAShorterParagraphRankFirst() throws {
    let searcher = try Fixtures.searcher([
      "a.txt": "改革开放推动发展，继续深化各领域的改革\n改革\n全面推进各项工作并且加强和改进党的建设，坚持改革\n"
    ])
    #expect(try searcher.search("改革").hits.map(\.paragraph.line) == [2, 1, 3])
  }

  @Test func oneListQueriesRankAsTheGeneralPathDoes() throws {
    // Bigrams, a word, a number, a character found in one bigram only and a frequent
    // character with its own list are ranked in one pass over a list, other characters by
    // tallying their bigram lists, phrases in one pass over their matches (two bigrams
    // matched by one merge, longer ones through every term); an exclusion that removes
    // nothing sends them all the general way.
    let searcher = try Searcher(reader: IndexReader(directory: Fixtures.corpusIndex))
    for query in ["发展", "改革", "脱贫", "rcep", "2018", "努", "的", "年", "脱贫攻坚", "经济发展", "全面建成小康社会"] {
      let fast = try searcher.rank(query, limit: 10)
      let general = try searcher.rank(query + " -qqqzzz", limit: 10)
      #expect(fast.total > 0, "\(query)")
      #expect(fast.total == general.total, "\(query)")
      #expect(fast.best.map(\.paragraph) == general.best.map(\.paragraph), "\(query)")
      #expect(fast.best.map(\.score) == general.best.map(\.score), "\(query)")
    }
  }

  @Test func aCharactersBestParagraphsRankAsAllItsParagraphsDo() throws {
    // Frequent characters are ranked from their best paragraphs when that is provably the
    // same answer; every limit (beyond the list too), and another scoring, must agree with
    // the general path.
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    for scoring in [BM25(), BM25(k1: 2.0, b: 0.3)] {
      let searcher = try Searcher(reader: reader, scoring: scoring)
      for query in ["的", "年", "发", "国", "展", "人", "会"] {
        #expect(try reader.characterBest(Unicode.Scalar(query)!.value) != nil, "\(query)")
        for limit in [0, 1, 10, 128, 300] {
          let fast = try searcher.rank(query, limit: limit)
          let general = try searcher.rank(query + " -qqqzzz", limit: limit)
          #expect(fast.total == general.total, "\(query) \(limit)")
          #expect(fast.best.map(\.paragraph) == general.best.map(\.paragraph), "\(query) \(limit)")
          #expect(fast.best.map(\.score) == general.best.map(\.score), "\(query) \(limit)")
        }
      }
    }
  }

  @Test func clausesStoppedByTheirBoundsRankAsWhenAllAreScored() throws {
    // The general path scores clauses from the highest bound down and stops when no paragraph
    // left can be kept; above 64 hits every paragraph is scored: the first 10 must agree.
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    for scoring in [BM25(), BM25(k1: 2.0, b: 0.3), BM25(k1: 0.5, b: 1.0)] {
      let searcher = try Searcher(reader: reader, scoring: scoring)
      for query in [
        "脱贫 OR 发展", "扶贫 OR 的", "改革 OR 开放 OR 创新", "经济 发展", "国 发展", "脱贫攻坚 OR 年",
        "发展 OR 发展", "乡村 振兴 OR 扶贫 -农村", "2018年 OR 增长",
      ] {
        let fast = try searcher.rank(query, limit: 10)
        let all = try searcher.rank(query, limit: 100)
        #expect(fast.total > 0, "\(query)")
        #expect(fast.total == all.total, "\(query)")
        #expect(fast.best.map(\.paragraph) == Array(all.best.prefix(10)).map(\.paragraph), "\(query)")
        #expect(fast.best.map(\.score) == Array(all.best.prefix(10)).map(\.score), "\(query)")
      }
    }
  }

  @Test func theBestScoresAreKeptAlikeForSmallAndLargeLimits() {
    // Scores with many ties, offered in an order unrelated to the paragraph ids.
    var random = SeededGenerator(seed: 11)
    let offers = (0..<3_000).map { _ in (paragraph: Int.random(in: 0..<1_000_000, using: &random), score: Double(Int.random(in: 0..<40, using: &random))) }
    let reference = offers.sorted { $0.score != $1.score ? $0.score > $1.score : $0.paragraph < $1.paragraph }
    for limit in [0, 1, 10, 64, 65, 500, 2_000_000_000] {
      var best = TopScores(limit: limit)
      for offer in offers { best.insert(offer.paragraph, offer.score) }
      let expected = reference.prefix(limit)
      #expect(best.entries.map(\.paragraph) == expected.map(\.paragraph), "limit \(limit)")
      #expect(best.entries.map(\.score) == expected.map(\.score), "limit \(limit)")
    }
  }

  @Test func changingTheScoringAfterAQueryRanksWithTheNewOne() throws {
    // Length factors are cached per scoring: a change must not reuse the old ones.
    let searcher = try Searcher(reader: IndexReader(directory: Fixtures.corpusIndex))
    _ = try searcher.rank("发展", limit: 10)
    searcher.scoring = BM25(k1: 2.0, b: 0.3)
    let fresh = try Searcher(reader: IndexReader(directory: Fixtures.corpusIndex), scoring: BM25(k1: 2.0, b: 0.3))
    for query in ["发展", "的", "改革 开放"] {
      let changed = try searcher.rank(query, limit: 10)
      let expected = try fresh.rank(query, limit: 10)
      #expect(changed.best.map(\.paragraph) == expected.best.map(\.paragraph), "\(query)")
      #expect(changed.best.map(\.score) == expected.best.map(\.score), "\(query)")
    }
  }

  @Test func searchShowsTheRankedParagraphsInOrder() throws {
    let searcher = try Searcher(reader: IndexReader(directory: Fixtures.corpusIndex))
    for query in ["发展", "人民 OR 群众", "\"全面建成小康社会\""] {
      let ranking = try searcher.rank(query, limit: 5)
      let result = try searcher.search(query, limit: 5)
      #expect(result.total == ranking.total)
      #expect(result.hits.map(\.paragraph.id) == ranking.best.map(\.paragraph))
      #expect(result.hits.map(\.rank) == Array(1...ranking.best.count))
      #expect(result.hits.allSatisfy { !$0.highlights.isEmpty })
    }
  }
}

struct PhraseTests {
  @Test func aLongHanPhraseNeedsOnlyACoverOfItsBigrams() throws {
    let phrase = try Phrase("全面建成小康社会", analyzer: Analyzer())
    #expect(phrase.terms.count == 7)
    let needed = phrase.neededTerms(documentFrequencies: [10, 500, 20, 400, 30, 300, 40])
    // Every character is still covered, and the frequent bigrams are gone.
    #expect(needed == [0, 2, 4, 6])
    let few = try Phrase("中国人", analyzer: Analyzer())
    #expect(few.neededTerms(documentFrequencies: [5, 9]) == [0, 1])
  }

  @Test func singleCharactersAndWordsAreAlwaysKept() throws {
    let phrase = try Phrase("2018年GDP", analyzer: Analyzer())
    #expect(phrase.neededTerms(documentFrequencies: Array(repeating: 100, count: phrase.terms.count)) == Array(phrase.terms.indices))
  }
}
