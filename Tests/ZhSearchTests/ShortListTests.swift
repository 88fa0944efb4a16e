import Testing

@testable import ZhSearch

/// Short lists, written in one go by `ShortList.write`: the bytes of the general encoders,
/// within the room its sizing rule makes.
struct ShortListTests {
  /// The docs and positions `ShortList.write` gives for `postings` (packed).
  private func write(
    _ postings: [EncodedList.Posting], paragraphCount: Int, lowBits: Int, gapBits: Int? = nil
  ) throws -> (docs: [UInt8], positions: [UInt8]) {
    let records = EncodedList.records(postings)
    let gapBits = gapBits ?? IndexFormat.docGapBits(documentFrequency: postings.count, paragraphCount: paragraphCount)
    // Buffers just large enough to start with: `write` makes its own room.
    var docs = RawByteBuffer(capacity: 1)
    var positions = RawByteBuffer(capacity: 1)
    defer {
      docs.deallocate()
      positions.deallocate()
    }
    let written = try #require(
      records.withUnsafeBufferPointer { records in
        ShortList.write(
          records, 0..<records.count, base: 0, gapBits: gapBits, lowBits: lowBits, paragraphCount: paragraphCount,
          tally: nil, blind: false, docs: &docs, positions: &positions)
      })
    #expect(written.docs == docs.count && written.positions == positions.count)
    return (Array(docs.bytes), Array(positions.bytes))
  }

  @Test func shortListsAreTheBytesOfTheGeneralEncoders() throws {
    for seed in 0..<200 as Range<UInt64> {
      let paragraphCount = [8, 300, 70_000, 2_000_000][Int(seed % 4)]
      let lowBits = Int(seed % 9) + 1
      var postings = EncodedList.random(
        count: Int(seed % 4) + 1, paragraphCount: paragraphCount, maxFrequency: 2, positionLimit: 4_096, long: false, seed: seed)
      // At most `limit` records.
      while EncodedList.records(postings).count > ShortList.limit { postings.removeLast() }
      let reference = try EncodedList(postings, paragraphCount: paragraphCount, lowBits: lowBits, path: .onePosting)
      let (docs, positions) = try write(postings, paragraphCount: paragraphCount, lowBits: lowBits)
      #expect(docs == reference.docs, "seed \(seed)")
      #expect(positions == reference.positions, "seed \(seed)")
    }
  }

  @Test func theLongestShortListsFitTheRoomMadeForThem() throws {
    // The worst cases of the sizing rule: the largest gaps with G = 0, the largest
    // frequency, and positions near 4096 with one low bit (high parts of 2,048 bits). A
    // store past the room would trip `BitAppender.appendReserved`'s assertion (tests run
    // unoptimized) or the commit's precondition.
    let farApart: [EncodedList.Posting] = (0..<8).map { (UInt64($0) * 262_143 + 262_142, [4_095]) }
    let oneParagraph: [EncodedList.Posting] = [(2_097_151, (4_088..<4_096).map(UInt64.init))]
    let gapsOfZero: [EncodedList.Posting] = [(0, [0, 4_095]), (1, [4_095]), (2, [0, 1, 2, 4_095]), (3, [4_094])]
    for (postings, paragraphCount) in [(farApart, 2_097_152), (oneParagraph, 2_097_152), (gapsOfZero, 4)] {
      for (lowBits, gapBits) in [(1, 0), (2, 0), (12, 0), (1, nil), (5, 3)] {
        let reference = try EncodedList(
          postings, paragraphCount: paragraphCount, lowBits: lowBits, path: .onePosting, gapBits: gapBits)
        let (docs, positions) = try write(postings, paragraphCount: paragraphCount, lowBits: lowBits, gapBits: gapBits)
        #expect(docs == reference.docs)
        #expect(positions == reference.positions)
        #expect(same(try reference.decoded(), postings))
      }
    }
  }
}
