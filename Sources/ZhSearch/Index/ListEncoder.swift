import CICUShim

/// The doc codes and skip entries of the list being written, in memory reused from term to
/// term.
struct ListScratch: ~Copyable {
  var docs = BitWriter()
  var skips = ByteBuffer(capacity: 1 << 12)
}

/// What `ListEncoder.addPacked` does with each posting besides encoding it.
protocol PostingCounter {
  func count(_ paragraph: UInt32, _ frequency: UInt32)
  /// Starts loading the counter of a paragraph counted soon.
  func prefetch(_ paragraph: UInt64)
}

extension PostingCounter {
  @inline(__always) func prefetch(_ paragraph: UInt64) {}
}

/// Nothing: the term's character is not summed.
struct NoCounter: PostingCounter {
  @inline(__always) func count(_ paragraph: UInt32, _ frequency: UInt32) {}
}

/// Adds to the tally, noting the paragraphs touched (`Tally.add`).
struct TouchCounter: PostingCounter {
  // (Not retained: see `ListEncoder.tally`.)
  let tally: Unmanaged<Tally>
  let counters: UnsafePointer<UInt32>
  @inline(__always) func count(_ paragraph: UInt32, _ frequency: UInt32) {
    tally._withUnsafeGuaranteedRef { $0.add(paragraph, frequency) }
  }
  @inline(__always) func prefetch(_ paragraph: UInt64) { cshim_prefetch(counters + Int(truncatingIfNeeded: paragraph), 4) }
}

/// Adds to the tally without noting the paragraphs (`Tally.accumulate`, through the
/// counters' address held here: through the tally, it was loaded again for every posting).
struct BlindCounter: PostingCounter {
  let counters: UnsafeMutablePointer<UInt32>
  @inline(__always) func count(_ paragraph: UInt32, _ frequency: UInt32) {
    counters[Int(truncatingIfNeeded: paragraph)] &+= frequency
  }
  @inline(__always) func prefetch(_ paragraph: UInt64) { cshim_prefetch(counters + Int(truncatingIfNeeded: paragraph), 4) }
}

/// One term's list while it is written: the doc codes and skip entries of its postings, in
/// paragraph order (see `IndexFormat`).
struct ListEncoder {
  let gapBits: Int
  /// Each posting is also added here, when set (a character's own list is summed from it).
  /// Not retained: an encoder lives while one list is written, the tally for the whole merge
  /// (retaining and releasing it for every list and segment was 1.4% of a build's time).
  let tally: Unmanaged<Tally>?
  /// Whether the packed postings are added to the tally without noting their paragraphs
  /// (`Tally.accumulate`; the caller then finds them with `Tally.recordNonzero`).
  let blind: Bool
  /// The last posting's paragraph (meaningful once `docIndex` is above 0).
  private var last: UInt64 = 0
  private var docIndex = 0
  private var positionIndex = 0

  /// The last posting's paragraph, if any.
  var previous: UInt64? { docIndex > 0 ? last : nil }

  init(gapBits: Int, tally: Tally?, blind: Bool = false) {
    self.gapBits = gapBits
    self.tally = tally.map { Unmanaged.passUnretained($0) }
    self.blind = blind
  }

  /// Whether the next posting begins a block of 128, to be preceded by a skip entry
  /// (`addSkipEntry`).
  var startsBlock: Bool { Self.startsBlock(docIndex) }

  /// Whether posting `index` of a list begins a block of 128 after the first.
  @inline(__always)
  static func startsBlock(_ index: Int) -> Bool { index > 0 && index & (IndexFormat.skipBlock &- 1) == 0 }

  /// A posting's two codes (its gap in Rice code with `gapBits`, its frequency in gamma code;
  /// see `IndexFormat`) as one value, and their width; nil when they take more than 32 bits
  /// (then `appendDocCodes` writes them one after the other).
  @inline(__always)
  static func docCode(gap: UInt64, frequency: UInt64, gapBits: UInt64) -> (code: UInt64, width: Int)? {
    let quotient = gap &>> gapBits
    let n = UInt64(truncatingIfNeeded: UInt64.bitWidth &- 1 &- frequency.leadingZeroBitCount)
    let gapWidth = quotient &+ 1 &+ gapBits
    let width = gapWidth &+ 2 &* n &+ 1
    guard quotient < 32 && width <= 32 else { return nil }
    let gapCode = 1 &<< quotient | (gap & ((1 &<< gapBits) &- 1)) &<< (quotient &+ 1)
    let frequencyCode = 1 &<< n | (frequency & ((1 &<< n) &- 1)) &<< (n &+ 1)
    return (gapCode | frequencyCode &<< gapWidth, Int(truncatingIfNeeded: width))
  }

  /// Appends a posting's two codes one after the other (for codes of any length).
  static func appendDocCodes(gap: UInt64, frequency: UInt64, gapBits: Int, to docs: inout BitAppender) {
    let n = UInt64.bitWidth - 1 - frequency.leadingZeroBitCount
    docs.appendUnary(gap >> UInt64(gapBits), then: gap, width: gapBits)
    docs.appendUnary(UInt64(n), then: frequency, width: n)
  }

  /// Adds a posting's doc code (after its block's skip entry when it begins one: see
  /// `startsBlock`). Its positions go to the position streams next.
  @inline(__always)
  mutating func add(
    _ paragraph: UInt64, _ frequency: UInt64, docs: inout BitAppender, file: String
  ) throws(IndexError) {
    // (Paragraphs ascend, checked by every caller: the gap is not below 0.)
    let gap = docIndex > 0 ? paragraph &- last &- 1 : paragraph
    if let (code, width) = Self.docCode(gap: gap, frequency: frequency, gapBits: UInt64(truncatingIfNeeded: gapBits)) {
      docs.append(code, width: width)
    } else {
      Self.appendDocCodes(gap: gap, frequency: frequency, gapBits: gapBits, to: &docs)
    }
    if let tally {
      guard paragraph < UInt64(tally._withUnsafeGuaranteedRef(\.capacity)) else { throw Self.beyondTheIndex(file) }
      tally._withUnsafeGuaranteedRef { $0.add(UInt32(truncatingIfNeeded: paragraph), UInt32(truncatingIfNeeded: frequency)) }
    }
    positionIndex &+= Int(frequency)
    last = paragraph
    docIndex &+= 1
  }

  /// Adds the postings of packed records `range` (one term's, of a segment in memory whose
  /// paragraph 0 is `base`): a paragraph's run of records is one posting, its length the
  /// frequency. A skip entry's position offset is left as the index of its block's first
  /// record, for `PositionAppender.appendPacked` to replace.
  ///
  /// The encoder's and the appender's state are copied to scalar variables for the loop,
  /// which the compiler keeps in registers (through the structures, most of it went to the
  /// stack and back for every posting).
  mutating func addPacked(
    _ records: UnsafeBufferPointer<UInt64>, _ range: Range<Int>, base: UInt64, docs: inout BitAppender,
    skips: inout ByteBuffer
  ) throws(IndexError) {
    guard !range.isEmpty else { return }
    guard let tally else {
      try addPacked(records, range, base: base, docs: &docs, skips: &skips, counter: NoCounter())
      return
    }
    let (capacity, counters) = tally._withUnsafeGuaranteedRef { ($0.capacity, $0.counters) }
    // The term's records ascend by paragraph: its last is its largest.
    guard base &+ PackedRecord.paragraph(records[range.upperBound &- 1]) < UInt64(capacity) else {
      throw Self.beyondTheIndex("segment in memory")
    }
    if blind {
      try addPacked(
        records, range, base: base, docs: &docs, skips: &skips, counter: BlindCounter(counters: UnsafeMutablePointer(mutating: counters)))
    } else {
      try addPacked(
        records, range, base: base, docs: &docs, skips: &skips, counter: TouchCounter(tally: tally, counters: counters))
    }
  }

  /// `addPacked` with what is done with each posting's paragraph and frequency as a type, so
  /// that each way gets a loop of its own without a branch on it (and the registers it would
  /// hold).
  @inline(__always)
  private mutating func addPacked<Counter: PostingCounter>(
    _ records: UnsafeBufferPointer<UInt64>, _ range: Range<Int>, base: UInt64, docs: inout BitAppender,
    skips: inout ByteBuffer, counter: Counter
  ) throws(IndexError) {
    let end = range.upperBound
    var i = range.lowerBound
    // The usual posting's two codes take at most 32 bits.
    docs.reserve(bits: (end &- i) &* 32)
    var out = docs
    // (The first posting's gap is its paragraph: as if the last one were -1. A posting's
    // first position is the term's position `positionIndex` plus its records before it
    // here: one variable fewer for the loop's registers.)
    var (last, docIndex) = (docIndex > 0 ? self.last : UInt64.max, self.docIndex)
    let positionBase = positionIndex &- i
    defer {
      docs = out
      (self.last, self.docIndex, self.positionIndex) = (last, docIndex, positionBase &+ i)
    }
    let g = UInt64(truncatingIfNeeded: gapBits)
    let gapMask = (1 &<< g) &- 1
    while i < end {
      let local = PackedRecord.paragraph(records[i])
      // (The term's record 16 on: its paragraph's counter is loaded by the time it is counted.)
      counter.prefetch(base &+ PackedRecord.paragraph(records[min(i &+ 16, end &- 1)]))
      var runEnd = i &+ 1
      while runEnd < end && PackedRecord.paragraph(records[runEnd]) == local { runEnd &+= 1 }
      let paragraph = base &+ local
      let frequency = UInt64(truncatingIfNeeded: runEnd &- i)
      if Self.startsBlock(docIndex) {
        try Self.addSkipEntry(last: last, docsBit: out.bitCount, positionIndex: positionBase &+ i, positionBit: i, skips: &skips)
      }
      let gap = paragraph &- last &- 1
      // The gap's Rice code, then the frequency's gamma code (most frequencies are 1: one
      // bit), in one append when they fit 32 bits (`docCode`, inline).
      let quotient = gap &>> g
      let gapWidth = quotient &+ 1 &+ g
      var (frequencyCode, frequencyWidth): (UInt64, UInt64) = (1, 1)
      if frequency > 1 {
        let n = UInt64(truncatingIfNeeded: UInt64.bitWidth &- 1 &- frequency.leadingZeroBitCount)
        frequencyCode = 1 &<< n | (frequency & ((1 &<< n) &- 1)) &<< (n &+ 1)
        frequencyWidth = 2 &* n &+ 1
      }
      // (A gap is below 2^32, so the sum cannot wrap, and it is at most 32 only when the
      // quotient is below 32.)
      if gapWidth &+ frequencyWidth <= 32 {
        let gapCode = (1 | (gap & gapMask) &<< 1) &<< quotient
        out.appendReserved(gapCode | frequencyCode &<< gapWidth, width: Int(truncatingIfNeeded: gapWidth &+ frequencyWidth))
      } else {
        Self.appendDocCodes(gap: gap, frequency: frequency, gapBits: gapBits, to: &out)
        out.reserve(bits: (end &- runEnd) &* 32)
      }
      counter.count(UInt32(truncatingIfNeeded: paragraph), UInt32(truncatingIfNeeded: frequency))
      last = paragraph
      docIndex &+= 1
      i = runEnd
    }
  }

  /// Writes a skip entry (see `addSkipEntry(docsBit:positionBit:skips:)`) from values.
  @inline(never)
  private static func addSkipEntry(
    last: UInt64, docsBit: Int, positionIndex: Int, positionBit: Int, skips: inout ByteBuffer
  ) throws(IndexError) {
    // Skip entries are 32-bit: a list beyond that (about 10^9 postings) cannot be written.
    guard let last = UInt32(exactly: last), let docsBit = UInt32(exactly: docsBit),
      let index = UInt32(exactly: positionIndex), let highBit = UInt32(exactly: positionBit)
    else { throw .io(path: "docs", reason: "a term's list is too long for the index format") }
    skips.append(last)
    skips.append(docsBit)
    skips.append(index)
    skips.append(highBit)
  }

  /// Writes the skip entry of the block that the next posting begins (out of line: once in
  /// 128 postings) to `skips`: `docsBit` is where the posting's code starts in the doc bits,
  /// `positionBit` where its positions start in the unary stream
  /// (`PositionAppender.highBitCount`).
  @inline(never)
  func addSkipEntry(docsBit: Int, positionBit: Int, skips: inout ByteBuffer) throws(IndexError) {
    try Self.addSkipEntry(last: last, docsBit: docsBit, positionIndex: positionIndex, positionBit: positionBit, skips: &skips)
  }

  @inline(never)
  private static func beyondTheIndex(_ file: String) -> IndexError {
    .corrupt(file: file, detail: "paragraph beyond the index")
  }
}

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

extension ListEncoder {
  /// Encodes one term's packed records `range` of a segment in memory whose paragraph 0 is
  /// `base`: a paragraph's run of records gives its frequency, then its positions (the first
  /// absolute, then the gaps). The merge's hottest loop.
  ///
  /// In two passes over the records, each with little state, which the compiler can keep in
  /// registers (one pass doing both spilled most of it to the stack): the doc codes and skip
  /// entries, then the positions. A skip entry's last field (where its block's positions
  /// start in the unary stream) is known only in the second pass: the first writes there
  /// the index of the block's first record, which the second replaces.
  static func encodePacked(
    _ records: UnsafeBufferPointer<UInt64>, _ range: Range<Int>, base: UInt64, list: inout ListEncoder,
    docBits: inout BitAppender, skips: inout ByteBuffer, positions: inout PositionAppender
  ) throws(IndexError) {
    let firstSkip = skips.count
    try list.addPacked(records, range, base: base, docs: &docBits, skips: &skips)
    try positions.appendPacked(records, range, skips: &skips, from: firstSkip)
  }
}
