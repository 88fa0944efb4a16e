import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

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

  @Test func theGrammarsWorkedExampleIsWhatTheWriterWrites() {
    // TermDictionaryWriter: key 5, in 1 paragraph once, 2 bytes of docs, 3 of positions.
    var writer = TermDictionaryWriter()
    writer.add(key: 5, documentFrequency: 1, occurrences: 1, docsLength: 2, positionsLength: 3)
    func u64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    let header = u64(1) + u64(0) + u64(1) + u64(67)
    let blockEntry = u64(5) + u64(0) + u64(0) + u64(0)
    let block: [UInt8] = [0x00, 0xCC, 0x03]
    #expect(writer.payload() == header + blockEntry + block + u64(0))
  }

  @Test func randomDictionariesRoundTripAndFindEveryKey() throws {
    var random = SeededGenerator(seed: 41)
    for count in [1, 63, 64, 65, 1_000] {
      var writer = TermDictionaryWriter()
      var expected: [TermEntry] = []
      var (key, docs, positions): (UInt64, Int, Int) = (UInt64.random(in: 0..<100, using: &random), 0, 0)
      for _ in 0..<count {
        let documentFrequency = Bool.random(using: &random) ? Int.random(in: 1...4, using: &random) : Int.random(in: 1...100_000, using: &random)
        let occurrences = documentFrequency + (Bool.random(using: &random) ? 0 : Int.random(in: 1...1_000_000, using: &random))
        let docsLength = Int.random(in: 1...(Bool.random(using: &random) ? 8 : 50_000), using: &random)
        let positionsLength = Int.random(in: 0...(Bool.random(using: &random) ? 3 : 50_000), using: &random)
        writer.add(
          key: key, documentFrequency: documentFrequency, occurrences: occurrences, docsLength: docsLength,
          positionsLength: positionsLength)
        expected.append(
          TermEntry(
            key: key, docsRange: docs..<docs + docsLength, positionsRange: positions..<positions + positionsLength,
            documentFrequency: documentFrequency, occurrences: occurrences))
        docs += docsLength
        positions += positionsLength
        key += UInt64.random(in: 1...(Bool.random(using: &random) ? 5 : 1 << 40), using: &random)
      }
      let path = Fixtures.temporaryDirectory(named: "terms") + "/000001.terms"
      try Data(IndexFormat.seal(writer.payload(), kind: .terms)).write(to: URL(fileURLWithPath: path))
      let dictionary = try TermDictionary(
        file: IndexFile(path: path, name: "000001.terms", kind: .terms), docsLimit: docs, positionsLimit: positions)
      var read: [TermEntry] = []
      try dictionary.forEach { read.append($0) }
      #expect(read == expected, "\(count) terms")
      for entry in expected where entry.key % 7 == 0 || count < 100 {
        #expect(try dictionary.entry(for: entry.key) == entry)
        #expect(try dictionary.entry(for: entry.key + 1)?.key != entry.key + 1 || expected.contains { $0.key == entry.key + 1 })
      }
      #expect(try dictionary.entries(in: expected[0].key..<expected[count / 2].key + 1) == Array(expected[0...count / 2]))
    }
  }
}
