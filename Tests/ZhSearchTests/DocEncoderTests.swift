import Testing

@testable import ZhSearch

/// The docs list: written by `DocEncoder` (one posting at a time, or from packed records),
/// read back by `DocIterator` and, through its skip table, by `DocCursor`.
struct DocEncoderTests {
  @Test func theFormatsWorkedExampleIsWhatTheEncoderWrites() throws {
    // IndexFormat: paragraph 7 once (position 200), paragraph 11 three times (4, 9, 30),
    // 64 paragraphs (G = 4), K = 6.
    let postings: [EncodedList.Posting] = [(7, [200]), (11, [4, 9, 30])]
    for path in [EncodedList.Path.onePosting, .varInts] {
      let list = try EncodedList(postings, paragraphCount: 64, lowBits: 6, path: path)
      #expect(list.gapBits == 4)
      #expect(list.docs == [0xEF, 0x31], "\(path)")
      #expect(list.positions == [0x08, 0x51, 0x54, 0x78], "\(path)")
      #expect(same(try list.decoded(), postings))
    }
  }

  @Test func aSkipEntryIsTheBlocksStartAsTheFormatSaysByteForByte() throws {
    // 129 postings, paragraphs 0 to 128, once each at position 0, in 129 paragraphs: G = 0,
    // each doc code is 2 bits (gap 0: "1", frequency 1: "1"), each position value 0 is a
    // low bit 0 and a unary "1". Block 2 starts with posting 128: the paragraph before it
    // 127, its code at bit 256, 128 positions before it, its unary code at bit 128.
    let postings: [EncodedList.Posting] = (0..<129).map { (UInt64($0), [0]) }
    let list = try EncodedList(postings, paragraphCount: 129, lowBits: 1, path: .onePosting)
    #expect(list.gapBits == 0)
    let entry: [UInt8] = [127, 0, 0, 0, 0, 1, 0, 0, 128, 0, 0, 0, 128, 0, 0, 0]
    #expect(Array(list.docs[0..<16]) == entry)
    #expect(Array(list.docs[16...]) == [UInt8](repeating: 0xFF, count: 32) + [0x03])
    #expect(same(try list.decoded(), postings))
  }

  @Test func randomListsRoundTripThroughEveryPathAndAgreeByteForByte() throws {
    // Short and long lists (with skip tables), dense and sparse (long unary gaps), some
    // frequencies past the 32-bit codes; the three ways of feeding the encoder write the
    // same bytes, and both readers give the postings back.
    for (seed, count, paragraphCount, maxFrequency, long) in [
      (1 as UInt64, 1, 10, 1, false), (2, 5, 100_000, 3, false), (3, 127, 300, 2, false), (4, 128, 128, 1, false),
      (5, 129, 5_000, 4, true), (6, 1_000, 1_200, 6, true), (7, 3_000, 2_000_000, 2, true),
    ] {
      let postings = EncodedList.random(
        count: count, paragraphCount: paragraphCount, maxFrequency: maxFrequency, positionLimit: 4_096, long: long, seed: seed)
      let lowBits = Int(seed % 7) + 1
      let reference = try EncodedList(postings, paragraphCount: paragraphCount, lowBits: lowBits, path: .onePosting)
      #expect(same(try reference.decoded(), postings), "seed \(seed)")
      let everyOther = postings.indices.filter { $0 % 2 == 0 }.map { UInt32(postings[$0].paragraph) }
      let found = try reference.found(everyOther)
      #expect(same(found.compactMap { $0 }, postings.indices.filter { $0 % 2 == 0 }.map { postings[$0] }), "seed \(seed)")
      for path in [EncodedList.Path.packed, .varInts] {
        let list = try EncodedList(postings, paragraphCount: paragraphCount, lowBits: lowBits, path: path)
        #expect(list.docs == reference.docs, "seed \(seed), \(path)")
        #expect(list.positions == reference.positions, "seed \(seed), \(path)")
      }
    }
  }

  @Test func aCursorFindsNothingForParagraphsTheListDoesNotHold() throws {
    let postings = EncodedList.random(count: 600, paragraphCount: 5_000, maxFrequency: 3, positionLimit: 400, long: false, seed: 11)
    let list = try EncodedList(postings, paragraphCount: 5_000, lowBits: 4, path: .packed)
    let held = Set(postings.map { UInt32($0.paragraph) })
    let asked = (0..<5_000).map(UInt32.init).filter { $0 % 3 == 0 }
    let found = try list.found(asked)
    #expect(zip(asked, found).allSatisfy { held.contains($0) == ($1 != nil) })
  }

  @Test func theDocBitsStayWithinTheirBound() throws {
    // `maxDocBits`, the room `ShortList` makes, against lists built to be long: every gap
    // the largest it can be (G = 0) and the largest frequency.
    for (count, paragraphCount, frequency) in [(1, 1_000, 8), (8, 1_000_000, 8), (8, 8, 1), (5, 40, 8)] {
      let step = UInt64(paragraphCount / count)
      let postings: [EncodedList.Posting] = (0..<count).map { i in
        (UInt64(i + 1) * step - 1, (0..<UInt64(frequency)).map { $0 })
      }
      let list = try EncodedList(postings, paragraphCount: paragraphCount, lowBits: 1, path: .onePosting)
      let bound = DocEncoder.maxDocBits(
        postings: count, maxFrequency: frequency, gapBits: list.gapBits, paragraphCount: paragraphCount)
      #expect(list.docs.count * 8 <= bound + 7, "\(count) postings in \(paragraphCount)")
    }
  }
}
