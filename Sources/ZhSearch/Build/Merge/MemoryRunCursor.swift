/// A cursor on a worker's records kept in memory (`MemoryRun`): the terms of its packed
/// records, each bucket sorted into the merge thread's buffer as the cursor reaches it, merged
/// in key order with its overflow terms (a bigram also found at positions from 4096 on has
/// records in both).
struct MemoryRunCursor: RunCursor {
  private let run: MemoryRun
  let base: UInt64
  let words: WordTable
  /// The run's overflow places and its worker-local paragraph 0, its bucket sizes and its
  /// overflow terms (`MemoryRun`), read for every term through pointers that stay valid
  /// while `run` lives.
  let overflowRecords: UnsafeBufferPointer<UInt64>
  let runBase: UInt64
  private let bucketSizes: UnsafeBufferPointer<Int>
  private let overflowKeys: UnsafeBufferPointer<UInt64>
  private let overflowEnds: UnsafeBufferPointer<UInt64>
  /// The merge thread's memory to sort this run's buckets in.
  private let buffer: BucketScratch.Buffer
  private let scratch: BucketScratch

  var limit = UInt64.max
  /// The sorted bucket the cursor is in, that bucket's term it is at, and the overflow term
  /// it is at or before.
  private var bucket = -1
  private var bucketTerm = 0
  private var overflowTerm = 0
  /// Whether the current term has records in the bucket, and in the overflow stream.
  private var inBucket = false
  private var inOverflow = false
  /// The sorted records of the current bucket, and its terms (see `RecordSink.listTerms`).
  private(set) var packedRecords = UnsafeBufferPointer<UInt64>(start: nil, count: 0)
  private var termKeys = UnsafeBufferPointer<UInt64>(start: nil, count: 0)
  private var termEnds = UnsafeBufferPointer<UInt64>(start: nil, count: 0)

  private(set) var key: UInt64 = .max
  private(set) var documentFrequency = 0
  private(set) var occurrences = 0
  /// The current term's records.
  private(set) var places = PlaceIterator(0..<0, 0..<0, runBase: 0)

  /// A cursor on `run`, whose worker's paragraph 0 is `base`, before its first term until
  /// `start(at:)`; its buckets are sorted into `buffer` with `scratch`'s memory.
  init(run: MemoryRun, base: UInt64, buffer: BucketScratch.Buffer, scratch: BucketScratch) {
    self.run = run
    self.base = base
    self.buffer = buffer
    self.scratch = scratch
    (overflowRecords, runBase) = (run.overflowPlaces.records, run.runBase)
    (bucketSizes, overflowKeys, overflowEnds) = (run.bucketSizes, run.overflowKeys, run.overflowEnds)
    words = WordTable(UnsafeRawBufferPointer(run.wordTable))
  }

  /// Moves to the first term whose key is not below `key`, below the limit (set the limit
  /// first).
  mutating func start(at key: UInt64) {
    bucket = RecordSink.bucket(ofKey: key) - 1
    bucketTerm = 0
    termKeys = UnsafeBufferPointer(start: nil, count: 0)
    overflowTerm = run.firstOverflowTerm(from: key)
    load()
    // A key inside the first bucket (not at its start): skip the terms before it.
    while self.key < key && inBucket { advance() }
  }

  /// Finds the next term: the smaller key of the bucket's next term (sorting the next
  /// bucket that has records when this one has no more, unless it starts at the limit or
  /// above) and the next overflow term.
  private mutating func load() {
    var packedKey = UInt64.max
    while bucket < RecordBuckets.bucketCount {
      if bucket >= 0 && bucketTerm < termKeys.count {
        packedKey = PackedRecord.key(ofPackedKey: termKeys[bucketTerm])
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

  /// Sorts bucket `bucket` into the buffer and lists its terms.
  @inline(never)
  private mutating func sortBucket(_ bucket: Int) {
    let start = Timings.now()
    defer { scratch.sortSeconds += Timings.now() - start }
    let size = bucketSizes[bucket]
    buffer.records.removeAll()
    buffer.records.reserveCapacity(size)
    buffer.records.resize(to: size)
    run.buckets.sort(bucket: bucket, into: buffer.records.base, temp: scratch.temp.base, counts: scratch.counts)
    packedRecords = buffer.records.records
    buffer.keys.removeAll()
    buffer.ends.removeAll()
    RecordSink.listTerms(packedRecords, keys: buffer.keys, ends: buffer.ends)
    (termKeys, termEnds) = (buffer.keys.records, buffer.ends.records)
  }

  /// About the terms left before the limit (the buckets are not listed yet: a term for every
  /// 8 records is more than Chinese text has).
  var termsLeft: Int {
    let first = max(0, bucket)
    let end = max(first, min(RecordSink.bucket(ofKey: limit), RecordBuckets.bucketCount))
    let records = (first..<end).reduce(0) { $0 + bucketSizes[$1] }
    return records / 8 + overflowKeys.count - overflowTerm
  }

  mutating func advance() {
    if inBucket { bucketTerm += 1 }
    if inOverflow { overflowTerm += 1 }
    load()
  }

  func postings(ofCharacter character: UInt64) -> Int {
    guard !isDone else { return 0 }
    // The character's terms are in this bucket (they share its top bits) and perhaps in the
    // overflow stream: both lists are walked in key order, a key in both counted once (its
    // paragraphs over both).
    var sum = 0
    var (t, o) = (bucketTerm, overflowTerm)
    let bucketKeys = bucket >= 0 && bucket < RecordBuckets.bucketCount ? termKeys.count : 0
    while true {
      let packedKey = t < bucketKeys ? PackedRecord.key(ofPackedKey: termKeys[t]) : UInt64.max
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

  /// The current term's packed records and its paragraph 0, when they are all packed (the
  /// common case); nil otherwise.
  @inline(__always)
  var packedOnly: (UnsafeBufferPointer<UInt64>, Range<Int>, UInt64)? {
    guard places.isPackedOnly else { return nil }
    return (packedRecords, places.packedRange, base + runBase)
  }

  /// Encodes the current term's postings in this run, from its records in place order: a
  /// paragraph's run gives its frequency (counted on a copy of the iterator), then its
  /// positions, the first absolute and then the gaps.
  /// (Mutating, though it changes nothing, so that it runs on the cursor in place: a
  /// non-mutating call copied the cursor out of `CursorList`'s memory, retaining what it
  /// holds.)
  @inline(__always)
  mutating func encodeTerm(
    list: inout DocEncoder, docBits: inout BitAppender, skips: inout ByteBuffer, positions: inout PositionAppender
  ) throws(IndexError) {
    let (packed, overflow) = (packedRecords, overflowRecords)
    var places = places
    var next = places.next(packed, overflow)
    while let first = next {
      let local = first >> 32
      var ahead = places
      var frequency: UInt64 = 1
      while let place = ahead.next(packed, overflow), place >> 32 == local { frequency += 1 }
      if list.startsBlock {
        try list.addSkipEntry(docsBit: docBits.bitCount, positionBit: positions.highBitCount, skips: &skips)
      }
      try list.add(base + local, frequency, docs: &docBits, file: "scratch run in memory")
      var position = first & 0xFFFF_FFFF
      positions.append(value: position)
      for _ in 1..<frequency {
        let following = places.next(packed, overflow)! & 0xFFFF_FFFF
        positions.append(value: following - position)
        position = following
      }
      next = places.next(packed, overflow)
    }
  }
}
