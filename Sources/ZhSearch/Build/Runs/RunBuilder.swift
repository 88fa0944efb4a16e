import CICUShim

#if canImport(Glibc)
  import Glibc
#endif

/// One share of an index build's files (`FileShares`; "worker" N below is share N): it
/// analyzes paragraphs into records and, whenever they fill the share's records limit,
/// sorts them and spills them as a segment.
///
/// Paragraph ids are local to the share (0, 1, 2, ...) and continue across its segments;
/// the merge adds the share's base. Every segment is written to the scratch folder as:
///
/// ```
/// <name>.docs       Doc ^ DocFrequency per term (varints as in the final `docs` file, but
///                   no skip entries; local paragraph ids, the first delta from 0)
/// <name>.positions  positions per term, as in the final `positions` file
/// <name>.terms      SegmentTerm ^ TermCount, in key order (words last, in byte order)
///   SegmentTerm --> Key u64, DocsLength u32, PositionsLength u32, DocFrequency u32,
///                   Occurrences u32, LastParagraph u32, Reserved u32                 32 bytes
/// <name>.words      WordCount u32, WordOffset u32 ^ (WordCount + 1), WordBytes
///                   (in byte order; a word's key in this segment is 1 << 63 | rank)
/// ```
/// A worker whose records all fit its budget writes no segment: `finish()` keeps them in
/// memory (`MemoryRun`, the packed ones in their buckets), where the merge sorts and
/// reads them, so a corpus that fits the budget is encoded once, into the final files. The
/// worker's paragraph texts go to `w<N>.text` (the first worker's straight to the final
/// `text` file) and its paragraph entries (the final `ParagraphEntry`, with offsets into
/// that text) to `w<N>.paragraphs`.
final class RunBuilder {
  /// Bytes of memory a record costs while it is buffered, on Chinese text: 8 in its bucket,
  /// and a quarter more for the chunks left part full (up to 4 KiB a bucket) and the sort's
  /// two buffers of the largest bucket (a few percent of the records; not a copy of every
  /// record). A worker spills once `RecordSink.bufferedBytes` reaches its records limit
  /// times this, whatever the text.
  static let bytesPerRecord = 10

  /// A segment written by this builder.
  struct Segment: Sendable {
    var name: String
  }

  let worker: Int
  let scratch: String
  /// Records buffered at most before they are spilled.
  private let recordLimit: RecordLimit
  private let analyzer: Analyzer
  // (What `add` changes for every paragraph is not checked for overlapping access at run
  // time: a builder belongs to one worker thread.)
  @exclusivity(unchecked) private var records = RecordSink()
  /// A bucket's records sorted, and the first pass's, when the records are spilled.
  private var bucketBuffer = RecordBuffer()
  private var scratchPacked = RecordBuffer()
  private var scratchPlaces = RecordBuffer()
  /// Where the paragraph texts go: the worker's spill file, or, for the first worker, the
  /// final `text` file itself (its texts come first there: copying them from a spill file
  /// would read and write them once more).
  private enum TextOutput {
    case spill(SpillFile)
    case final(IndexFileWriter)

    var count: Int {
      switch self {
      case .spill(let file): return file.count
      case .final(let writer): return writer.payloadCount
      }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
      switch self {
      case .spill(let file): try file.append(bytes)
      case .final(let writer): try writer.write(bytes)
      }
    }
  }
  private let text: TextOutput
  private let paragraphTable: SpillFile
  /// Room for one paragraph entry, reused (allocated once nothing in `init` can throw, or
  /// a failed init would leak it: no deinit runs then).
  private let entry: UnsafeMutableRawPointer
  /// The segments written to the scratch folder, in paragraph order.
  private(set) var segments: [Segment] = []
  /// The worker's only segment, kept in memory by `finish()` when nothing was spilled.
  private(set) var memoryRun: MemoryRun? = nil
  /// Records buffered and spilled so far.
  @exclusivity(unchecked) private(set) var recordCount = 0
  /// Paragraphs added so far (the next local id).
  @exclusivity(unchecked) private(set) var paragraphCount = 0
  /// Tokens added so far (the sum of paragraph lengths).
  @exclusivity(unchecked) private(set) var totalLength = 0
  /// Bytes of corpus files read by this worker.
  var inputBytes = 0
  /// Files this worker indexed, and what it skipped or repaired.
  var filesIndexed = 0
  var warnings: [CorpusWarning] = []
  /// Seconds spent in each stage: those timed per paragraph kept as ticks until read.
  var timings: Timings {
    get {
      var timings = otherTimings
      timings.analyze += Timings.seconds(ofTicks: analyzeTicks)
      timings.write += Timings.seconds(ofTicks: writeTicks)
      return timings
    }
    set {
      otherTimings = newValue
      (analyzeTicks, writeTicks) = (0, 0)
    }
  }
  /// The stages timed in seconds, and the ticks (`Timings.ticks()`) of those timed a
  /// paragraph at a time.
  @exclusivity(unchecked) private var otherTimings = Timings()
  @exclusivity(unchecked) private var analyzeTicks: UInt64 = 0
  @exclusivity(unchecked) private var writeTicks: UInt64 = 0

  /// - Parameters:
  ///   - recordLimit: records buffered at most before they are spilled (a memory budget
  ///     over `bytesPerRecord`).
  ///   - finalText: the final `text` file, for the first worker, which writes its texts
  ///     there (the others write `w<N>.text`).
  ///   - analyzer: the thread's analyzer (its character table fills as characters are met).
  init(
    worker: Int, scratch: String, recordLimit: RecordLimit, analyzer: Analyzer, finalText: IndexFileWriter? = nil
  ) throws(IndexError) {
    self.worker = worker
    self.scratch = scratch
    self.recordLimit = recordLimit
    self.analyzer = analyzer
    if let finalText {
      text = .final(finalText)
    } else {
      text = .spill(try SpillFile(path: scratch + "/w\(worker).text"))
    }
    paragraphTable = try SpillFile(path: scratch + "/w\(worker).paragraphs")
    entry = .allocate(byteCount: IndexFormat.paragraphEntrySize, alignment: 8)
    // (A bucket's last chunk may be part full.)
    records.packed.reserveCapacity(recordLimit.value + RecordBuckets.bucketCount * RecordBuckets.chunkRecords)
  }

  deinit { entry.deallocate() }

  /// Analyzes one paragraph (valid UTF-8) of corpus file `file`.
  func add(_ paragraph: UnsafeBufferPointer<UInt8>, file: Int, line: Int, ordinal: Int) throws(IndexError) {
    let start = Timings.ticks()
    records.paragraph = UInt64(paragraphCount)
    let (recordsBefore, before) = (records.count, records.count - records.joinedCount)
    analyzer.scan(paragraph, foldedText: false, offsets: false, into: &records)
    let length = records.count - records.joinedCount - before
    recordCount += records.count - recordsBefore
    let analyzed = Timings.ticks()
    analyzeTicks &+= analyzed &- start
    // The paragraph's entry (`IndexFormat`'s ParagraphEntry), written in place: through a
    // byte array, each of its seven fields cost an append's checks.
    entry.storeBytes(of: UInt64(text.count).littleEndian, toByteOffset: 0, as: UInt64.self)
    entry.storeBytes(of: UInt32(paragraph.count).littleEndian, toByteOffset: 8, as: UInt32.self)
    entry.storeBytes(of: UInt32(file).littleEndian, toByteOffset: 12, as: UInt32.self)
    entry.storeBytes(of: UInt32(clamping: line).littleEndian, toByteOffset: 16, as: UInt32.self)
    entry.storeBytes(of: UInt32(clamping: ordinal).littleEndian, toByteOffset: 20, as: UInt32.self)
    entry.storeBytes(of: UInt32(clamping: length).littleEndian, toByteOffset: 24, as: UInt32.self)
    entry.storeBytes(of: UInt32(0), toByteOffset: 28, as: UInt32.self)
    try text.append(UnsafeRawBufferPointer(paragraph))
    try paragraphTable.append(UnsafeRawBufferPointer(start: entry, count: IndexFormat.paragraphEntrySize))
    paragraphCount += 1
    totalLength += length
    writeTicks &+= Timings.ticks() &- analyzed
    if records.bufferedBytes >= recordLimit.value * Self.bytesPerRecord
      || UInt64(paragraphCount) - records.runBase >= PackedRecord.paragraphLimit
    {
      try flush()
    }
  }

  /// Keeps the buffered records as the memory segment (the packed ones in their buckets,
  /// the overflow sorted), or spills them when segments were spilled before (or when there
  /// are too many for the memory segment's table), and closes the spill files.
  func finish() throws(IndexError) {
    // A worker that had to spill is indexing more than its budget holds: its last records
    // are spilled too, so that the merge's memory stays what the budget allows.
    if !records.isEmpty && (!segments.isEmpty || !MemoryRun.canHold(records)) { try flush() }
    if !records.isEmpty {
      let start = Timings.now()
      let wordTable = records.remapWordsToRanks()
      // The packed records stay in their buckets: the merge sorts each one as it reaches it.
      // The overflow stream is sorted as the segment takes it.
      memoryRun = MemoryRun(records, wordTable: wordTable)
      otherTimings.invert += Timings.now() - start
    }
    // The record buffers are the bulk of the memory budget: free them for the merge (a
    // memory segment keeps the buckets it took over).
    records = RecordSink()
    bucketBuffer = RecordBuffer()
    scratchPacked = RecordBuffer()
    scratchPlaces = RecordBuffer()
    if case .spill(let file) = text { try file.close() }
    try paragraphTable.close()
  }

  /// Sorts the buffered records and writes them as the next segment.
  private func flush() throws(IndexError) {
    let start = Timings.now()
    let wordTable = records.remapWordsToRanks()
    records.sortOverflow(scratch: scratchPlaces)
    let name = "s\(worker)-\(segments.count)"
    let docs = try SpillFile(path: scratch + "/\(name).docs")
    let positions = try SpillFile(path: scratch + "/\(name).positions")
    var encoder = SpillEncoder()
    defer { encoder.deallocate() }
    // (In a scope of its own, so these references are gone before the buffers are reused.)
    do {
      let runBase = records.runBase
      let overflowPlaces = records.overflowPlaces
      let merged = RecordBuffer()
      // Bucket by bucket: sorted into a bucket's worth of memory, not into a copy of all.
      try records.forEachTerm(buffer: bucketBuffer, temp: scratchPacked) { key, packed, inPacked, inOverflow throws(IndexError) in
        if inOverflow.isEmpty {
          try encoder.add(key, packed: packed, inPacked, runBase: runBase)
        } else {
          try overflowPlaces.withUnsafeBufferPointer { overflow throws(IndexError) in
            if inPacked.isEmpty {
              try encoder.add(key, places: UnsafeBufferPointer(rebasing: overflow[inOverflow]))
            } else {
              // A key in both streams (a bigram also found at positions from 4096 on): its
              // two runs, each already in order, merged by place.
              var places = PlaceIterator(inPacked, inOverflow, runBase: runBase)
              merged.removeAll()
              while let place = places.next(packed, overflow) { merged.append(place) }
              try encoder.add(key, places: merged.records)
            }
          }
        }
        try encoder.spill(docs: docs, positions: positions, beyond: 1 << 16)
      }
    }
    try encoder.spill(docs: docs, positions: positions, beyond: 0)
    try docs.close()
    try positions.close()
    let encoded = Timings.now()
    otherTimings.invert += encoded - start
    let termFile = try SpillFile(path: scratch + "/\(name).terms")
    try termFile.append(encoder.terms.bytes)
    try termFile.close()
    let wordFile = try SpillFile(path: scratch + "/\(name).words")
    try wordFile.append(wordTable)
    try wordFile.close()
    segments.append(Segment(name: name))
    records.removeAll()
    records.runBase = UInt64(paragraphCount)
    otherTimings.write += Timings.now() - encoded
  }
}

/// Encodes a spilled segment's terms, one after another, into its `.docs`, `.positions` and
/// `.terms` bytes (see `RunBuilder`), in buffers handed to the spill files as they fill.
///
/// A paragraph's run of places gives one posting: its gap from the term's paragraph before
/// (the first from 0) shifted left once, with the low bit set when it holds the term once,
/// else followed by its frequency; and its positions, the first absolute, then the gaps.
/// The loops keep the buffers in local variables: through captured variables, as before,
/// every byte paid for an exclusivity check at run time.
/// The owner must call `deallocate()`.
private struct SpillEncoder {
  var docs = RawByteBuffer(capacity: 1 << 17)
  var positions = RawByteBuffer(capacity: 1 << 17)
  var terms = RawByteBuffer(capacity: 1 << 20)

  /// Adds a term whose records are packed records `range` of `records` (sorted by place) of
  /// a segment whose first paragraph is `runBase`.
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

  /// Appends the term's `SegmentTerm` entry.
  private mutating func addTerm(
    _ key: UInt64, _ documentFrequency: UInt32, occurrences: Int, last: UInt64, _ docsLength: Int, _ positionsLength: Int
  ) throws(IndexError) {
    guard let docsLength = UInt32(exactly: docsLength), let positionsLength = UInt32(exactly: positionsLength),
      let occurrences = UInt32(exactly: occurrences), let last = UInt32(exactly: last)
    else { throw .io(path: "segment", reason: "a term's postings are too long for a segment") }
    terms.append(key)
    terms.append(docsLength)
    terms.append(positionsLength)
    terms.append(documentFrequency)
    terms.append(occurrences)
    terms.append(last)
    terms.append(UInt32(0))
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

/// Seconds spent in each stage of a build.
public struct Timings: Sendable, Equatable {
  public var read = 0.0
  public var split = 0.0
  public var analyze = 0.0
  /// Sorting records by term and encoding spilled segments (records kept in memory are
  /// sorted by the merge: that time is counted here too, and in `merge`).
  public var invert = 0.0
  public var write = 0.0
  /// The merge and commit, wall-clock.
  public var merge = 0.0

  public init() {}

  /// Adds another worker's timings.
  mutating func add(_ other: Timings) {
    read += other.read
    split += other.split
    analyze += other.analyze
    invert += other.invert
    write += other.write
    merge += other.merge
  }

  /// Monotonic seconds.
  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }

  /// The CPU's tick count (`cshim_ticks`): a third of the cost of `now()`, for the stages
  /// timed three times a paragraph (`clock_gettime` took 1% of a build's time).
  @inline(__always)
  static func ticks() -> UInt64 { cshim_ticks() }

  /// The seconds of `ticks` ticks, at the rate the ticks ran since the process first asked
  /// for it (`IndexBuilder.build` does first, before its workers start).
  static func seconds(ofTicks ticks: UInt64) -> Double {
    guard ticks > 0 else { return 0 }
    let (tick, second) = (Self.ticks(), now())
    let (elapsedTicks, elapsedSeconds) = (tick &- tickOrigin.tick, second - tickOrigin.second)
    guard elapsedTicks > 0, elapsedSeconds > 0 else { return 0 }
    return Double(ticks) * elapsedSeconds / Double(elapsedTicks)
  }
}

/// When ticks were first asked for, in ticks and in seconds (`Timings.seconds(ofTicks:)`).
private let tickOrigin = (tick: Timings.ticks(), second: Timings.now())

extension Timings {
  /// Starts the clock that converts ticks to seconds (the longer it runs before a
  /// conversion, the closer its rate).
  static func startTickClock() { _ = tickOrigin }
}
