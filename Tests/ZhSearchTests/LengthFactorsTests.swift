import Testing

@testable import ZhSearch

struct LengthFactorsTests {
  @Test func eachParagraphsFactorIsItsLengthsUnderTheScoring() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    #expect(reader.paragraphCount > 2048)
    for scoring in [BM25(), BM25(k1: 2, b: 0.3)] {
      let factors = LengthFactors(reader: reader, scoring: scoring, statistics: CollectionStatistics(reader: reader))
      // Out of order, across chunks of 1,024, each chunk computed on first use.
      for paragraph in [2047, 0, 1023, 1024, 5, reader.paragraphCount - 1, 2048] {
        let expected = scoring.lengthFactor(
          length: try reader.length(ofParagraph: paragraph), averageLength: reader.averageLength)
        #expect(try factors(paragraph) == expected, "paragraph \(paragraph)")
      }
    }
  }

  @Test func aParagraphBeyondTheIndexIsReportedAsDamage() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    let factors = LengthFactors(reader: reader, scoring: BM25(), statistics: CollectionStatistics(reader: reader))
    #expect(throws: IndexError.self) { try factors(reader.paragraphCount) }
    #expect(throws: IndexError.self) { try factors(-1) }
  }
}
