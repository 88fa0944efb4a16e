import Testing

@testable import ZhSearch

/// The column each paragraph starts at in its line (`Paragraph.column`), as the corpus
/// reader gives it and the index stores it.
struct ParagraphColumnTests {
  /// Every paragraph of `text` with the column computed apart: where its text is found in
  /// its line, searching on from the previous passage's end.
  private func check(_ text: String, limit: Int) throws {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    var searchFrom: (line: Int, offset: Int) = (0, 0)
    var count = 0
    try CorpusReader(maxParagraphLength: limit).paragraphs(in: Array(text.utf8), file: 0) { paragraph in
      count += 1
      let line = lines[paragraph.line - 1]
      let wanted = Array(paragraph.text.unicodeScalars)
      var from = searchFrom.line == paragraph.line ? searchFrom.offset : 0
      while from + wanted.count <= line.count && Array(line[from..<from + wanted.count]) != wanted { from += 1 }
      #expect(from + wanted.count <= line.count, "\(paragraph.text) not in line \(paragraph.line)")
      #expect(paragraph.column == from + 1, "line \(paragraph.line): \(paragraph.column) for \(from + 1)")
      searchFrom = (paragraph.line, from + wanted.count)
    }
    #expect(count > 0)
  }

  @Test func aParagraphsColumnIsWhereItStartsInItsLine() throws {
    try check("第一行\n  \u{3000}缩进的一行\n\n" + String(repeating: "国家发展改革委员会，推进改革。", count: 40) + "\n末行", limit: 50)
    // The bundled corpus's lines, cut at a small limit: many passages per line.
    try check(try Fixtures.corpusLines().prefix(300).joined(separator: "\n"), limit: 60)
  }

  @Test func theIndexStoresEachParagraphsColumn() throws {
    let line = String(repeating: "国家发展改革委员会，推进改革。", count: 40)  // 600 characters
    let searcher = try Fixtures.searcher(["a.txt": " 开头\n" + line + "\n"])
    let reader = searcher.reader
    let first = try reader.paragraph(0)
    #expect(first.line == 1 && first.column == 2)
    let passages = try reader.paragraphs(ofFile: 0, line: 2).map { try reader.paragraph($0) }
    #expect(passages.count == 2)
    #expect(passages.map(\.column) == [1, 1 + passages[0].text.unicodeScalars.count])
    // A hit's column is its passage's plus the first match's offset in it.
    let hit = try #require(try searcher.search("开头").hits.first)
    #expect(hit.column == 2)
    let second = try #require(try searcher.search("推进改革", limit: 100).hits.first { $0.paragraph.id == passages[1].id })
    #expect(second.column == passages[1].column + second.highlights[0].lowerBound)
  }

  @Test func anIndexWithoutColumnsGivesColumnZero() {
    // (Format versions before 4 stored 0 in the field.)
    var paragraph = IndexReader.StoredParagraph(
      id: 0, file: "a.txt", fileIndex: 0, line: 3, ordinal: 1, column: 0, length: 2, text: "改革开放")
    #expect(Hit(rank: 1, score: 1, paragraph: paragraph, highlights: [2..<4]).column == 0)
    paragraph.column = 5
    #expect(Hit(rank: 1, score: 1, paragraph: paragraph, highlights: [2..<4]).column == 7)
    #expect(Hit(rank: 1, score: 1, paragraph: paragraph, highlights: []).column == 5)
  }
}
