/// Lists of at most `limit` packed records, all in one scratch run in memory, written in one
/// go without the streams and scratch memory of `ChunkMerger.writeList`: the same bytes
/// (`IndexFormat`, sections docs and positions).
enum ShortList {
  /// The most records of a list that `write` writes.
  static let limit = 8

  /// Writes the list of a term whose records are all packed, in one scratch run in memory (at
  /// most `limit` of them), straight to `docs` and `positions`: the bytes
  /// `writeList` and `PositionStreams.write` give (no skip entries: fewer than 128 postings),
  /// without their streams, scratch memory and copies, whose setup is most of what a list
  /// this short costs there (two thirds of the Han terms of news + speeches are found in at
  /// most four places). Each posting is added to `tally` when given, as `writeList` does.
  ///
  /// - Returns: the bytes written to `docs` and to `positions`; nil, with nothing written or
  ///   counted, when a paragraph lies beyond the tally (left to `writeList`, which reports it).
  static func write(
    _ records: UnsafeBufferPointer<UInt64>, _ range: Range<Int>, base: UInt64, gapBits: Int, lowBits: Int,
    paragraphCount: Int, tally: Unmanaged<Tally>?, blind: Bool, docs: inout RawByteBuffer,
    positions: inout RawByteBuffer
  ) -> (docs: Int, positions: Int)? {
    @inline(__always) func paragraph(_ i: Int) -> UInt64 { PackedRecord.paragraph(records[i]) }
    if let tally {
      // (Records ascend by paragraph: the last is the largest.)
      guard base &+ paragraph(range.upperBound &- 1) < UInt64(tally._withUnsafeGuaranteedRef(\.capacity)) else { return nil }
    }
    precondition(range.count <= limit, "a short list is at most \(limit) records")
    /// The bytes an appender wrote, the last padded with zero bits.
    func byteCount(_ bits: BitAppender) -> Int { (bits.bitCount &+ 7) &>> 3 }
    // The doc codes, in room for the longest they can be (a frequency is at most `limit`).
    let docsRoom = BitAppender.bytesToReserve(
      bits: DocEncoder.maxDocBits(postings: range.count, maxFrequency: limit, gapBits: gapBits, paragraphCount: paragraphCount))
    docs.reserve(docsRoom)
    var docBits = BitAppender(borrowing: docs.free, capacity: docsRoom)
    let g = UInt64(truncatingIfNeeded: gapBits)
    var last = UInt64.max
    var i = range.lowerBound
    while i < range.upperBound {
      var end = i &+ 1
      while end < range.upperBound && paragraph(end) == paragraph(i) { end &+= 1 }
      let current = base &+ paragraph(i)
      let frequency = UInt64(truncatingIfNeeded: end &- i)
      // (A code longer than 32 bits is appended with checked appends, which stay within the
      // room: the borrowing appender does not grow.)
      _ = DocEncoder.appendDocCode(gap: current &- last &- 1, frequency: frequency, gapBits: g, to: &docBits)
      if let tally {
        let (paragraph, count) = (UInt32(truncatingIfNeeded: current), UInt32(truncatingIfNeeded: frequency))
        if blind {
          tally._withUnsafeGuaranteedRef { $0.accumulate(paragraph, count) }
        } else {
          tally._withUnsafeGuaranteedRef { $0.add(paragraph, count) }
        }
      }
      (last, i) = (current, end)
    }
    // (A code longer than 32 bits leaves its last bits pending, unstored, where the reserved
    // appends store them every time.)
    docBits.alignToByte()
    // The positions: each posting's first absolute, then the gaps (a packed position is
    // below 4096); the low parts, then the high parts after them.
    @inline(__always) func forEachValue(_ body: (UInt64) -> Void) {
      var (previous, position) = (UInt64.max, UInt64(0))
      for i in range {
        let following = PackedRecord.position(records[i])
        body(following &- (paragraph(i) == previous ? position : 0))
        (previous, position) = (paragraph(i), following)
      }
    }
    let lowBytes = (range.count &* lowBits &+ 7) / 8
    let highRoom = BitAppender.bytesToReserve(bits: range.count &* PositionAppender.maxPackedHighBits(lowBits: lowBits))
    positions.reserve(lowBytes &+ highRoom)
    // (The low parts' last stores reach past their bytes, into the high parts' room: the
    // high parts are written over them, after them.)
    var low = BitAppender(borrowing: positions.free, capacity: lowBytes &+ highRoom)
    forEachValue { PositionAppender.appendLowPart($0, lowBits: lowBits, to: &low) }
    var high = BitAppender(borrowing: positions.free + lowBytes, capacity: highRoom)
    forEachValue { PositionAppender.appendHighPart($0, lowBits: lowBits, short: false, to: &high) }
    let written = (docs: byteCount(docBits), positions: lowBytes &+ byteCount(high))
    docs.commit(written.docs)
    positions.commit(written.positions)
    return written
  }
}
