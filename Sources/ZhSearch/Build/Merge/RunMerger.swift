import CICUShim
import Dispatch
import Synchronization

/// Merges the segments of a build into the final `terms`, `docs` and `positions` files.
///
/// Segments hold disjoint, ascending ranges of paragraphs, so a term's final posting list is
/// its lists in segment order (local paragraph ids moved by each worker's base), decoded
/// from the segments' varints (or read from the records of a worker that kept them in
/// memory, `MemoryRun`, each bucket of them sorted as the merge reaches it and encoded
/// while in cache) and written in the final bit codes (see `IndexFormat`), with
/// skip entries for long lists. Han terms come in key order, then words in byte order, which
/// gives words their final ranks; after the last term of a frequent character comes that
/// character's own list, summed from its terms' postings on the way.
struct RunMerger {
  /// One segment to merge: its name in the scratch folder (or, for a worker that never
  /// spilled, its records in memory), and the global id of its worker's local paragraph 0.
  struct Input {
    var name: String
    var paragraphBase: UInt64
    var memory: MemoryRun? = nil
  }

  /// What the merge wrote.
  struct Output {
    var terms: (bytes: Int, tableChecksum: UInt32)
    var docs: (bytes: Int, tableChecksum: UInt32)
    var positions: (bytes: Int, tableChecksum: UInt32)
    var termCount: Int
    var postings: Int
    var occurrences: Int
    /// Seconds spent sorting the buckets of segments in memory, summed over the threads.
    var sortSeconds: Double
  }

  /// The four mapped files of a segment written to the scratch folder.
  private struct SegmentFiles {
    let terms: MappedFile
    let docs: MappedFile
    let positions: MappedFile
    let words: MappedFile
  }

  /// A merge thread's memory for a segment in memory: the sorted records of the bucket its
  /// cursor is in, and that bucket's terms (see `RecordSink.listTerms`), reused from chunk to
  /// chunk.
  private final class BucketBuffer {
    let records: RecordBuffer
    let keys = RecordBuffer()
    let ends = RecordBuffer()

    /// Room for the largest bucket of `memory`.
    init(_ memory: MemoryRun) { records = RecordBuffer(capacity: memory.buckets.largestBucket) }
  }

  /// A merge thread's memory for sorting the buckets of segments in memory: a buffer for each
  /// input, and the first pass's records and counters, shared.
  private final class BucketScratch {
    let buffers: [BucketBuffer?]
    let temp = RecordBuffer()
    let counts: UnsafeMutablePointer<Int>
    /// Seconds spent sorting.
    var sortSeconds = 0.0

    init(_ inputs: [Input]) {
      buffers = inputs.map { $0.memory.map(BucketBuffer.init) }
      let largest = inputs.reduce(0) { max($0, $1.memory?.buckets.largestBucket ?? 0) }
      temp.reserveCapacity(largest)
      temp.resize(to: largest)
      counts = .allocate(capacity: inputs.reduce(1) { max($0, $1.memory?.buckets.countersNeeded ?? 0) })
    }

    deinit { counts.deallocate() }
  }

  /// A read position in one segment, written or in memory.
  private final class Cursor {
    /// Exactly one of these is set.
    let files: SegmentFiles?
    let memory: MemoryRun?
    let base: UInt64
    /// A written segment's terms.
    let count: Int
    /// A segment in memory's overflow records and its first paragraph's worker-local id,
    /// read through pointers that stay valid while `memory` lives (empty for a written
    /// segment).
    let overflowRecords: UnsafeBufferPointer<UInt64>
    let runBase: UInt64
    /// The segment's words, as in a `.words` file (`WordVocabulary.table(inOrderOf:)`), and how many.
    let wordTable: UnsafeRawBufferPointer
    let wordCount: Int
    /// A written segment's term table, docs and positions, mapped (while `files` lives; empty
    /// for a segment in memory): read for every term through these rather than through
    /// `files`, each copy of which retained and released its four files.
    let termBytes: UnsafeRawBufferPointer
    let docBytes: UnsafeRawBufferPointer
    let positionBytes: UnsafeRawBufferPointer
    /// The docs file as errors name it (a written segment's).
    let docsName: String
    // Read on every step of the merge loop: no run-time exclusivity checks (one thread
    // owns each cursor).
    /// A written segment's current term.
    @exclusivity(unchecked) var index = 0
    @exclusivity(unchecked) var docsOffset = 0
    @exclusivity(unchecked) var positionsOffset = 0

    /// A segment in memory's sorted bucket (the one it is in), that bucket's term it is at,
    /// and the overflow term it is at or before.
    private let buffer: BucketBuffer?
    private let scratch: BucketScratch?
    @exclusivity(unchecked) private var bucket = -1
    @exclusivity(unchecked) private var bucketTerm = 0
    @exclusivity(unchecked) private var overflowTerm = 0
    /// Whether the current term has records in the bucket, and in the overflow stream.
    @exclusivity(unchecked) private var inBucket = false
    @exclusivity(unchecked) private var inOverflow = false
    /// The sorted records of the current bucket (a segment in memory's), and its terms (see
    /// `RecordSink.listTerms`), in its buffer.
    @exclusivity(unchecked) private(set) var packedRecords = UnsafeBufferPointer<UInt64>(start: nil, count: 0)
    @exclusivity(unchecked) private var termKeys = UnsafeBufferPointer<UInt64>(start: nil, count: 0)
    @exclusivity(unchecked) private var termEnds = UnsafeBufferPointer<UInt64>(start: nil, count: 0)
    /// A segment in memory's bucket sizes and overflow terms (`MemoryRun`): read for
    /// every term, through pointers (reading them through the segment object retained it).
    private let bucketSizes: UnsafeBufferPointer<Int>
    private let overflowKeys: UnsafeBufferPointer<UInt64>
    private let overflowEnds: UnsafeBufferPointer<UInt64>

    /// Terms at or above this key are left to another cursor.
    @exclusivity(unchecked) var limit = UInt64.max
    /// Bytes read past in a file before their pages are given back.
    let releaseEvery: Int

    /// The current term's key (`UInt64.max` past the last term of a segment in memory),
    /// counts and (in memory) records, read when the cursor moves.
    @exclusivity(unchecked) private(set) var key: UInt64 = .max
    @exclusivity(unchecked) private(set) var documentFrequency = 0
    @exclusivity(unchecked) private(set) var occurrences = 0
    @exclusivity(unchecked) private(set) var places = PlaceIterator(0..<0, 0..<0, runBase: 0)

    /// A cursor on `input`, before its first term until `start(at:)`; a segment in memory's
    /// is given the merge thread's `scratch` (with a buffer for input `slot`).
    init(scratch: String, input: Input, slot: Int = 0, buckets: BucketScratch? = nil, releaseEvery: Int = 8 << 20)
      throws(IndexError)
    {
      self.releaseEvery = releaseEvery
      base = input.paragraphBase
      if let memory = input.memory {
        guard let buckets, let buffer = buckets.buffers[slot] else {
          throw .io(path: scratch, reason: "no memory to sort a segment's buckets in")
        }
        self.memory = memory
        self.buffer = buffer
        self.scratch = buckets
        files = nil
        count = 0
        (overflowRecords, runBase) = (memory.overflowPlaces.records, memory.runBase)
        (bucketSizes, overflowKeys, overflowEnds) = (memory.bucketSizes, memory.overflowKeys, memory.overflowEnds)
        wordTable = UnsafeRawBufferPointer(memory.wordTable)
        wordCount = Int(UInt32(littleEndian: wordTable.loadUnaligned(as: UInt32.self)))
        (termBytes, docBytes, positionBytes) = (UnsafeRawBufferPointer(start: nil, count: 0), UnsafeRawBufferPointer(start: nil, count: 0), UnsafeRawBufferPointer(start: nil, count: 0))
        docsName = "segment in memory"
        return
      }
      memory = nil
      buffer = nil
      self.scratch = nil
      (overflowRecords, runBase) = (UnsafeBufferPointer(start: nil, count: 0), 0)
      (bucketSizes, overflowKeys, overflowEnds) = (UnsafeBufferPointer(start: nil, count: 0), UnsafeBufferPointer(start: nil, count: 0), UnsafeBufferPointer(start: nil, count: 0))
      let prefix = scratch + "/" + input.name
      let words = try MappedFile(path: prefix + ".words")
      let docs = try MappedFile(path: prefix + ".docs")
      let terms = try MappedFile(path: prefix + ".terms")
      let positions = try MappedFile(path: prefix + ".positions")
      files = SegmentFiles(terms: terms, docs: docs, positions: positions, words: words)
      (termBytes, docBytes, positionBytes) = (terms.bytes, docs.bytes, positions.bytes)
      docsName = "segment " + docs.path
      wordTable = words.bytes
      wordCount = Int(UInt32(littleEndian: words.bytes.loadUnaligned(as: UInt32.self)))
      count = terms.bytes.count / 32
      load()
    }

    /// Reads the current term's key and counts.
    private func load() {
      if memory != nil {
        loadInMemory()
        return
      }
      guard index < count else { return }
      key = key(at: index)
      documentFrequency = Int(field(16, UInt32.self))
      occurrences = Int(field(20, UInt32.self))
    }

    /// Finds a segment in memory's next term: the smaller key of the bucket's next term
    /// (sorting the next bucket that has records when this one has no more, unless it starts
    /// at the limit or above) and the next overflow term.
    private func loadInMemory() {
      var packedKey = UInt64.max
      while bucket < RecordBuckets.bucketCount {
        if bucket >= 0 && bucketTerm < termKeys.count {
          packedKey = RecordSink.key(ofPacked: termKeys[bucketTerm] << 33)
          break
        }
        var next = bucket + 1
        while next < RecordBuckets.bucketCount && bucketSizes[next] == 0 { next += 1 }
        if next < RecordBuckets.bucketCount && RecordSink.firstKey(ofBucket: next) >= limit { next = RecordBuckets.bucketCount }
        bucket = next
        bucketTerm = 0
        if next < RecordBuckets.bucketCount { sortBucket(next) }
      }
      let overflowKey = overflowTerm < overflowKeys.count ? overflowKeys[overflowTerm] : UInt64.max
      key = min(packedKey, overflowKey)
      inBucket = packedKey == key && key != .max
      inOverflow = overflowKey == key && key != .max
      let packed = inBucket ? MemoryRun.term(bucketTerm, of: termEnds).range : 0..<0
      var paragraphs = inBucket ? MemoryRun.term(bucketTerm, of: termEnds).paragraphs : 0
      var overflow = 0..<0
      if inOverflow {
        (overflow, paragraphs) = MemoryRun.term(overflowTerm, of: overflowEnds)
      }
      if inBucket && inOverflow {
        // (A bigram also found at positions from 4096 on: its paragraphs counted over both.)
        paragraphs = Int(MemoryRun.documentFrequency(packedRecords, packed, overflowRecords, overflow, runBase: runBase))
      }
      documentFrequency = paragraphs
      occurrences = packed.count + overflow.count
      places = PlaceIterator(packed, overflow, runBase: runBase)
    }

    /// Sorts bucket `bucket` of the segment in memory into this cursor's buffer and lists its
    /// terms.
    @inline(never)
    private func sortBucket(_ bucket: Int) {
      guard let memory, let buffer, let scratch else { return }
      let start = Timings.now()
      defer { scratch.sortSeconds += Timings.now() - start }
      let size = bucketSizes[bucket]
      buffer.records.removeAll()
      buffer.records.reserveCapacity(size)
      buffer.records.resize(to: size)
      memory.buckets.sort(bucket: bucket, into: buffer.records.base, temp: scratch.temp.base, counts: scratch.counts)
      packedRecords = buffer.records.records
      buffer.keys.removeAll()
      buffer.ends.removeAll()
      RecordSink.listTerms(packedRecords, keys: buffer.keys, ends: buffer.ends)
      (termKeys, termEnds) = (buffer.keys.records, buffer.ends.records)
    }

    var isDone: Bool { key >= limit || (memory == nil && index >= count) }

    /// About the terms left before the limit, to reserve room for them (a segment in memory's
    /// buckets are not listed yet: a term for every 8 records is more than Chinese text has).
    var termsLeft: Int {
      guard memory != nil else { return count - index }
      let first = max(0, bucket)
      let end = max(first, min(RecordSink.bucket(ofKey: limit), RecordBuckets.bucketCount))
      let records = (first..<end).reduce(0) { $0 + bucketSizes[$1] }
      return records / 8 + overflowKeys.count - overflowTerm
    }

    /// Where a chunk starts in a written segment: the first term whose key is not below the
    /// chunk's first key, and where that term's postings start.
    struct TermStart {
      var index = 0
      var docsOffset = 0
      var positionsOffset = 0
    }

    /// Where each of `keys` (ascending) starts in this written segment, found in one pass
    /// over its term table (summing the lengths of the terms before each chunk, chunk by
    /// chunk, read the table again for every one: a twentieth of a build that spilled).
    func termStarts(at keys: [UInt64]) -> [TermStart] {
      var starts: [TermStart] = []
      var current = TermStart()
      for key in keys {
        while current.index < count && self.key(at: current.index) < key {
          let entry = current.index &* 32
          current.docsOffset += Int(UInt32(littleEndian: termBytes.loadUnaligned(fromByteOffset: entry + 8, as: UInt32.self)))
          current.positionsOffset += Int(UInt32(littleEndian: termBytes.loadUnaligned(fromByteOffset: entry + 12, as: UInt32.self)))
          current.index += 1
        }
        starts.append(current)
      }
      return starts
    }

    /// Moves to the first term whose key is not below `key`, below `limit` (set the limit
    /// first): in a written segment, the term `written` (from `termStarts(at:)`).
    func start(at key: UInt64, written: TermStart) {
      if let memory {
        bucket = RecordSink.bucket(ofKey: key) - 1
        bucketTerm = 0
        termKeys = UnsafeBufferPointer(start: nil, count: 0)
        overflowTerm = memory.firstOverflowTerm(from: key)
        loadInMemory()
        // A key inside the first bucket (not at its start): skip the terms before it.
        while self.key < key && inBucket { advance() }
        return
      }
      (index, docsOffset, positionsOffset) = (written.index, written.docsOffset, written.positionsOffset)
      // The terms before the chunk are not read: let them go (a cursor with nothing in its
      // chunk never advances to give them back).
      files?.terms.release(before: index * 32)
      releasedTerms = index * 32
      load()
    }

    /// How many paragraphs the terms of character `character` from the current one on hold
    /// in all (each term's own count, summed), up to the limit: the current term must be
    /// the character's first, or later.
    func postings(ofCharacter character: UInt64) -> Int {
      guard !isDone else { return 0 }
      if memory != nil {
        // The character's terms are in this bucket (they share its top bits) and perhaps in
        // the overflow stream: both lists are walked in key order, a key in both counted once
        // (its paragraphs over both).
        var sum = 0
        var (t, o) = (bucketTerm, overflowTerm)
        let bucketKeys = bucket >= 0 && bucket < RecordBuckets.bucketCount ? termKeys.count : 0
        while true {
          let packedKey = t < bucketKeys ? RecordSink.key(ofPacked: termKeys[t] << 33) : UInt64.max
          let overflowKey = o < overflowKeys.count ? overflowKeys[o] : UInt64.max
          let key = min(packedKey, overflowKey)
          guard key < limit, key >> 21 == character, key & TermKey.wordFlag == 0 else { return sum }
          let (packed, packedParagraphs) = packedKey == key ? MemoryRun.term(t, of: termEnds) : (0..<0, 0)
          let (overflow, overflowParagraphs) = overflowKey == key ? MemoryRun.term(o, of: overflowEnds) : (0..<0, 0)
          if packedKey == key && overflowKey == key {
            sum += Int(MemoryRun.documentFrequency(packedRecords, packed, overflowRecords, overflow, runBase: runBase))
          } else {
            sum += packedParagraphs + overflowParagraphs
          }
          if packedKey == key { t += 1 }
          if overflowKey == key { o += 1 }
        }
      }
      var sum = 0
      var i = index
      while i < count {
        let key = key(at: i)
        guard key < limit, key >> 21 == character, key & TermKey.wordFlag == 0 else { break }
        sum += documentFrequency(at: i)
        i += 1
      }
      return sum
    }

    private func field<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
      T(littleEndian: termBytes.loadUnaligned(fromByteOffset: index * 32 + offset, as: T.self))
    }

    /// Gives back the pages of a written segment's term table read out of order (by
    /// `chunkKeys`).
    func releaseTermTable() {
      files?.terms.release(before: count * 32)
    }

    /// Term `i`'s key (a written segment's).
    func key(at i: Int) -> UInt64 {
      UInt64(littleEndian: termBytes.loadUnaligned(fromByteOffset: i * 32, as: UInt64.self))
    }

    /// How many paragraphs term `i` is found in (in this written segment).
    func documentFrequency(at i: Int) -> Int {
      Int(UInt32(littleEndian: termBytes.loadUnaligned(fromByteOffset: i * 32 + 16, as: UInt32.self)))
    }

    /// About how much work term `i` of a written segment is (to cut the merge into chunks):
    /// its bytes.
    func weight(at i: Int) -> Int {
      let bytes = termBytes
      return Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 32 + 8, as: UInt32.self)))
        + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 32 + 12, as: UInt32.self)))
    }

    /// The current term's positions, varints (a written segment's).
    var placeBytes: UnsafeRawBufferPointer {
      UnsafeRawBufferPointer(rebasing: positionBytes[positionsOffset..<positionsOffset + positionsLength])
    }
    var docsLength: Int { Int(field(8, UInt32.self)) }
    var positionsLength: Int { Int(field(12, UInt32.self)) }

    /// The folded bytes of the current word (the current key must be a word's).
    var word: UnsafeRawBufferPointer {
      let rank = Int(key & ~TermKey.wordFlag)
      let table = wordTable
      func offset(_ slot: Int) -> Int {
        Int(UInt32(littleEndian: table.loadUnaligned(fromByteOffset: 4 + slot * 4, as: UInt32.self)))
      }
      let base = 4 + (wordCount + 1) * 4
      return UnsafeRawBufferPointer(rebasing: table[base + offset(rank)..<base + offset(rank + 1)])
    }

    func advance() {
      defer { load() }
      if memory != nil {
        if inBucket { bucketTerm += 1 }
        if inOverflow { overflowTerm += 1 }
        return
      }
      docsOffset += docsLength
      positionsOffset += positionsLength
      index += 1
      // Postings are read once, in order: let the pages behind go.
      if docsOffset - releasedDocs > releaseEvery || positionsOffset - releasedPositions > releaseEvery
        || index * 32 - releasedTerms > releaseEvery
      {
        releasePages()
      }
    }

    /// Gives back the pages of a written segment read past.
    @inline(never)
    private func releasePages() {
      guard let files else { return }
      files.docs.release(before: docsOffset)
      files.positions.release(before: positionsOffset)
      files.terms.release(before: index * 32)
      releasedDocs = docsOffset
      releasedPositions = positionsOffset
      releasedTerms = index * 32
    }

    private var releasedDocs = 0
    private var releasedTerms = 0
    private var releasedPositions = 0
  }

  /// The cursors of one merge thread, reached by index without retaining them: a retain and
  /// a release around each use, for every term and segment, took about 4% of a build's CPU.
  /// The array it is made from keeps the cursors alive.
  private struct CursorList {
    private let cursors: [Cursor]
    private let references: [Unmanaged<Cursor>]

    init(_ cursors: [Cursor]) {
      self.cursors = cursors
      references = cursors.map { Unmanaged.passUnretained($0) }
    }

    var indices: Range<Int> { references.indices }

    @inline(__always)
    private func with<R>(_ i: Int, _ body: (Cursor) -> R) -> R { references[i]._withUnsafeGuaranteedRef(body) }

    /// Cursor `i` itself (retained: for the rarer paths).
    func cursor(_ i: Int) -> Cursor { cursors[i] }

    func isDone(_ i: Int) -> Bool { with(i) { $0.isDone } }
    func key(_ i: Int) -> UInt64 { with(i) { $0.key } }
    func advance(_ i: Int) { with(i) { $0.advance() } }
    /// The current term's document frequency and occurrences in cursor `i`'s segment.
    func counts(_ i: Int) -> (Int, Int) { with(i) { ($0.documentFrequency, $0.occurrences) } }
    /// Appends the current word's folded bytes to `bytes` (the current key must be a word's).
    func appendWord(_ i: Int, to bytes: inout [UInt8]) { with(i) { bytes.append(contentsOf: $0.word) } }

    /// The postings of character `character`'s terms in cursor `i`'s segment (see
    /// `Cursor.postings(ofCharacter:)`).
    func postings(ofCharacter character: UInt64, in i: Int) -> Int { with(i) { $0.postings(ofCharacter: character) } }

    /// Whether cursor `i`'s current term sorts before cursor `j`'s.
    func precedes(_ i: Int, _ j: Int) -> Bool {
      with(i) { a in with(j) { b in RunMerger.precedes(a, b) } }
    }

    /// The current term's records in a segment in memory, and its paragraph 0, when they
    /// are all packed (the common case); nil otherwise.
    func packedRecords(_ i: Int) -> (UnsafeBufferPointer<UInt64>, Range<Int>, UInt64)? {
      with(i) { cursor in
        guard cursor.memory != nil, cursor.places.isPackedOnly else { return nil }
        return (cursor.packedRecords, cursor.places.packedRange, cursor.base + cursor.runBase)
      }
    }
  }

  /// One merged key range: its dictionary entries, in order, and totals.
  fileprivate struct Part: Sendable {
    var entries: [(key: UInt64, documentFrequency: Int, occurrences: Int, docsLength: Int, positionsLength: Int)] = []
    /// The words' bytes, one after another, and where each one ends among them.
    var wordBytes: [UInt8] = []
    var wordEnds: [Int] = []
    var postings = 0
    var occurrences = 0
  }

  /// Merges `inputs` (in paragraph order) from `scratch` into the files of `commit`.
  ///
  /// The key range is cut into chunks of Han terms of about equal work and one of the words
  /// (`chunkKeys`), which the merge threads take as each comes free (the first, then the
  /// words, then the others in key order): the first chunk goes straight to the final
  /// files, the others to spill files, kept in memory up to a share of the budget. A
  /// finished chunk is appended to the postings files, and its terms added to the
  /// dictionary, as soon as every chunk before it is (`ChunkWriter`, on the thread that
  /// finished the last of them), so that little is left to write when the
  /// last chunk is done. (With one half of the range each, the threads finished tens of
  /// milliseconds apart: a term's work is not quite its postings, the thread that
  /// concatenates the paragraph texts takes turns with them, and the machine's two cores do
  /// not always run at the same speed; appending the upper half after the merge took
  /// another 20–30 ms.) The written segments are mapped, and each cursor gives back the
  /// pages it has read past often enough that all of them together keep about a quarter of
  /// `memoryBudget` resident (a worker's records kept in memory are there only when it wrote
  /// no segment, so they stay within its share of the budget).
  static func merge(
    _ inputs: [Input], scratch: String, paragraphCount: Int, positionLowBits: Int, memoryBudget: Int,
    lengths: ParagraphLengths, chunks: Int = 64, minimumChunkWork: Int = 1 << 17, flushBytes: Int = 1 << 20,
    into commit: IndexCommit
  ) throws(IndexError) -> Output {
    let threads = 2
    let releaseEvery = max(1 << 18, memoryBudget / 4 / max(1, 2 * threads * inputs.count))
    let docsFile = try IndexFileWriter(path: commit.path(of: .docs), kind: .docs)
    let positionsFile = try IndexFileWriter(path: commit.path(of: .positions), kind: .positions)
    let pivots = try chunkKeys(inputs, scratch: scratch, chunks: chunks, minimumWork: minimumChunkWork)
    let chunkCount = pivots.count + 1
    let termStarts = try termStarts(inputs, scratch: scratch, at: [0] + pivots)
    // A later chunk's postings stay in the buffers they were encoded into, handed to the
    // writer whole, while the finished chunks waiting there hold no more than a sixteenth
    // of the budget; past that, and for a chunk too large for its buffers, they go through
    // spill files, kept in memory up to another sixteenth in all. (A worker that spilled
    // has freed its buffers by now, and one that kept its records in memory holds them as
    // they were, with no sorted copy.)
    let buffers = OutputBuffers(lendingLimit: memoryBudget / 16)
    let spillLimit = memoryBudget / 16 / max(1, 2 * (chunkCount - 1))
    let writer = ChunkWriter(docs: docsFile, positions: positionsFile, chunks: chunkCount, buffers: buffers)
    // The words' chunk, the last, is taken second: its terms cost more than their postings
    // say (their records go the slower way, and words compare by their bytes), and it made
    // the last chunk end well after the others.
    let order = chunkCount > 1 ? [0, chunkCount - 1] + Array(1..<(chunkCount - 1)) : [0]
    let nextChunk = ChunkCounter()
    let sortNanoseconds = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: min(threads, chunkCount)) { _ in
      // Per-paragraph counters for the frequent characters, and memory to sort the buckets
      // of segments in memory in, reused from chunk to chunk.
      let tally = Tally(paragraphs: paragraphCount)
      let bucketScratch = BucketScratch(inputs)
      defer { sortNanoseconds.add(Int(bucketScratch.sortSeconds * 1e9), ordering: .relaxed) }
      var (docs, positions) = (buffers.take(), buffers.take())
      defer {
        buffers.give(docs)
        buffers.give(positions)
      }
      while let task = nextChunk.take(below: chunkCount) {
        let chunk = order[task]
        do throws(IndexError) {
          var cursors: [Cursor] = []
          for (slot, input) in inputs.enumerated() {
            let cursor = try Cursor(scratch: scratch, input: input, slot: slot, buckets: bucketScratch, releaseEvery: releaseEvery)
            if chunk < pivots.count { cursor.limit = pivots[chunk] }
            cursor.start(at: chunk > 0 ? pivots[chunk - 1] : 0, written: input.memory != nil ? .init() : termStarts[slot][chunk])
            cursors.append(cursor)
          }
          if chunk == 0 {
            // The first chunk writes the postings files itself (the writer appends the others
            // only after it is done).
            let part = try mergeRange(
              cursors, paragraphCount: paragraphCount, positionLowBits: positionLowBits, lengths: lengths, tally: tally,
              docs: &docs, positions: &positions, flushBytes: flushBytes,
              flushDocs: { bytes throws(IndexError) in try writer.docs.write(bytes) },
              flushPositions: { bytes throws(IndexError) in try writer.positions.write(bytes) })
            try writer.docs.write(docs.bytes)
            try writer.positions.write(positions.bytes)
            docs.removeAll()
            positions.removeAll()
            try writer.finished(0, part, output: nil)
          } else {
            let docsFile = try SpillFile(path: scratch + "/chunk\(chunk).docs", memoryLimit: spillLimit)
            let positionsFile = try SpillFile(path: scratch + "/chunk\(chunk).positions", memoryLimit: spillLimit)
            let output = ChunkOutput(chunk, writer: writer, docs: docsFile, positions: positionsFile)
            let part = try mergeRange(
              cursors, paragraphCount: paragraphCount, positionLowBits: positionLowBits, lengths: lengths, tally: tally,
              docs: &docs, positions: &positions, flushBytes: flushBytes,
              flushDocs: { bytes throws(IndexError) in try output.write(bytes, positions: false) },
              flushPositions: { bytes throws(IndexError) in try output.write(bytes, positions: true) })
            if output.direct == true {
              try writer.docs.write(docs.bytes)
              try writer.positions.write(positions.bytes)
              docs.removeAll()
              positions.removeAll()
              try writer.finished(chunk, part, output: nil, claimed: true)
            } else if output.direct == nil && buffers.lend(docs.count + positions.count) {
              // The buffers themselves go to the writer, which gives them back once written
              // (or after a failure): fresh ones are taken first, so that the thread gives
              // back only its own if `finished` throws.
              let lent = (docs: docs, positions: positions)
              (docs, positions) = (buffers.take(), buffers.take())
              try writer.finished(chunk, part, output: .buffers(docs: lent.docs, positions: lent.positions))
            } else {
              try docsFile.append(docs.bytes)
              try positionsFile.append(positions.bytes)
              docs.removeAll()
              positions.removeAll()
              try docsFile.close()
              try positionsFile.close()
              try writer.finished(chunk, part, output: .files(docs: docsFile, positions: positionsFile))
            }
          }
        } catch {
          // The other threads take the chunks left, or stop at theirs.
          writer.fail(error)
          break
        }
      }
    }
    let (dictionary, totals) = try writer.result()
    // The postings files are finished (checksum tables, and fsyncs: milliseconds of waiting
    // on the disk each) on threads of their own while the dictionary is written: the three
    // fsyncs wait at once. (One after the other, the two postings files' took 9 ms after
    // the merge on news + speeches, longer than writing the dictionary and its fsync.)
    let finished = ResultSlots<(bytes: Int, tableChecksum: UInt32), IndexError>(count: 2)
    let finishing = DispatchGroup()
    nonisolated(unsafe) let postingsFiles = [docsFile, positionsFile]
    for (slot, file) in postingsFiles.enumerated() {
      nonisolated(unsafe) let file = file
      DispatchQueue.global().async(group: finishing) {
        finished.store(slot, Result { () throws(IndexError) in try file.finish() })
      }
    }
    defer { finishing.wait() }
    let termsFile = try IndexFileWriter(path: commit.path(of: .terms), kind: .terms)
    try dictionary.writePayload { bytes throws(IndexError) in try termsFile.write(bytes) }
    let terms = try termsFile.finish()
    finishing.wait()
    let results = finished.all
    guard let docsResult = results[0], let positionsResult = results[1] else {
      throw .io(path: docsFile.path, reason: "the postings files were not finished")
    }
    let (docs, positions) = (try docsResult.get(), try positionsResult.get())
    return Output(
      terms: terms, docs: docs, positions: positions, termCount: dictionary.count,
      postings: totals.postings, occurrences: totals.occurrences,
      sortSeconds: Double(sortNanoseconds.load(ordering: .relaxed)) / 1e9)
  }

  /// Appends the merge's finished chunks to the postings files and their terms to the
  /// dictionary, in key order, as soon as each chunk and every one before it is done: the
  /// thread that finishes the chunk the writing waits for writes it and every finished one
  /// after it, while the other threads merge on.
  private final class ChunkWriter: @unchecked Sendable {
    /// A finished later chunk's postings: the buffers they were encoded into, or spill files.
    enum Postings {
      case buffers(docs: RawByteBuffer, positions: RawByteBuffer)
      case files(docs: SpillFile, positions: SpillFile)
    }

    /// The final postings files: written by the first chunk's merge, then by one writing
    /// thread at a time (the one appending finished chunks, or a chunk that claimed them).
    let docs: IndexFileWriter
    let positions: IndexFileWriter
    private let buffers: OutputBuffers
    private let lock = Lock()
    private var waiting: [Int: (part: Part, output: Postings?)] = [:]
    /// The next chunk to write, and whether a thread is writing.
    private var next = 0
    private var writing = false
    private let chunks: Int
    private var failure: IndexError? = nil
    private var dictionary = TermDictionaryWriter()
    private var totals = (postings: 0, occurrences: 0)

    init(docs: IndexFileWriter, positions: IndexFileWriter, chunks: Int, buffers: OutputBuffers) {
      (self.docs, self.positions, self.chunks, self.buffers) = (docs, positions, chunks, buffers)
    }

    deinit {
      // (Chunks left waiting after a failure.)
      for (_, item) in waiting {
        if case .buffers(let docs, let positions)? = item.output { buffers.giveBack(docs, positions) }
      }
    }

    /// Lets chunk `chunk` (not the first) write its postings straight to the final files:
    /// true when every chunk before it is written and no thread is writing. Until the chunk
    /// is `finished`, no other thread writes (their chunks wait).
    func claim(_ chunk: Int) -> Bool {
      lock.withLock {
        guard chunk > 0, next == chunk, !writing, failure == nil else { return false }
        writing = true
        return true
      }
    }

    /// Hands over finished chunk `chunk`: its terms and, but for the first and a chunk that
    /// `claimed` the files (and wrote its postings itself), its postings.
    func finished(_ chunk: Int, _ part: Part, output: Postings?, claimed: Bool = false) throws(IndexError) {
      let writes: Bool = lock.withLock {
        waiting[chunk] = (part, output)
        // (A chunk that claimed the files is the one the writing waits for, and writes on.)
        if claimed { return failure == nil }
        guard !writing, failure == nil else { return false }
        writing = true
        return true
      }
      guard writes else { return }
      while true {
        let item: (part: Part, output: Postings?)? = lock.withLock {
          guard failure == nil, let item = waiting.removeValue(forKey: next) else {
            writing = false
            return nil
          }
          next += 1
          return item
        }
        guard let (part, output) = item else { return }
        do throws(IndexError) {
          switch output {
          case .buffers(let docsBuffer, let positionsBuffer):
            defer { buffers.giveBack(docsBuffer, positionsBuffer) }
            try docs.write(docsBuffer.bytes)
            try positions.write(positionsBuffer.bytes)
          case .files(let docsFile, let positionsFile):
            try docsFile.forEachChunk { bytes throws(IndexError) in try docs.write(bytes) }
            try positionsFile.forEachChunk { bytes throws(IndexError) in try positions.write(bytes) }
            docsFile.discard()
            positionsFile.discard()
          case nil:
            break
          }
        } catch {
          fail(error)
          throw error
        }
        for entry in part.entries {
          dictionary.add(
            key: entry.key, documentFrequency: entry.documentFrequency, occurrences: entry.occurrences,
            docsLength: entry.docsLength, positionsLength: entry.positionsLength)
        }
        part.wordBytes.withUnsafeBytes { dictionary.addWords($0, ends: part.wordEnds) }
        totals.postings += part.postings
        totals.occurrences += part.occurrences
      }
    }

    /// Records a failure: nothing more is written.
    func fail(_ error: IndexError) {
      lock.withLock { if failure == nil { failure = error } }
    }

    /// The dictionary and totals of every chunk, once all were written, or the first failure.
    func result() throws(IndexError) -> (TermDictionaryWriter, (postings: Int, occurrences: Int)) {
      let (failure, next, dictionary, totals) = lock.withLock { (self.failure, self.next, self.dictionary, self.totals) }
      if let failure { throw failure }
      guard next == chunks else { throw .io(path: docs.path, reason: "a part of the merge did not finish") }
      return (dictionary, totals)
    }
  }

  /// Where a later chunk's postings go as its buffers fill: to spill files while a chunk
  /// before it is unwritten, and straight to the final files once every chunk before it is
  /// (`ChunkWriter.claim`; what it spilled goes first), from then on. Chunks are taken in
  /// order, so on a large corpus, whose chunks outgrow their buffers many times, most of
  /// their postings are written once instead of three times (spilled, read back, written).
  private final class ChunkOutput {
    private let chunk: Int
    private let writer: ChunkWriter
    private let docs: SpillFile
    private let positions: SpillFile
    /// Whether the chunk writes the final files itself (nil until its first flush).
    private(set) var direct: Bool? = nil

    init(_ chunk: Int, writer: ChunkWriter, docs: SpillFile, positions: SpillFile) {
      (self.chunk, self.writer, self.docs, self.positions) = (chunk, writer, docs, positions)
    }

    /// Writes the next bytes of the chunk's doc codes or positions.
    func write(_ bytes: UnsafeRawBufferPointer, positions isPositions: Bool) throws(IndexError) {
      if direct != true && writer.claim(chunk) {
        if direct == false {
          try docs.close()
          try positions.close()
          try docs.forEachChunk { bytes throws(IndexError) in try writer.docs.write(bytes) }
          try positions.forEachChunk { bytes throws(IndexError) in try writer.positions.write(bytes) }
          docs.discard()
          positions.discard()
        }
        direct = true
      }
      if direct == true {
        try (isPositions ? writer.positions : writer.docs).write(bytes)
      } else {
        direct = false
        try (isPositions ? positions : docs).append(bytes)
      }
    }
  }

  /// The merge threads' buffers for encoded postings, reused from chunk to chunk: a finished
  /// chunk's are lent to the writer and come back once written, so the merge writes into
  /// memory it has touched before (fresh pages cost a fault each, and the copy into spill
  /// files about 6% of the build's time on news + speeches).
  private final class OutputBuffers: @unchecked Sendable {
    /// Bytes each buffer starts with: a chunk whose postings outgrow them goes through
    /// spill files.
    static let capacity = 1 << 20
    private let lock = Lock()
    private var free: [RawByteBuffer] = []
    /// Bytes of the buffers lent to the writer, and how many it may hold at once.
    private var lent = 0
    private let lendingLimit: Int

    init(lendingLimit: Int) { self.lendingLimit = lendingLimit }

    deinit {
      for var buffer in free { buffer.deallocate() }
    }

    /// An empty buffer.
    func take() -> RawByteBuffer {
      lock.withLock { free.popLast() } ?? RawByteBuffer(capacity: Self.capacity)
    }

    /// Takes back a buffer that was not lent.
    func give(_ buffer: RawByteBuffer) {
      var buffer = buffer
      buffer.removeAll()
      lock.withLock { free.append(buffer) }
    }

    /// Whether `bytes` more may be lent to the writer; if so they count as lent.
    func lend(_ bytes: Int) -> Bool {
      lock.withLock {
        guard lent + bytes <= lendingLimit else { return false }
        lent += bytes
        return true
      }
    }

    /// Takes back two buffers lent to the writer.
    func giveBack(_ docs: RawByteBuffer, _ positions: RawByteBuffer) {
      lock.withLock { lent -= docs.count + positions.count }
      give(docs)
      give(positions)
    }
  }

  /// Hands out the chunks of a merge, in order, to the threads that ask.
  private final class ChunkCounter: @unchecked Sendable {
    private let lock = Lock()
    private var next = 0

    /// The next chunk, or nil once all of the `count` have been taken.
    func take(below count: Int) -> Int? {
      lock.withLock {
        guard next < count else { return nil }
        next += 1
        return next - 1
      }
    }
  }

  /// Where each chunk, from each of `keys`, starts in each written segment of `inputs` (none
  /// for a segment in memory).
  private static func termStarts(_ inputs: [Input], scratch: String, at keys: [UInt64]) throws(IndexError) -> [[Cursor.TermStart]] {
    var starts: [[Cursor.TermStart]] = []
    for input in inputs {
      if input.memory != nil {
        starts.append([])
      } else {
        let cursor = try Cursor(scratch: scratch, input: input)
        starts.append(cursor.termStarts(at: keys))
        cursor.releaseTermTable()
      }
    }
    return starts
  }

  /// Keys that cut the key range into up to `chunks` chunks: the Han terms in chunks of
  /// about equal work, each starting at the first key of a bucket of packed records
  /// (`RecordBuckets`: 16 characters), so that a character's terms stay in one chunk, for
  /// its own list, and a segment in memory's buckets are each sorted by one thread; then the
  /// words; none when there is too little to cut.
  private static func chunkKeys(_ inputs: [Input], scratch: String, chunks: Int, minimumWork: Int) throws(IndexError) -> [UInt64] {
    // The work of each bucket's key range, and of the words: records in memory, postings
    // bytes in a written segment, plus a little for each written term. (Han keys outside
    // the buckets' range count in the first bucket or the last.)
    var work = [Int](repeating: 0, count: RecordBuckets.bucketCount)
    var words = 0
    for input in inputs {
      if let memory = input.memory {
        for bucket in 0..<RecordBuckets.bucketCount { work[bucket] += memory.buckets.size(of: bucket) }
        for term in 0..<memory.overflowKeys.count {
          let records = memory.overflowRecords(of: term).range.count
          let key = memory.overflowKeys[term]
          if key & TermKey.wordFlag != 0 {
            words += records
          } else {
            work[min(RecordSink.bucket(ofKey: key), RecordBuckets.bucketCount - 1)] += records
          }
        }
        continue
      }
      let cursor = try Cursor(scratch: scratch, input: input)
      for i in 0..<cursor.count {
        let key = cursor.key(at: i)
        if key & TermKey.wordFlag != 0 {
          words += cursor.weight(at: i) + 2
        } else {
          work[min(RecordSink.bucket(ofKey: key), RecordBuckets.bucketCount - 1)] += cursor.weight(at: i) + 2
        }
      }
      // (The merge reads the table again as it reaches each term.)
      cursor.releaseTermTable()
    }
    let han = work.reduce(0, +)
    // Chunks of at least `minimumWork`, fewer than asked for a small index; the words are a
    // chunk of their own, the last.
    let count = min(chunks, (han + words) / max(1, minimumWork))
    guard count > 1 else { return [] }
    // The Han chunks are taken in key order, and the last of them is merged while the other
    // thread has little or nothing left: the last eighth are cut half as large, so the
    // threads end closer together (on news + speeches a chunk is about 7 ms of work, and
    // the last one took about 3 ms in traces).
    let hanChunks = count - 1
    let small = hanChunks / 8
    // Chunk k's end, in units of half a chunk of the larger size.
    func end(_ k: Int) -> Int { k <= hanChunks - small ? 2 * k : 2 * (hanChunks - small) + (k - (hanChunks - small)) }
    let units = end(hanChunks)
    var pivots: [UInt64] = []
    var sum = 0
    for bucket in 0..<RecordBuckets.bucketCount - 1 where pivots.count < hanChunks - 1 {
      sum += work[bucket]
      guard sum >= han / units * end(pivots.count + 1), sum > 0 else { continue }
      pivots.append(RecordSink.firstKey(ofBucket: bucket + 1))
    }
    return pivots + [TermKey.wordFlag]
  }

  /// Merges the terms the cursors cover, encoding their postings into `docs` and
  /// `positions` and handing a buffer's bytes to `flushDocs` or `flushPositions` whenever it
  /// holds `flushBytes`; what is left in the buffers at the end is the caller's to write.
  private static func mergeRange(
    _ cursors: [Cursor], paragraphCount: Int, positionLowBits: Int, lengths: ParagraphLengths, tally characterTally: Tally,
    docs: inout RawByteBuffer, positions: inout RawByteBuffer, flushBytes: Int,
    flushDocs writeDocs: (UnsafeRawBufferPointer) throws(IndexError) -> Void,
    flushPositions writePositions: (UnsafeRawBufferPointer) throws(IndexError) -> Void
  ) throws(IndexError) -> Part {
    var part = Part()
    // Room for every term at once (at most the cursors' terms left, about): growing the
    // entries would copy them again and again, into fresh memory.
    part.entries.reserveCapacity(cursors.reduce(0) { $0 + $1.termsLeft })
    var wordRank: UInt64 = 0
    var scratch = ListScratch()
    var streams = PositionStreams(lowBits: positionLowBits)
    // The cursors of the current term, by index: holding the cursors themselves in variables
    // and arrays cost a retain and a release each, for every term.
    // (In memory of their own: an array's appends and pops checked its uniqueness, three
    // times a term.)
    let memberSlots = UnsafeMutablePointer<Int>.allocate(capacity: max(1, cursors.count))
    defer { memberSlots.deallocate() }
    var memberCount = 0
    let list = CursorList(cursors)
    // A character's terms come one after another: for a character whose lists are long
    // enough to give it its best paragraphs, and perhaps its own list (known when it starts,
    // from the postings of its terms in every segment), their postings are summed here, and
    // those lists written when the next character starts.
    var character: UInt64? = nil
    // Whether the current character gets its own list and its best paragraphs (from the
    // postings of its terms, summed when it starts).
    var (ownList, bestList) = (false, false)
    var ratios: [(ratio: Double, paragraph: UInt32)] = []
    var (countScratch, lengthScratch): ([UInt32], [UInt32]) = ([], [])
    let allInMemory = cursors.allSatisfy { $0.memory != nil }
    var blind = false
    // BM25's length factors of paragraphs of up to 1,023 tokens, for the best paragraphs.
    let factors = (0..<1024).map { BM25().lengthFactor(length: $0, averageLength: lengths.averageLength) }
    // The Rice parameter of the lists of fewer than 256 paragraphs, most terms' (working it
    // out, a division and the paragraph count scaled again for every term, was half a
    // percent of a build's instructions).
    let smallGapBits = (0..<256).map { IndexFormat.docGapBits(documentFrequency: $0, paragraphCount: paragraphCount) }
    var tallied = false
    func finishCharacter() throws(IndexError) {
      defer {
        characterTally.clear()
        tallied = false
      }
      guard let first = character, tallied else { return }
      guard !characterTally.overflowed else {
        throw .corrupt(file: "segments", detail: "frequencies too large for one paragraph")
      }
      // (In ascending order, the counters and lengths are read in order.)
      if blind { characterTally.recordNonzero() } else { characterTally.sortTouched() }
      if bestList {
        let (documentFrequency, occurrences, docsLength) = try writeBestList(
          characterTally, paragraphCount: paragraphCount, lengths: lengths, factors: factors, docs: &docs, scratch: &scratch,
          ratios: &ratios, countScratch: &countScratch, lengthScratch: &lengthScratch)
        part.entries.append((TermKey.characterBest(UInt32(first)), documentFrequency, occurrences, docsLength, 0))
      }
      if ownList {
        let (documentFrequency, occurrences, docsLength) = try writeCharacterList(
          characterTally.touched, counts: characterTally.counters, paragraphCount: paragraphCount, docs: &docs,
          scratch: &scratch)
        part.entries.append((TermKey.characterList(UInt32(first)), documentFrequency, occurrences, docsLength, 0))
      }
    }
    while true {
      // The smallest current term: Han keys first, in key order, then words in byte order.
      // (Keys compare as integers unless both are words, whose ranks are their segment's.)
      var smallest = -1
      var key = UInt64.max
      for index in list.indices where !list.isDone(index) {
        let other = list.key(index)
        if smallest < 0 || (other & key & TermKey.wordFlag == 0 ? other < key : list.precedes(index, smallest)) {
          (smallest, key) = (index, other)
        }
      }
      guard smallest >= 0 else { break }
      memberCount = 0
      for index in list.indices where !list.isDone(index) {
        let other = list.key(index)
        let same =
          other & key & TermKey.wordFlag == 0
          ? other == key : !list.precedes(smallest, index) && !list.precedes(index, smallest)
        if same {
          memberSlots[memberCount] = index
          memberCount += 1
        }
      }
      let isWord = key & TermKey.wordFlag != 0
      let termCharacter: UInt64? = isWord ? nil : key >> 21
      if termCharacter != character {
        try finishCharacter()
        character = termCharacter
        // (A character's terms are consecutive in every segment, from each cursor's current
        // one on.)
        let postings = termCharacter.map { c in list.indices.reduce(0) { $0 + list.postings(ofCharacter: c, in: $1) } } ?? 0
        ownList = postings >= IndexFormat.characterListThreshold(paragraphCount: paragraphCount)
        bestList = postings >= IndexFormat.characterBestThreshold(paragraphCount: paragraphCount)
        tallied = bestList
        // A character found in many paragraphs is summed without noting the paragraphs as
        // they come (they are read off the counters at the end), when no segment was read
        // back from disk (where damage could make a counter wrap).
        blind = tallied && allInMemory && postings >= paragraphCount / 16
      }
      let members = UnsafeBufferPointer(start: memberSlots, count: memberCount)
      var (documentFrequency, termOccurrences) = (0, 0)
      for member in members {
        let (frequency, occurrences) = list.counts(member)
        documentFrequency += frequency
        termOccurrences += occurrences
      }
      let gapBits =
        documentFrequency < smallGapBits.count
        ? smallGapBits[documentFrequency]
        : IndexFormat.docGapBits(documentFrequency: documentFrequency, paragraphCount: paragraphCount)
      let (docsLength, positionsLength): (Int, Int)
      if members.count == 1 && termOccurrences <= ShortList.limit,
        let (records, range, base) = list.packedRecords(members[0]),
        let written = ShortList.write(
          records, range, base: base, gapBits: gapBits, lowBits: positionLowBits, paragraphCount: paragraphCount,
          tally: tallied ? Unmanaged.passUnretained(characterTally) : nil, blind: blind, docs: &docs,
          positions: &positions)
      {
        (docsLength, positionsLength) = written
      } else {
        streams.removeAll()
        docsLength = try writeList(
          members, of: list, gapBits: gapBits, docs: &docs, streams: &streams, scratch: &scratch,
          tally: tallied ? characterTally : nil, blind: blind)
        positionsLength = streams.write(into: &positions)
      }
      if isWord {
        part.entries.append((TermKey.wordFlag | wordRank, documentFrequency, termOccurrences, docsLength, positionsLength))
        list.appendWord(smallest, to: &part.wordBytes)
        part.wordEnds.append(part.wordBytes.count)
        wordRank += 1
      } else {
        part.entries.append((key, documentFrequency, termOccurrences, docsLength, positionsLength))
      }
      part.postings += documentFrequency
      part.occurrences += termOccurrences
      for member in members { list.advance(member) }
      if docs.count >= flushBytes {
        try writeDocs(docs.bytes)
        docs.removeAll()
      }
      if positions.count >= flushBytes {
        try writePositions(positions.bytes)
        positions.removeAll()
      }
    }
    try finishCharacter()
    return part
  }

  /// Writes a list of paragraphs and counts without positions (a character's own list, or
  /// the list of its best paragraphs): `paragraphs` (ascending), each with its count from
  /// `counts` (indexed by paragraph), and a skip entry before each block of 128 after the
  /// first (see `IndexFormat`).
  ///
  /// - Returns: its document frequency, occurrences, and the bytes written to `docs`.
  private static func writeCharacterList(
    _ paragraphs: some RandomAccessCollection<UInt32>, counts: UnsafePointer<UInt32>, paragraphCount: Int,
    docs: inout RawByteBuffer, scratch: inout ListScratch
  ) throws(IndexError) -> (Int, Int, Int) {
    let count = paragraphs.count
    scratch.docs.removeAll()
    scratch.skips.removeAll()
    // The postings as any term's, without positions (a skip entry's position bit is 0).
    var list = ListEncoder(gapBits: IndexFormat.docGapBits(documentFrequency: count, paragraphCount: paragraphCount), tally: nil)
    var bits = scratch.docs.lend()
    defer { scratch.docs.settle(bits) }
    var occurrences = 0
    for paragraph in paragraphs {
      let frequency = counts[Int(paragraph)]
      if list.startsBlock { try list.addSkipEntry(docsBit: bits.bitCount, positionBit: 0, skips: &scratch.skips) }
      try list.add(UInt64(paragraph), UInt64(frequency), docs: &bits, file: "segments")
      occurrences += Int(frequency)
    }
    bits.alignToByte()
    scratch.skips.bytes.withUnsafeBytes { docs.append($0) }
    docs.append(bits.written)
    return (count, occurrences, scratch.skips.count + bits.written.count)
  }

  /// Writes a character's best paragraphs (see `IndexFormat`) from its tallied postings
  /// (`tally`, touched in ascending order): the union's size, then every paragraph whose r is
  /// not below the `characterBestCount`-th largest. `factors` holds the length factors of
  /// short paragraphs (BM25's, by length); `ratios`, `countScratch` and `lengthScratch` are
  /// scratch memory.
  ///
  /// Most paragraphs hold a frequent character once, and their r falls as the length grows:
  /// the r of the length within which `characterBestCount` of them lie (counted first) is a
  /// lower bound of the cutoff, and only the paragraphs whose r can reach it are selected
  /// from: those holding it once no longer than a length, and those holding it more often
  /// whose r is not below it.
  ///
  /// - Returns: the list's document frequency, occurrences, and the bytes written to `docs`.
  private static func writeBestList(
    _ tally: Tally, paragraphCount: Int, lengths: ParagraphLengths, factors: [Double], docs: inout RawByteBuffer,
    scratch: inout ListScratch, ratios: inout [(ratio: Double, paragraph: UInt32)], countScratch: inout [UInt32],
    lengthScratch: inout [UInt32]
  ) throws(IndexError) -> (Int, Int, Int) {
    let averageLength = lengths.averageLength
    let touched = tally.touched
    // The touched paragraphs' counts and lengths, in their order, read once (from scattered
    // places) for the passes of the selection.
    // (Filled through pointers: an append per paragraph checked the arrays' uniqueness. The
    // arrays only grow, and only their first `touched.count` are used: zeroing them for
    // every character took as long as filling them.)
    if countScratch.count < touched.count {
      countScratch.append(contentsOf: repeatElement(0, count: touched.count - countScratch.count))
      lengthScratch.append(contentsOf: repeatElement(0, count: touched.count - lengthScratch.count))
    }
    let counts = tally.counters
    countScratch.withUnsafeMutableBufferPointer { out in
      for (i, paragraph) in touched.enumerated() { out[i] = counts[Int(paragraph)] }
    }
    if let all = lengths.all {
      lengthScratch.withUnsafeMutableBufferPointer { out in
        for (i, paragraph) in touched.enumerated() { out[i] = all[Int(paragraph)] }
      }
    } else {
      for (i, paragraph) in touched.enumerated() { lengthScratch[i] = try lengths.length(of: Int(paragraph)) }
    }
    ratios.removeAll(keepingCapacity: true)
    let cutoff = countScratch.withUnsafeBufferPointer { counts in
      lengthScratch.withUnsafeBufferPointer { lengths in
        selectBest(
          touched, counts: UnsafeBufferPointer(rebasing: counts[..<touched.count]),
          lengths: UnsafeBufferPointer(rebasing: lengths[..<touched.count]), factors: factors,
          averageLength: averageLength, into: &ratios)
      }
    }
    var best = ratios.filter { $0.ratio >= cutoff }.map(\.paragraph)
    best.sort()
    guard let union = UInt32(exactly: touched.count) else {
      throw .io(path: "docs", reason: "a character's list is too long for the index format")
    }
    var header = ByteBuffer(capacity: IndexFormat.characterBestHeaderSize)
    header.append(union)
    header.append(UInt32(0))
    header.bytes.withUnsafeBytes { docs.append($0) }
    let (count, occurrences, length) = try writeCharacterList(
      best, counts: tally.counters, paragraphCount: paragraphCount, docs: &docs, scratch: &scratch)
    return (count, occurrences, header.count + length)
  }

  /// `writeBestList`'s selection: appends to `ratios` the r of every paragraph of `touched`
  /// that can reach the cutoff (of all, when there are no more than `characterBestCount`),
  /// and returns the cutoff (minus infinity: all). `counts` and `lengths` are the touched
  /// paragraphs', in their order.
  private static func selectBest(
    _ touched: UnsafeMutableBufferPointer<UInt32>, counts: UnsafeBufferPointer<UInt32>, lengths: UnsafeBufferPointer<UInt32>,
    factors: [Double], averageLength: Double, into ratios: inout [(ratio: Double, paragraph: UInt32)]
  ) -> Double {
    let wanted = IndexFormat.characterBestCount
    let scoring = BM25()
    return factors.withUnsafeBufferPointer { factors in
      @inline(__always) func factor(_ length: UInt32) -> Double {
        length < factors.count ? factors[Int(length)] : scoring.lengthFactor(length: Int(length), averageLength: averageLength)
      }
      @inline(__always) func ratio(_ count: UInt32, _ length: UInt32) -> Double {
        let frequency = Double(count)
        return frequency / (frequency + factor(length))
      }
      guard touched.count > wanted else {
        for (i, paragraph) in touched.enumerated() { ratios.append((ratio(counts[i], lengths[i]), paragraph)) }
        return -.infinity
      }
      // How many paragraphs hold the character once, by length (the last bucket: longer).
      let buckets = factors.count
      var once = [Int](repeating: 0, count: buckets)
      once.withUnsafeMutableBufferPointer { once in
        // (Without a branch: which paragraphs hold it once follows no pattern.)
        for i in 0..<touched.count {
          once[min(Int(lengths[i]), buckets - 1)] &+= counts[i] == 1 ? 1 : 0
        }
      }
      var bound = -Double.infinity
      var sum = 0
      for length in 0..<buckets - 1 {
        sum += once[length]
        if sum >= wanted {
          bound = ratio(1, UInt32(length))
          break
        }
      }
      // A paragraph holding it `count` times can reach the bound only when it is no longer
      // than the longest length whose r does (r falls as the length grows): that length for
      // each count up to `countedUpTo`, found by bisection among the lengths of `factors`
      // (unbounded when even the last of them does), so that most paragraphs are told apart
      // by a lookup and a comparison; a larger count, and every paragraph that passes, is
      // then checked by its r.
      let countedUpTo = 16
      // (Every touched paragraph holds it at least once: none is counted 0.)
      var longest = [Int](repeating: Int.max, count: countedUpTo + 2)
      longest[0] = -1
      for count in 1...countedUpTo where ratio(UInt32(count), UInt32(buckets - 1)) < bound {
        var (low, high) = (-1, buckets - 1)
        while low < high {
          let middle = (low + high + 1) / 2
          if ratio(UInt32(count), UInt32(middle)) >= bound { low = middle } else { high = middle - 1 }
        }
        longest[count] = low
      }
      longest.withUnsafeBufferPointer { longest in
        for (i, paragraph) in touched.enumerated() {
          let count = counts[i]
          let length = lengths[i]
          guard Int(length) <= longest[Int(min(count, UInt32(countedUpTo + 1)))] else { continue }
          let r = ratio(count, length)
          if r >= bound { ratios.append((r, paragraph)) }
        }
      }
      guard ratios.count > wanted else { return -.infinity }
      return Self.largest(wanted, of: &ratios)
    }
  }

  /// The `k`-th largest ratio of `values` (k from 1 to the count), found by selection: the
  /// values are left in another order.
  static func largest(_ k: Int, of values: inout [(ratio: Double, paragraph: UInt32)]) -> Double {
    precondition(k >= 1 && k <= values.count, "k must be within the values")
    // Quickselect for index k - 1 of the values in descending order.
    let target = k - 1
    var low = 0
    var high = values.count - 1
    while low < high {
      let pivot = values[low + (high - low) / 2].ratio
      var i = low
      var j = high
      while i <= j {
        while values[i].ratio > pivot { i += 1 }
        while values[j].ratio < pivot { j -= 1 }
        if i <= j {
          values.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if target <= j { high = j } else if target >= i { low = i } else { return values[target].ratio }
    }
    return values[target].ratio
  }

  /// Writes one term's list: its pieces from each of its segments (`members`, indices into
  /// `cursors`; decoded from a written segment's varints, or read from a segment's sorted
  /// records in memory) encoded as doc bits, with a skip entry before each block of 128
  /// paragraphs after the first (see `IndexFormat`), and its positions into `streams`; each
  /// posting is also added to `tally` when given.
  ///
  /// - Returns: the bytes written to `docs`.
  private static func writeList(
    _ members: UnsafeBufferPointer<Int>, of cursors: CursorList, gapBits: Int, docs: inout RawByteBuffer, streams: inout PositionStreams,
    scratch: inout ListScratch, tally: Tally?, blind: Bool
  ) throws(IndexError) -> Int {
    scratch.docs.removeAll()
    scratch.skips.removeAll()
    var list = ListEncoder(gapBits: gapBits, tally: tally, blind: blind)
    // The bit streams' state in local variables (kept in registers by the loops), given back
    // however the list ends.
    var docBits = scratch.docs.lend()
    var positions = streams.lend()
    defer {
      scratch.docs.settle(docBits)
      streams.settle(positions)
    }
    for member in members {
      if let (records, range, base) = cursors.packedRecords(member) {
        // The common case: every record of the term is packed. A paragraph's run of records
        // gives its frequency, then its positions: the first absolute, then the gaps.
        try ListEncoder.encodePacked(
          records, range, base: base, list: &list, docBits: &docBits, skips: &scratch.skips, positions: &positions)
        continue
      }
      let cursor = cursors.cursor(member)
      if cursor.memory != nil {
        // Records in place order: a paragraph's run gives its frequency (counted on a copy
        // of the iterator), then its positions, the first absolute and then the gaps.
        let (packed, overflow) = (cursor.packedRecords, cursor.overflowRecords)
        var places = cursor.places
        var next = places.next(packed, overflow)
        while let first = next {
          let local = first >> 32
          var ahead = places
          var frequency: UInt64 = 1
          while let place = ahead.next(packed, overflow), place >> 32 == local { frequency += 1 }
          if list.startsBlock {
            try list.addSkipEntry(docsBit: docBits.bitCount, positionBit: positions.highBitCount, skips: &scratch.skips)
          }
          try list.add(cursor.base + local, frequency, docs: &docBits, file: "segment in memory")
          var position = first & 0xFFFF_FFFF
          positions.append(value: position)
          for _ in 1..<frequency {
            let following = places.next(packed, overflow)! & 0xFFFF_FFFF
            positions.append(value: following - position)
            position = following
          }
          next = places.next(packed, overflow)
        }
        continue
      }
      let docsName = cursor.docsName
      let piece = UnsafeRawBufferPointer(rebasing: cursor.docBytes[cursor.docsOffset..<cursor.docsOffset + cursor.docsLength])
      let places = cursor.placeBytes
      var reader = ByteReader(piece, file: docsName)
      var paragraph = cursor.base
      // The doc codes first, then the positions (as for packed records): a skip entry's
      // position offset holds the index of its block's first value until then.
      let firstSkip = scratch.skips.count
      var values = 0
      for _ in 0..<cursor.documentFrequency {
        let head = try reader.readVarInt()
        let frequency = head & 1 == 1 ? 1 : try reader.readVarInt()
        paragraph += head >> 1
        guard frequency > 0, frequency <= UInt64(cursor.occurrences &- values), list.previous.map({ paragraph > $0 }) ?? true
        else {
          throw .corrupt(file: docsName, detail: "invalid posting")
        }
        if list.startsBlock {
          try list.addSkipEntry(docsBit: docBits.bitCount, positionBit: values, skips: &scratch.skips)
        }
        try list.add(paragraph, frequency, docs: &docBits, file: docsName)
        values &+= Int(frequency)
      }
      guard values == cursor.occurrences else { throw .corrupt(file: docsName, detail: "invalid posting") }
      try positions.appendVarInts(places, count: values, skips: &scratch.skips, from: firstSkip)
    }
    docBits.alignToByte()
    // (Most lists are too short for skip entries: no copy, and no call, for them.)
    if scratch.skips.count > 0 { scratch.skips.bytes.withUnsafeBytes { docs.append($0) } }
    docs.append(docBits.written)
    return scratch.skips.count + docBits.written.count
  }

  /// Whether `a`'s current term sorts before `b`'s.
  private static func precedes(_ a: Cursor, _ b: Cursor) -> Bool {
    let keyA = a.key
    let keyB = b.key
    let wordA = keyA & TermKey.wordFlag != 0
    let wordB = keyB & TermKey.wordFlag != 0
    if !wordA || !wordB { return wordA == wordB ? keyA < keyB : !wordA }
    return a.word.lexicographicallyPrecedes(b.word)
  }
}
