import Testing

@testable import ZhSearch

/// The positions: written by `PositionAppender` (value by value, from varints, or from
/// packed records), read back by `PositionReader`.
struct PositionAppenderTests {
  @Test func positionsBeyondPackedOnesRoundTripFromVarIntsAndOneByOne() throws {
    // Positions up to 200,000 (unary parts of thousands of bits), as a scratch run on disk
    // holds them; the two paths write the same bytes.
    for (seed, lowBits) in [(31 as UInt64, 1), (32, 5), (33, 16)] {
      let postings = EncodedList.random(
        count: 400, paragraphCount: 1_000, maxFrequency: 5, positionLimit: 200_000, long: true, seed: seed)
      let reference = try EncodedList(postings, paragraphCount: 1_000, lowBits: lowBits, path: .onePosting)
      #expect(same(try reference.decoded(), postings), "seed \(seed)")
      let fromVarInts = try EncodedList(postings, paragraphCount: 1_000, lowBits: lowBits, path: .varInts)
      #expect(fromVarInts.positions == reference.positions, "seed \(seed)")
      #expect(fromVarInts.docs == reference.docs, "seed \(seed)")
    }
  }

  @Test func aValueIsItsLowBitsThenItsHighPartInUnary() throws {
    // 37 with K = 3: low bits 101, high part 4 as 00001; 5: 101 and 1.
    var low = BitWriter()
    var high = BitWriter()
    var lowAppender = low.lend()
    var highAppender = high.lend()
    lowAppender.reserve(bits: 6)
    highAppender.reserve(bits: 6)
    for value: UInt64 in [37, 5] {
      PositionAppender.appendLowPart(value, lowBits: 3, to: &lowAppender)
      PositionAppender.appendHighPart(value, lowBits: 3, short: value >> 3 < 32, to: &highAppender)
    }
    lowAppender.alignToByte()
    highAppender.alignToByte()
    low.settle(lowAppender)
    high.settle(highAppender)
    #expect(low.bytes == [0b0010_1101])
    #expect(high.bytes == [0b0011_0000])
  }

  @Test func aVarIntPositionBeyond32BitsIsReportedAsDamage() throws {
    var streams = PositionStreams(lowBits: 4)
    var appender = streams.lend()
    defer { streams.settle(appender) }
    var skips = ByteBuffer()
    var places = ByteBuffer()
    places.appendVarInt(3)
    places.appendVarInt(UInt64(UInt32.max) + 1)
    #expect(throws: IndexError.self) {
      try places.bytes.withUnsafeBytes { try appender.appendVarInts($0, count: 2, skips: &skips, from: 0) }
    }
    // A varint cut short: the data ends first.
    #expect(throws: IndexError.self) {
      try [UInt8]([0x80]).withUnsafeBytes { try appender.appendVarInts($0, count: 1, skips: &skips, from: 0) }
    }
  }
}
