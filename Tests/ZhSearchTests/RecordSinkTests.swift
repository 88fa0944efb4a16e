import Testing

@testable import ZhSearch
import ZhSearchBench

struct RecordSinkTests {
  /// An overflow stream of `count` records: words of ranks below `ranks` and, one in eight,
  /// Han keys; each place holds the record's index, so a stable sort is the plain sort of
  /// (key, place) pairs.
  private func stream(_ count: Int, ranks: UInt64, seed: UInt64) -> RecordSink {
    var random = SeededGenerator(seed: seed)
    var sink = RecordSink()
    for i in 0..<count {
      let key =
        Int.random(in: 0..<8, using: &random) == 0
        ? TermKey.han(UInt32.random(in: 0x3400...0x9FFF, using: &random), UInt32.random(in: 0x3400...0x9FFF, using: &random))
        : TermKey.wordFlag | UInt64.random(in: 0..<ranks, using: &random)
      sink.overflowKeys.append(key)
      // Few paragraphs, so that records of one key share some.
      sink.overflowPlaces.append(UInt64.random(in: 0..<4, using: &random) << 32 | UInt64(i))
    }
    return sink
  }

  // Vocabularies of 1, 200, 5,000 and 2^23 words.
  @Test(arguments: [1, 200, 5000, 1 << 23] as [UInt64])
  func overflowRecordsSortByKeyKeepingTheirOrderWithinOne(ranks: UInt64) {
    var sink = stream(3000, ranks: ranks, seed: ranks)
    // The places (paragraph << 32 | index) of each key ascend, as the analyzer appends them.
    let expected = zip(sink.overflowKeys, sink.overflowPlaces).enumerated()
      .sorted { $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset }
      .map(\.element)
    let scratch = RecordBuffer()
    scratch.append(7)
    sink.sortOverflow(scratch: scratch)
    #expect(sink.overflowKeys == expected.map(\.0))
    #expect(sink.overflowPlaces == expected.map(\.1))
  }

  @Test(arguments: [1, 200, 5000] as [UInt64])
  func aRunInMemoryTakesTheOverflowSortedWithItsTerms(ranks: UInt64) {
    // Places ascend, as the analyzer appends them: (record index / 3) << 32 | index.
    var sink = stream(3000, ranks: ranks, seed: ranks)
    sink.overflowPlaces = sink.overflowPlaces.indices.map { UInt64($0 / 3) << 32 | UInt64($0) }
    let places = RecordBuffer()
    let (keys, ends) = sink.sortedOverflow(into: places)
    let sorted = zip(sink.overflowKeys, sink.overflowPlaces).sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    #expect(Array(places.records) == sorted.map(\.1))
    // One term for each run of equal keys: where it ends, and its distinct paragraphs.
    var expected: [(key: UInt64, end: UInt64)] = []
    var start = 0
    while start < sorted.count {
      var end = start
      while end < sorted.count && sorted[end].0 == sorted[start].0 { end += 1 }
      let paragraphs = Set(sorted[start..<end].map { $0.1 >> 32 }).count
      expected.append((sorted[start].0, UInt64(end) << 32 | UInt64(paragraphs)))
      start = end
    }
    #expect(keys == expected.map(\.key))
    #expect(ends == expected.map(\.end))
  }
}
