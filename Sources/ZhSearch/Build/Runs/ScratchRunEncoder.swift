/// Encodes a scratch run's terms, one after another, into its `.docs`, `.positions` and
/// `.terms` bytes, in buffers handed to the spill files as they fill. A run is written to
/// the scratch folder as:
///
/// ```
/// <name>.docs       Posting ^ DocFrequency per term, in term order
///   Posting    -->  varint(gap << 1 | 1) when the paragraph holds the term once,
///                   else varint(gap << 1), varint(Frequency)
///                   (gap: from the term's paragraph before, the first from 0; paragraphs
///                   numbered in the worker)
/// <name>.positions  varint ^ Occurrences per term: each posting's positions, the first
///                   absolute, then the gaps
/// <name>.terms      ScratchTermEntry ^ TermCount, in key order (words last, by rank)
/// <name>.words      the run's words by rank (`WordTable`; a word's key in the run is
///                   1 << 63 | rank, ranks in byte order)
/// ```
///
/// A paragraph's run of places gives one posting. The loops keep the buffers in local
/// variables: through captured variables, every byte would pay for an exclusivity check
/// at run time.
/// The owner must call `deallocate()`.
struct ScratchRunEncoder {
  var docs = RawByteBuffer(capacity: 1 << 17)
  var positions = RawByteBuffer(capacity: 1 << 17)
  var terms = RawByteBuffer(capacity: 1 << 20)

  /// Adds a term whose records are packed records `range` of `records` (sorted by place) of
  /// a run whose first paragraph is `runBase`.
  mutating func add(
    _ key: UInt64, packed records: UnsafeBufferPointer<UInt64>, _ range: Range<Int>, runBase: UInt64
  ) throws(IndexError) {
    let first = range.lowerBound
    // (A packed position is below 4096: two bytes at most.)
    try add(key, count: range.count, positionBytes: 2) {
      runBase &+ PackedRecord.paragraph(records[first &+ $0])
    } position: {
      PackedRecord.position(records[first &+ $0])
    }
  }

  /// Adds a term whose places (`paragraph << 32 | position`) are `places`, in order.
  mutating func add(_ key: UInt64, places: UnsafeBufferPointer<UInt64>) throws(IndexError) {
    try add(key, count: places.count, positionBytes: 5) { places[$0] &>> 32 } position: { places[$0] & 0xFFFF_FFFF }
  }

  /// Adds a term of `count` records, the `i`th in paragraph `paragraph(i)` at position
  /// `position(i)` (ascending), whose position gaps take at most `positionBytes` as varints.
  @inline(__always)
  private mutating func add(
    _ key: UInt64, count: Int, positionBytes: Int, paragraph: (Int) -> UInt64, position: (Int) -> UInt64
  ) throws(IndexError) {
    let (docsStart, positionsStart) = (docs.count, positions.count)
    var (docs, positions) = (self.docs, self.positions)
    defer { (self.docs, self.positions) = (docs, positions) }
    positions.reserve(positionBytes &* count)
    var i = 0
    var (previous, documentFrequency): (UInt64, UInt32) = (0, 0)
    while i < count {
      let current = paragraph(i)
      var previousPosition: UInt64 = 0
      let first = i
      repeat {
        let next = position(i)
        positions.appendReservedVarInt(next &- previousPosition)
        previousPosition = next
        i &+= 1
      } while i < count && paragraph(i) == current
      Self.addPosting(gap: current &- previous, frequency: UInt64(truncatingIfNeeded: i &- first), to: &docs)
      previous = current
      documentFrequency &+= 1
    }
    try addTerm(key, documentFrequency, occurrences: count, last: previous, docs.count &- docsStart, positions.count &- positionsStart)
  }

  /// Appends a posting's doc varints.
  @inline(__always)
  private static func addPosting(gap: UInt64, frequency: UInt64, to docs: inout RawByteBuffer) {
    if frequency == 1 {
      docs.appendVarInt(gap &<< 1 | 1)
    } else {
      docs.appendVarInt(gap &<< 1)
      docs.appendVarInt(frequency)
    }
  }

  /// Appends the term's `ScratchTermEntry`.
  private mutating func addTerm(
    _ key: UInt64, _ documentFrequency: UInt32, occurrences: Int, last: UInt64, _ docsLength: Int, _ positionsLength: Int
  ) throws(IndexError) {
    guard let docsLength = UInt32(exactly: docsLength), let positionsLength = UInt32(exactly: positionsLength),
      let occurrences = UInt32(exactly: occurrences), let last = UInt32(exactly: last)
    else { throw .io(path: "scratch run", reason: "a term's postings are too long for a scratch run") }
    ScratchTermEntry(
      key: key, docsLength: docsLength, positionsLength: positionsLength, documentFrequency: documentFrequency,
      occurrences: occurrences, lastParagraph: last
    ).append(to: &terms)
  }

  /// Appends the postings buffers to their spill files and empties them, once either holds
  /// more than `limit` bytes (0: whatever they hold).
  mutating func spill(docs docsFile: SpillFile, positions positionsFile: SpillFile, beyond limit: Int) throws(IndexError) {
    if docs.count > limit || limit == 0 {
      try docsFile.append(docs.bytes)
      docs.removeAll()
    }
    if positions.count > limit || limit == 0 {
      try positionsFile.append(positions.bytes)
      positions.removeAll()
    }
  }

  mutating func deallocate() {
    docs.deallocate()
    positions.deallocate()
    terms.deallocate()
  }
}
