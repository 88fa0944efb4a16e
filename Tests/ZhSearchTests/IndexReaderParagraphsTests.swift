import Testing

@testable import ZhSearch

/// Finding paragraphs by their place: a line's paragraphs and a paragraph's neighbours.
struct IndexReaderParagraphsTests {
  @Test func aFilesParagraphsAreConsecutiveIdsInLineOrder() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    var previous: IndexReader.StoredParagraph? = nil
    for id in 0..<reader.paragraphCount {
      let paragraph = try reader.paragraph(id)
      if let previous, previous.fileIndex == paragraph.fileIndex {
        #expect(paragraph.ordinal == previous.ordinal + 1)
        #expect(paragraph.line > previous.line || (paragraph.line == previous.line && paragraph.column > previous.column))
      } else {
        #expect(paragraph.fileIndex == (previous?.fileIndex ?? -1) + 1 && paragraph.ordinal == 1)
      }
      #expect(try reader.paragraphs(ofFile: paragraph.fileIndex, line: paragraph.line).contains(id))
      previous = paragraph
    }
  }

  @Test func neighboursStayInTheirFile() throws {
    let searcher = try Fixtures.searcher(["a.txt": "一\n\n二\n三\n", "b.txt": "四\n五\n"])
    let reader = searcher.reader
    #expect(reader.paragraphCount == 5)
    func texts(_ id: Int, _ count: Int) throws -> ([String], [String]) {
      let (before, after) = try reader.neighbours(of: id, count: count)
      return (before.map(\.text), after.map(\.text))
    }
    #expect(try texts(1, 1) == (["一"], ["三"]))
    #expect(try texts(1, 5) == (["一"], ["三"]))
    #expect(try texts(2, 2) == (["一", "二"], []))
    #expect(try texts(3, 3) == ([], ["五"]))
    #expect(try texts(0, 0) == ([], []))
    // Lines without a paragraph, and past the end.
    #expect(try reader.paragraphs(ofFile: 0, line: 2).isEmpty)
    #expect(try reader.paragraphs(ofFile: 0, line: 3) == 1..<2)
    #expect(try reader.paragraphs(ofFile: 1, line: 9).isEmpty)
    // Lines beyond what the index can store hold nothing, without a trap.
    #expect(try reader.paragraphs(ofFile: 1, line: Int(UInt32.max) + 1).isEmpty)
    #expect(try reader.paragraphs(ofFile: 1, line: Int.max).isEmpty)
  }
}
