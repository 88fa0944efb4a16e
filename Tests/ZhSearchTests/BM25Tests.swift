import Testing

@testable import ZhSearch

struct BM25Tests {
  @Test func idfAndScoreMatchHandComputedValues() {
    let bm25 = BM25()
    // idf = ln(1 + (1000 - 10 + 0.5) / (10 + 0.5)) = ln(95.3333...)
    let idf = bm25.idf(documentFrequency: 10, documentCount: 1000)
    #expect(abs(idf - 4.557379522151743) < 1e-12)
    // 4.5573795 * 3 * 2.2 / (3 + 1.2 * (0.25 + 0.75 * 50 / 40))
    let score = bm25.score(termFrequency: 3, length: 50, averageLength: 40, idf: idf)
    #expect(abs(score - 6.797447422870397) < 1e-12)
  }

  @Test func idfStaysPositiveForATermInEveryParagraph() {
    #expect(BM25().idf(documentFrequency: 100, documentCount: 100) > 0)
  }

  @Test func bOfZeroIgnoresLength() {
    let bm25 = BM25(k1: 1.2, b: 0)
    let short = bm25.score(termFrequency: 2, length: 5, averageLength: 50, idf: 1)
    let long = bm25.score(termFrequency: 2, length: 500, averageLength: 50, idf: 1)
    #expect(short == long)
  }

  @Test func searchScoresAPhraseAsOneTermWithTheHandComputedValue() throws {
    // Lengths in tokens: 2, 5, 2, 2 (average 2.75); 中国 is in 2 of 4 paragraphs.
    let searcher = try Fixtures.searcher(["a.txt": "中国\n中国中国人\n美国\n英国\n"])
    let result = try searcher.search("中国", limit: 10)
    #expect(result.total == 2)
    #expect(result.hits.map(\.paragraph.line) == [1, 2])
    // ln(2) * 1 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / 2.75))
    #expect(abs(result.hits[0].score - 0.7801935706767756) < 1e-9)
    // ln(2) * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 5 / 2.75))
    #expect(abs(result.hits[1].score - 0.7747880724965671) < 1e-9)
  }
}
