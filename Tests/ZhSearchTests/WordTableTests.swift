import Testing

@testable import ZhSearch

struct WordTableTests {
  @Test func aWordTableReadsBackTheWordsAVocabularyWroteByRank() {
    var vocabulary = WordVocabulary()
    let words = ["gdp", "2024", "wto", "a", "abc", "2024年"]
    for word in words {
      _ = Array(word.utf8).withUnsafeBufferPointer { vocabulary.id(of: $0) }
    }
    let order = vocabulary.idsInByteOrder
    let bytes = vocabulary.table(inOrderOf: order)
    bytes.withUnsafeBytes { raw in
      let table = WordTable(raw)
      #expect(table.count == words.count)
      let read = (0..<table.count).map { Array(table.word(rank: $0)) }
      #expect(read == order.map { Array(words[$0].utf8) })
      #expect(read == words.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
    }
  }
}
