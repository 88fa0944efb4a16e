import Testing

@testable import ZhSearch
import ZhSearchBench

/// Bits written by `BitAppender`: reserved appends against checked ones.
struct BitAppenderTests {
  @Test func reservedAppendsWriteWhatCheckedAppendsWrite() throws {
    // Fixed-width values and unary codes, some longer than a word (the merge's positions),
    // into a writer far smaller than what is written: room is made once per batch.
    var random = SeededGenerator(seed: 21)
    let values = (0..<5_000).map { i in
      UInt64.random(in: 0..<(i % 53 == 7 ? 4_096 : 64), using: &random)
    }
    let lowBits = 3
    var checkedLow = BitWriter(capacity: 16)
    var checkedHigh = BitWriter(capacity: 16)
    for (i, value) in values.enumerated() {
      checkedLow.append(value, width: lowBits)
      checkedHigh.appendUnary(value >> UInt64(lowBits))
      if i % 700 == 699 || i == values.count - 1 { checkedLow.append(5, width: lowBits) }
    }
    var low = BitWriter(capacity: 16)
    var high = BitWriter(capacity: 16)
    var lowAppender = low.lend()
    var highAppender = high.lend()
    for batch in stride(from: 0, to: values.count, by: 700) {
      let slice = values[batch..<min(batch + 700, values.count)]
      lowAppender.reserve(bits: slice.count * lowBits)
      highAppender.reserve(bits: slice.reduce(0) { $0 + Int($1 >> UInt64(lowBits)) + 1 })
      for value in slice {
        lowAppender.appendReserved(value & 7, width: lowBits)
        highAppender.appendUnaryReserved(value >> UInt64(lowBits))
      }
      // Checked appends may follow reserved ones.
      lowAppender.append(5, width: lowBits)
    }
    #expect(lowAppender.bitCount == checkedLow.bitCount && highAppender.bitCount == checkedHigh.bitCount)
    low.settle(lowAppender)
    high.settle(highAppender)
    low.alignToByte()
    high.alignToByte()
    checkedLow.alignToByte()
    checkedHigh.alignToByte()
    #expect(low.bytes == checkedLow.bytes)
    #expect(high.bytes == checkedHigh.bytes)
  }
}
