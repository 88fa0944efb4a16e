/// One term's list while it is written: the doc codes and skip entries of its postings, in
/// paragraph order: the DocList of `IndexFormat` (section docs), read back by `DocIterator`
/// and `DocCursor`.
struct DocEncoder {
  let gapBits: Int
  /// Each posting is also added here, when set (a character's own list is summed from it).
  /// Not retained: an encoder lives while one list is written, the tally for the whole
  /// merge, so a reference count for every list would be pure cost.
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

  /// Appends a posting's doc code (`IndexFormat`, Doc), the one place it is written: its gap
  /// in Rice code with `gapBits` low bits, then its frequency in gamma code (most
  /// frequencies are 1: one bit, without a bit scan). A code that fits 32 bits (nearly all)
  /// goes in one append within room made by `docs.reserve(bits:)` for 32 bits; a longer
  /// one part by part with checked appends, which may take the room: false then, and the
  /// caller makes room again before its next reserved append.
  @inline(__always)
  static func appendDocCode(gap: UInt64, frequency: UInt64, gapBits: UInt64, to docs: inout BitAppender) -> Bool {
    let quotient = gap &>> gapBits
    let gapWidth = quotient &+ 1 &+ gapBits
    var (frequencyCode, frequencyWidth): (UInt64, UInt64) = (1, 1)
    if frequency > 1 {
      let n = UInt64(truncatingIfNeeded: UInt64.bitWidth &- 1 &- frequency.leadingZeroBitCount)
      frequencyCode = 1 &<< n | (frequency & ((1 &<< n) &- 1)) &<< (n &+ 1)
      frequencyWidth = 2 &* n &+ 1
    }
    // (The quotient's test keeps the sum from wrapping for a gap near 2^64.)
    guard quotient < 32 && gapWidth &+ frequencyWidth <= 32 else {
      appendLongDocCode(gap: gap, frequency: frequency, gapBits: gapBits, to: &docs)
      return false
    }
    let gapCode = (1 | (gap & ((1 &<< gapBits) &- 1)) &<< 1) &<< quotient
    docs.appendReserved(gapCode | frequencyCode &<< gapWidth, width: Int(truncatingIfNeeded: gapWidth &+ frequencyWidth))
    return true
  }

  /// Appends a posting's two codes one after the other, with checked appends (for codes of
  /// any length).
  private static func appendLongDocCode(gap: UInt64, frequency: UInt64, gapBits: UInt64, to docs: inout BitAppender) {
    let n = UInt64.bitWidth - 1 - frequency.leadingZeroBitCount
    docs.appendUnary(gap >> gapBits, then: gap, width: Int(gapBits))
    docs.appendUnary(UInt64(n), then: frequency, width: n)
  }

  /// The most bits the doc codes of `postings` postings, each of frequency at most
  /// `maxFrequency`, take in a list with `gapBits` in an index of `paragraphCount`
  /// paragraphs: the unary parts of the gaps add up to at most ParagraphCount >> G (the
  /// gaps add up to less than ParagraphCount), each posting has G + 1 bits more, and its
  /// frequency's code 2 floor(log2 f) + 1.
  static func maxDocBits(postings: Int, maxFrequency: Int, gapBits: Int, paragraphCount: Int) -> Int {
    let frequencyBits = 2 &* (Int.bitWidth &- 1 &- max(maxFrequency, 1).leadingZeroBitCount) &+ 1
    return paragraphCount &>> gapBits &+ postings &* (gapBits &+ 1 &+ frequencyBits)
  }

  /// Adds a posting's doc code (after its block's skip entry when it begins one: see
  /// `startsBlock`). Its positions go to the position streams next.
  @inline(__always)
  mutating func add(
    _ paragraph: UInt64, _ frequency: UInt64, docs: inout BitAppender, file: String
  ) throws(IndexError) {
    // (Paragraphs ascend, checked by every caller: the gap is not below 0.)
    let gap = docIndex > 0 ? paragraph &- last &- 1 : paragraph
    docs.reserve(bits: 32)
    _ = Self.appendDocCode(gap: gap, frequency: frequency, gapBits: UInt64(truncatingIfNeeded: gapBits), to: &docs)
    if let tally {
      guard paragraph < UInt64(tally._withUnsafeGuaranteedRef(\.capacity)) else { throw Self.beyondTheIndex(file) }
      tally._withUnsafeGuaranteedRef { $0.add(UInt32(truncatingIfNeeded: paragraph), UInt32(truncatingIfNeeded: frequency)) }
    }
    positionIndex &+= Int(frequency)
    last = paragraph
    docIndex &+= 1
  }

  /// Adds the postings of packed records `range` (one term's, of a scratch run in memory whose
  /// paragraph 0 is `base`): a paragraph's run of records is one posting, its length the
  /// frequency. A skip entry's position offset is left as the index of its block's first
  /// record, for `PositionAppender.appendPacked` to replace.
  ///
  /// The encoder's and the appender's state are copied to scalar variables for the loop,
  /// which the compiler keeps in registers (through the structures, most of it would go to
  /// the stack and back for every posting).
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
      throw Self.beyondTheIndex("scratch run in memory")
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
      // (Paragraphs ascend: the gap is not below 0, nor 2^32 or more.)
      if !Self.appendDocCode(gap: paragraph &- last &- 1, frequency: frequency, gapBits: g, to: &out) {
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
    SkipEntry(lastParagraph: last, docsBit: docsBit, positionIndex: index, positionsBit: highBit).append(to: &skips)
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

extension DocEncoder {
  /// Encodes one term's packed records `range` of a scratch run in memory whose paragraph 0 is
  /// `base`: a paragraph's run of records gives its frequency, then its positions (the first
  /// absolute, then the gaps). The merge's hottest loop.
  ///
  /// In two passes over the records, each with little state, which the compiler can keep in
  /// registers (one pass doing both spilled most of it to the stack): the doc codes and skip
  /// entries, then the positions. A skip entry's last field (where its block's positions
  /// start in the unary stream) is known only in the second pass: the first writes there
  /// the index of the block's first record, which the second replaces.
  static func encodePacked(
    _ records: UnsafeBufferPointer<UInt64>, _ range: Range<Int>, base: UInt64, list: inout DocEncoder,
    docBits: inout BitAppender, skips: inout ByteBuffer, positions: inout PositionAppender
  ) throws(IndexError) {
    let firstSkip = skips.count
    try list.addPacked(records, range, base: base, docs: &docBits, skips: &skips)
    try positions.appendPacked(records, range, skips: &skips, from: firstSkip)
  }
}
