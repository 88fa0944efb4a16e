import Testing

@testable import ZhSearch
import ZhSearchBench

struct PackedRecordTests {
  /// A record of the bigram (or unigram, `second` 0) `first second` at `position` of
  /// paragraph `paragraph` of its run, packed as `RecordSink` packs it.
  private func record(_ first: UInt32, _ second: UInt32, paragraph: UInt64, position: UInt32) -> UInt64 {
    let packedKey = (UInt64(first) - PackedRecord.firstCharacterBase) << 16 | UInt64(second)
    return PackedRecord.make(packedKey: packedKey, place: PackedRecord.placeBits(paragraph: paragraph) | UInt64(position))
  }

  @Test func aRecordGivesBackItsKeyParagraphAndPosition() {
    let cases: [(UInt32, UInt32, UInt64, UInt32)] = [
      (0x2E80, 0, 0, 0), (0x4E2D, 0x6587, 17, 300), (0x9FFF, 0xFFFF, PackedRecord.paragraphLimit - 1, 4095),
      (0x4E00, 0x3002, 1 << 20, 1),
    ]
    for (first, second, paragraph, position) in cases {
      let packed = record(first, second, paragraph: paragraph, position: position)
      #expect(PackedRecord.key(of: packed) == TermKey.han(first, second))
      #expect(PackedRecord.paragraph(packed) == paragraph)
      #expect(PackedRecord.position(packed) == UInt64(position))
      #expect(PackedRecord.place(of: packed, runBase: 1000) == (1000 + paragraph) << 32 | UInt64(position))
    }
  }

  @Test func recordsSortByKeyThenParagraphThenPosition() {
    var random = SeededGenerator(seed: 11)
    let fields = (0..<2000).map { _ in
      (
        UInt32.random(in: 0x4E00...0x4E08, using: &random), UInt32.random(in: 0x4E00...0x4E03, using: &random),
        UInt64.random(in: 0..<PackedRecord.paragraphLimit, using: &random), UInt32.random(in: 0..<4096, using: &random)
      )
    }
    let byRecord = fields.map { record($0.0, $0.1, paragraph: $0.2, position: $0.3) }.sorted()
    let byFields = fields.sorted { ($0.0, $0.1, $0.2, $0.3) < ($1.0, $1.1, $1.2, $1.3) }
    #expect(byRecord == byFields.map { record($0.0, $0.1, paragraph: $0.2, position: $0.3) })
    #expect(byRecord.map { PackedRecord.key(of: $0) } == byFields.map { TermKey.han($0.0, $0.1) })
  }

  @Test func theSinkPacksABigramAsTheLayoutSays() {
    var sink = RecordSink()
    sink.paragraph = 5
    sink.hanBigram(0x4E2D, 0x6587, position: 9)
    let records = sink.packed.contents
    #expect(records == [record(0x4E2D, 0x6587, paragraph: 5, position: 9)])
  }
}
