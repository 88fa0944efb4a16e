import CICUShim

#if canImport(Glibc)
  import Glibc
#endif

/// One share of an index build's files (`FileShares`; "worker" N below is share N): it
/// analyzes paragraphs into records and, whenever they fill the share's records limit,
/// sorts them and spills them as a scratch run (`ScratchRunEncoder` gives the files'
/// layout).
///
/// Paragraph ids are local to the share (0, 1, 2, ...) and continue across its runs; the
/// merge adds the share's base. A worker whose records all fit its budget writes no run:
/// `finish()` keeps them in memory (`MemoryRun`, the packed ones in their buckets), where
/// the merge sorts and reads them, so a corpus that fits the budget is encoded once, into
/// the final files. The worker's paragraph texts go to `w<N>.text` (the first worker's straight to the final
/// `text` file) and its paragraph entries (the final `ParagraphEntry`, with offsets into
/// that text) to `w<N>.paragraphs`.
final class RunBuilder {
  /// Bytes of memory a record costs while it is buffered, on Chinese text: 8 in its bucket,
  /// and a quarter more for the chunks left part full (up to 4 KiB a bucket) and the sort's
  /// two buffers of the largest bucket (a few percent of the records; not a copy of every
  /// record). A worker spills once `RecordSink.bufferedBytes` reaches its records limit
  /// times this, whatever the text.
  static let bytesPerRecord = 10

  /// A scratch run written by this builder.
  struct Run: Sendable {
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
  /// The runs written to the scratch folder, in paragraph order.
  private(set) var runs: [Run] = []
  /// The worker's only run, kept in memory by `finish()` when nothing was spilled.
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
    entry = .allocate(byteCount: ParagraphEntry.size, alignment: 8)
    // (A bucket's last chunk may be part full.)
    records.packed.reserveCapacity(recordLimit.value + RecordBuckets.bucketCount * RecordBuckets.chunkRecords)
  }

  deinit { entry.deallocate() }

  /// Analyzes one paragraph (valid UTF-8) of corpus file `file`, which starts at `column`
  /// of `line`.
  func add(_ paragraph: UnsafeBufferPointer<UInt8>, file: Int, line: Int, ordinal: Int, column: Int) throws(IndexError) {
    let start = Timings.ticks()
    records.paragraph = UInt64(paragraphCount)
    let (recordsBefore, before) = (records.count, records.count - records.joinedCount)
    analyzer.scan(paragraph, foldedText: false, offsets: false, into: &records)
    let length = records.count - records.joinedCount - before
    recordCount += records.count - recordsBefore
    let analyzed = Timings.ticks()
    analyzeTicks &+= analyzed &- start
    // The paragraph's entry, stored in place: through a byte array, each of its fields would
    // cost an append's checks. Its text offset is local to the worker until the merge.
    ParagraphEntry(
      textOffset: UInt64(text.count), textLength: UInt32(paragraph.count), file: UInt32(file),
      line: UInt32(clamping: line), ordinal: UInt32(clamping: ordinal), length: UInt32(clamping: length),
      column: UInt32(clamping: column)
    ).store(at: entry)
    try text.append(UnsafeRawBufferPointer(paragraph))
    try paragraphTable.append(UnsafeRawBufferPointer(start: entry, count: ParagraphEntry.size))
    paragraphCount += 1
    totalLength += length
    writeTicks &+= Timings.ticks() &- analyzed
    if records.bufferedBytes >= recordLimit.value * Self.bytesPerRecord
      || UInt64(paragraphCount) - records.runBase >= PackedRecord.paragraphLimit
    {
      try flush()
    }
  }

  /// Keeps the buffered records as the run in memory (the packed ones in their buckets,
  /// the overflow sorted), or spills them when runs were spilled before (or when there are
  /// too many for a run in memory's table), and closes the spill files.
  func finish() throws(IndexError) {
    // A worker that had to spill is indexing more than its budget holds: its last records
    // are spilled too, so that the merge's memory stays what the budget allows.
    if !records.isEmpty && (!runs.isEmpty || !MemoryRun.canHold(records)) { try flush() }
    if !records.isEmpty {
      let start = Timings.now()
      let wordTable = records.remapWordsToRanks()
      // The packed records stay in their buckets: the merge sorts each one as it reaches it.
      // The overflow stream is sorted as the run takes it.
      memoryRun = MemoryRun(records, wordTable: wordTable)
      otherTimings.invert += Timings.now() - start
    }
    // The record buffers are the bulk of the memory budget: free them for the merge (a
    // run in memory keeps the buckets it took over).
    records = RecordSink()
    bucketBuffer = RecordBuffer()
    scratchPacked = RecordBuffer()
    scratchPlaces = RecordBuffer()
    if case .spill(let file) = text { try file.close() }
    try paragraphTable.close()
  }

  /// Sorts the buffered records and writes them as the next run.
  private func flush() throws(IndexError) {
    let start = Timings.now()
    let wordTable = records.remapWordsToRanks()
    records.sortOverflow(scratch: scratchPlaces)
    let name = "s\(worker)-\(runs.count)"
    let docs = try SpillFile(path: scratch + "/\(name).docs")
    let positions = try SpillFile(path: scratch + "/\(name).positions")
    var encoder = ScratchRunEncoder()
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
    runs.append(Run(name: name))
    records.removeAll()
    records.runBase = UInt64(paragraphCount)
    otherTimings.write += Timings.now() - encoded
  }
}
