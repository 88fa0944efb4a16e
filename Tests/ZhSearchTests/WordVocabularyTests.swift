import Testing

@testable import ZhSearch

struct WordVocabularyTests {
  private func id(_ word: String, in vocabulary: inout WordVocabulary) -> UInt32 {
    var word = word
    return word.withUTF8 { vocabulary.id(of: $0) }
  }

  @Test func aWordKeepsTheIdItGotFirstThroughGrowth() {
    var vocabulary = WordVocabulary()
    let words = (0..<5000).map { "w\($0 * 7919)" }
    let ids = words.map { id($0, in: &vocabulary) }
    #expect(ids == (0..<5000).map { UInt32($0) })
    #expect(words.map { id($0, in: &vocabulary) } == ids)
    #expect(vocabulary.count == 5000)
    #expect(vocabulary.words[1234] == Array(words[1234].utf8))
  }

  @Test func joinedTermsHaveTheBytesOfTermKeyJoinedWord() {
    var vocabulary = WordVocabulary()
    var digits = "2018"
    let year = digits.withUTF8 { vocabulary.id(ofJoined: $0, character: 0x5E74) }
    let plain = id("2018", in: &vocabulary)
    #expect(year != plain)
    #expect(vocabulary.words[Int(year)] == TermKey.joinedWord(Array("2018".utf8), 0x5E74))
    #expect(digits.withUTF8 { vocabulary.id(ofJoined: $0, character: 0x5E74) } == year)
    vocabulary.removeAll()
    #expect(vocabulary.count == 0 && id("2018", in: &vocabulary) == 0)
  }

  @Test func idsComeInTheByteOrderOfTheirWords() {
    // Prefixes before longer words, bytes compared unsigned (é's 0xC3 after every ASCII byte).
    var vocabulary = WordVocabulary()
    let words = ["b", "ab", "a", "abc", "10", "1", "é", "z9", "", "2018"].filter { !$0.isEmpty }
    for word in words { _ = id(word, in: &vocabulary) }
    let expected = words.indices.sorted { Array(words[$0].utf8).lexicographicallyPrecedes(Array(words[$1].utf8)) }
    #expect(vocabulary.idsInByteOrder == expected)
  }
}
