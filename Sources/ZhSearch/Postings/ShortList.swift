/// Lists of at most `limit` packed records, all in one scratch run in memory, written in one
/// go without the streams and scratch memory of `SegmentMerger.writeList`.
enum ShortList {
  /// The most records of a list that `write` writes.
  static let limit = 8

  /// Writes the list of a term whose records are all packed, in one segment in memory (at
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
    @inline(__always) func paragraph(_ i: Int) -> UInt64 { records[i] &>> 12 & 0x1F_FFFF }
    if let tally {
      // (Records ascend by paragraph: the last is the largest.)
      guard base &+ paragraph(range.upperBound &- 1) < UInt64(tally._withUnsafeGuaranteedRef(\.capacity)) else { return nil }
    }
    /// The bytes an appender wrote, the last padded with zero bits.
    func byteCount(_ bits: BitAppender) -> Int { (bits.bitCount &+ 7) &>> 3 }
    // The doc codes: the unary parts of the gaps' codes add up to at most ParagraphCount >>
    // G bits; each posting's codes have G + 1 bits more, and its frequency's (at most 8) at
    // most 7; and an append stores eight bytes.
    let g = UInt64(truncatingIfNeeded: gapBits)
    let docsRoom = (paragraphCount &>> gapBits &+ range.count &* (gapBits &+ 8)) / 8 &+ 16
    docs.reserve(docsRoom)
    var docBits = BitAppender(borrowing: docs.free, capacity: docsRoom)
    var last = UInt64.max
    var i = range.lowerBound
    while i < range.upperBound {
      var end = i &+ 1
      while end < range.upperBound && paragraph(end) == paragraph(i) { end &+= 1 }
      let current = base &+ paragraph(i)
      let (gap, frequency) = (current &- last &- 1, UInt64(truncatingIfNeeded: end &- i))
      if let (code, width) = ListEncoder.docCode(gap: gap, frequency: frequency, gapBits: g) {
        docBits.appendReserved(code, width: width)
      } else {
        // (Within the room reserved above: the borrowing appender does not grow.)
        ListEncoder.appendDocCodes(gap: gap, frequency: frequency, gapBits: gapBits, to: &docBits)
      }
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
    // The positions: each posting's first absolute, then the gaps (a packed position is
    // below 4096); their low bits, then their high parts in unary.
    @inline(__always) func forEachValue(_ body: (UInt64) -> Void) {
      var (previous, position) = (UInt64.max, UInt64(0))
      for i in range {
        let following = records[i] & 0xFFF
        body(following &- (paragraph(i) == previous ? position : 0))
        (previous, position) = (paragraph(i), following)
      }
    }
    let k = UInt64(truncatingIfNeeded: lowBits)
    let mask = (1 &<< k) &- 1
    let lowBytes = (range.count &* lowBits &+ 7) / 8
    let positionsRoom = lowBytes &+ (range.count &* ((0xFFF &>> lowBits) &+ 1)) / 8 &+ 16
    positions.reserve(positionsRoom)
    var low = BitAppender(borrowing: positions.free, capacity: positionsRoom)
    forEachValue { low.appendReserved($0 & mask, width: lowBits) }
    // (The low bits' last stores reach past their end: the high parts are written over them,
    // after them.)
    var high = BitAppender(borrowing: positions.free + lowBytes, capacity: positionsRoom &- lowBytes)
    forEachValue { high.appendUnaryReserved($0 &>> k) }
    let written = (docs: byteCount(docBits), positions: lowBytes &+ byteCount(high))
    docs.commit(written.docs)
    positions.commit(written.positions)
    return written
  }
}
