import Testing

@testable import ZhSearch
import ZhSearchBench

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

  @Test func longWordsAndJoinedTermsComeInByteOrderToo() {
    // Words of about eight bytes (the part compared as one integer) that share it, differ
    // just after it or only in length, and joined terms (a zero byte, then a character).
    var vocabulary = WordVocabulary()
    var words: [[UInt8]] = [
      "abcdefgh", "abcdefghi", "abcdefgha", "abcdefg", "abcdefgh0", "20181231", "201812310", "2018123", "abcdefghij",
      "abcdefghii", "é1234567", "é123456",
    ].map { Array($0.utf8) }
    for word in ["2018", "abcdefg", "abcdefgh", "1"] {
      for character: UInt32 in [0x5E74, 0x6708, 0x41] { words.append(TermKey.joinedWord(Array(word.utf8), character)) }
    }
    var random = SeededGenerator(seed: 7)
    for _ in 0..<300 {
      let length = Int.random(in: 1...12, using: &random)
      words.append((0..<length).map { _ in [0x30, 0x31, 0x61, 0x62, 0x00, 0xC3][Int.random(in: 0..<6, using: &random)] })
    }
    var seen = Set<[UInt8]>()
    words = words.filter { seen.insert($0).inserted }
    for word in words { _ = word.withUnsafeBufferPointer { vocabulary.id(of: $0) } }
    let expected = words.indices.sorted { words[$0].lexicographicallyPrecedes(words[$1]) }
    #expect(vocabulary.idsInByteOrder == expected)
  }

  @Test func aWordTableListsTheWordsInTheGivenOrder() {
    var vocabulary = WordVocabulary()
    for word in ["ab", "", "xyz", "1"].filter({ !$0.isEmpty }) { _ = id(word, in: &vocabulary) }
    // Ids 0 "ab", 1 "xyz", 2 "1": in rank order "1", "ab", "xyz".
    var expected: [UInt8] = []
    for value: UInt32 in [3, 0, 1, 3, 6] { withUnsafeBytes(of: value.littleEndian) { expected += $0 } }
    expected += Array("1abxyz".utf8)
    #expect(vocabulary.table(inOrderOf: [2, 0, 1]) == expected)
    #expect(vocabulary.table(inOrderOf: vocabulary.idsInByteOrder) == expected)
  }
}
