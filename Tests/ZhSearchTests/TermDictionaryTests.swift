import Foundation
import Testing

@testable import ZhSearch

struct TermDictionaryTests {
  @Test func entriesRoundTripAcrossEveryHeadCodeAndItsEscapes() throws {
    // Every small value a head byte packs, and the values just past it that go in full.
    var expected: [TermEntry] = []
    var writer = TermDictionaryWriter()
    var key: UInt64 = 5
    var docs = 0
    var positions = 0
    for documentFrequency in [1, 2, 3, 4, 300] {
      for extra in [0, 1, 70_000] {
        for docsLength in [1, 7, 8, 1_000] {
          for positionsLength in [0, 2, 3, 129] {
            writer.add(
              key: key, documentFrequency: documentFrequency, occurrences: documentFrequency + extra,
              docsLength: docsLength, positionsLength: positionsLength)
            expected.append(
              TermEntry(
                key: key, docsRange: docs..<docs + docsLength, positionsRange: positions..<positions + positionsLength,
                documentFrequency: documentFrequency, occurrences: documentFrequency + extra))
            docs += docsLength
            positions += positionsLength
            key += UInt64(expected.count % 7 == 0 ? 1 << 21 : 3)
          }
        }
      }
    }
    let path = Fixtures.temporaryDirectory(named: "terms") + "/000001.terms"
    try Data(IndexFormat.seal(writer.payload(), kind: .terms)).write(to: URL(fileURLWithPath: path))
    let dictionary = try TermDictionary(
      file: IndexFile(path: path, name: "000001.terms", kind: .terms), docsLimit: docs, positionsLimit: positions)
    var read: [TermEntry] = []
    try dictionary.forEach { read.append($0) }
    #expect(read == expected)
    #expect(try dictionary.entry(for: expected[100].key) == expected[100])
  }

  @Test func wordsAddedInBatchesReadBackInOrder() throws {
    // Two batches, as chunks of a merge would hand them over: the offsets of the second run
    // on from the first's bytes.
    let words = ["1", "2018", "abc", "b", "\u{E9}t\u{E9}"].map { Array($0.utf8) }
    var writer = TermDictionaryWriter()
    for batch in [words[0..<2], words[2...]] {
      var bytes: [UInt8] = []
      var ends: [Int] = []
      for word in batch {
        writer.add(key: TermKey.wordFlag | UInt64(writer.count), documentFrequency: 1, occurrences: 1, docsLength: 1, positionsLength: 1)
        bytes += word
        ends.append(bytes.count)
      }
      bytes.withUnsafeBytes { writer.addWords($0, ends: ends) }
    }
    let path = Fixtures.temporaryDirectory(named: "words") + "/000001.terms"
    try Data(IndexFormat.seal(writer.payload(), kind: .terms)).write(to: URL(fileURLWithPath: path))
    let dictionary = try TermDictionary(
      file: IndexFile(path: path, name: "000001.terms", kind: .terms), docsLimit: words.count, positionsLimit: words.count)
    #expect(dictionary.wordCount == words.count)
    #expect(try (0..<words.count).map { Array(try dictionary.word(at: $0)) } == words)
  }
}
