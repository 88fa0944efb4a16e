import Testing

@testable import ZhSearch
import ZhSearchBench

struct ScratchTermEntryTests {
  private func entries(_ count: Int) -> [ScratchTermEntry] {
    var random = SeededGenerator(seed: 5)
    return (0..<count).map { i in
      ScratchTermEntry(
        key: i == count - 1 ? TermKey.wordFlag | 3 : TermKey.han(0x4E00 + UInt32(i), 0), docsLength: .random(in: 1...900, using: &random),
        positionsLength: .random(in: 1...900, using: &random), documentFrequency: .random(in: 1...100, using: &random),
        occurrences: .random(in: 100...1000, using: &random), lastParagraph: .random(in: 0...UInt32.max, using: &random))
    }
  }

  /// The table the entries are written as, read back.
  private func readBack(_ entries: [ScratchTermEntry], _ body: (ScratchTermTable) -> Void) {
    var bytes = RawByteBuffer(capacity: 16)
    defer { bytes.deallocate() }
    for entry in entries { entry.append(to: &bytes) }
    #expect(bytes.count == entries.count * ScratchTermEntry.size)
    body(ScratchTermTable(bytes.bytes))
  }

  @Test func writtenEntriesReadBackWholeAndFieldByField() {
    let written = entries(50)
    readBack(written) { table in
      #expect(table.count == written.count)
      #expect((0..<table.count).map { table.entry(at: $0) } == written)
      for (i, entry) in written.enumerated() {
        #expect(table.key(at: i) == entry.key)
        #expect(table.docsLength(at: i) == Int(entry.docsLength))
        #expect(table.positionsLength(at: i) == Int(entry.positionsLength))
        #expect(table.documentFrequency(at: i) == Int(entry.documentFrequency))
        #expect(table.occurrences(at: i) == Int(entry.occurrences))
      }
    }
  }

  @Test func aChunkStartsAtItsFirstKeyAfterThePostingsBeforeIt() {
    let written = entries(20)
    readBack(written) { table in
      let keys = [0, TermKey.han(0x4E05, 0), TermKey.han(0x4E05, 1), TermKey.wordFlag, .max]
      let starts = table.starts(at: keys)
      for (key, start) in zip(keys, starts) {
        let before = written.prefix { $0.key < key }
        #expect(start.index == before.count)
        #expect(start.docsOffset == before.reduce(0) { $0 + Int($1.docsLength) })
        #expect(start.positionsOffset == before.reduce(0) { $0 + Int($1.positionsLength) })
      }
    }
  }
}
