import Testing

@testable import ZhSearch
import ZhSearchBench

/// Occurrence counts against a naive count over the stored, folded text.
struct OccurrenceCounterTests {
  /// Leftmost non-overlapping occurrences of `needle` in `text` (as `grep -o` counts).
  static func naiveCount(_ needle: [UInt32], in text: [UInt32]) -> Int {
    guard !needle.isEmpty, needle.count <= text.count else { return 0 }
    var count = 0
    var i = 0
    while i + needle.count <= text.count {
      if text[i..<i + needle.count].elementsEqual(needle) {
        count += 1
        i += needle.count
      } else {
        i += 1
      }
    }
    return count
  }

  private static func isHan(_ scalar: Unicode.Scalar) -> Bool {
    (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
  }

  @Test func randomHanPhrasesCountAsANaiveScanOfTheFoldedText() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    let searcher = try Searcher(reader: reader)
    let analyzer = try Analyzer()
    let folded = try (0..<reader.paragraphCount).map { id in
      analyzer.analyze(try reader.paragraph(id).text, offsets: false).codePoints()
    }
    var random = SeededGenerator(seed: 25)
    var checked = 0
    while checked < 120 {
      let text = folded[Int.random(in: 0..<folded.count, using: &random)]
      let size = 1 + checked % 4
      guard text.count > size else { continue }
      let start = Int.random(in: 0...(text.count - size), using: &random)
      let needle = Array(text[start..<start + size])
      guard needle.allSatisfy({ Unicode.Scalar($0).map(Self.isHan) ?? false }) else { continue }
      let query = String(String.UnicodeScalarView(needle.compactMap(Unicode.Scalar.init)))
      var expected = Occurrences()
      for (id, paragraph) in folded.enumerated() {
        let count = Self.naiveCount(needle, in: paragraph)
        if count > 0 {
          expected.paragraphs.append(UInt32(id))
          expected.counts.append(UInt32(count))
        }
      }
      #expect(try searcher.occurrences(QueryParser.parse(query)) == expected, "query \(query)")
      checked += 1
    }
  }

  @Test func aPhraseThatOverlapsItselfCountsNonOverlappingMatches() throws {
    let searcher = try Fixtures.searcher([
      "a.txt": "哈哈哈\n哈哈哈哈\n哈哈，哈哈\n1 1 1 1 1\n一一一一一一一\n"
    ])
    func counts(_ query: String) throws -> [UInt32] { try searcher.occurrences(QueryParser.parse(query)).counts }
    #expect(try counts("哈哈") == [1, 2, 2])
    #expect(try counts("哈哈哈") == [1, 1])
    #expect(try counts("哈") == [3, 4, 4])
    #expect(try counts("\"1 1\"") == [2])
    #expect(try counts("一一一") == [2])
    #expect(try counts("\"哈，哈\"") == [1])
  }

  @Test func severalClausesAddTheirOccurrencesInTheMatchingParagraphs() throws {
    let searcher = try Fixtures.searcher([
      "a.txt": "脱贫攻坚，脱贫。\n扶贫和脱贫\n攻坚战\n脱贫攻坚农村\n"
    ])
    func result(_ query: String) throws -> Occurrences { try searcher.occurrences(QueryParser.parse(query)) }
    // Paragraphs 0 and 3 hold both clauses: 脱贫 twice and 攻坚 once, then once each.
    #expect(try result("脱贫 攻坚") == Occurrences(paragraphs: [0, 3], counts: [3, 2]))
    #expect(try result("脱贫 OR 扶贫") == Occurrences(paragraphs: [0, 1, 3], counts: [2, 2, 1]))
    #expect(try result("脱贫 -农村") == Occurrences(paragraphs: [0, 1], counts: [2, 1]))
    // The same clause typed twice (or folded alike) counts once.
    #expect(try result("脱贫 脱贫") == Occurrences(paragraphs: [0, 1, 3], counts: [2, 1, 1]))
    #expect(try result("贫困").total == 0)
  }

  @Test func aScopeKeepsOnlyItsParagraphs() throws {
    let searcher = try Fixtures.searcher(["a.txt": "发展\n发展发展\n发展\n"])
    searcher.scope = ParagraphScope(ranges: [1..<3])
    #expect(try searcher.occurrences(QueryParser.parse("发展")) == Occurrences(paragraphs: [1, 2], counts: [2, 1]))
  }

  @Test func selfOverlapIsAPeriodShorterThanTheLength() {
    #expect(OccurrenceCounter.canOverlap([1, 1]))
    #expect(OccurrenceCounter.canOverlap([1, 2, 1]))
    #expect(OccurrenceCounter.canOverlap([1, 2, 1, 2]))
    #expect(!OccurrenceCounter.canOverlap([1, 2]))
    #expect(!OccurrenceCounter.canOverlap([1, 1, 2]))
    #expect(!OccurrenceCounter.canOverlap([1]))
  }
}
