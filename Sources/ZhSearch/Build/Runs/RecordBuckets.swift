import CICUShim

/// A run's packed records, appended straight into buckets by the top bits of their key,
/// and sorted by key one bucket at a time.
///
/// Each of the 2,048 buckets (the top 11 of the key's bits) is a chain of chunks of 512
/// records (4 KiB) carved from one arena in the order they fill, so appending a record
/// writes it where the first pass of a radix sort would have moved it: the records are
/// never written in arrival order, read back and distributed (one write and two reads of
/// every record in main memory fewer than sorting a flat buffer, and no histogram pass).
/// `sort(bucket:into:temp:counts:)` then sorts a bucket on the key's remaining bits in cache
/// (two least-significant-digit passes, chunks -> `temp` -> output): a worker that spills
/// sorts its buckets one after another, and the merge's threads sort a run's buckets as
/// they reach them, each into memory of its own, so no sorted copy of all the records is
/// ever made.
/// Within a key, records keep the order they were appended in (the sort is stable). Not
/// thread-safe while it changes.
final class RecordBuckets {
  /// Records per chunk.
  static let chunkRecords = 512
  /// The key's top bits that choose a record's bucket.
  static let topBits = 11
  static let bucketCount = 1 << topBits

  /// The key's bits in a record: `shift ..< shift + bits`.
  let shift: Int
  let bits: Int
  private let topShift: UInt64
  private let topMask: UInt64

  @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt64>
  /// Records the arena holds (whole chunks).
  @exclusivity(unchecked) private(set) var capacity: Int
  /// Chunks handed out so far.
  @exclusivity(unchecked) private var chunksUsed = 0
  /// Each bucket's next free slot in the arena: a multiple of the chunk size when it needs a
  /// new chunk (its current one is full, or it has none yet, at 0), as chunks are aligned.
  private let cursors: UnsafeMutablePointer<Int>
  /// Each bucket's first chunk and number of chunks; each chunk's successor in its bucket.
  private let firstChunks: UnsafeMutablePointer<Int32>
  private let chunkCounts: UnsafeMutablePointer<Int32>
  @exclusivity(unchecked) private var nextChunks: UnsafeMutablePointer<Int32>
  /// Records appended.
  @exclusivity(unchecked) private(set) var count = 0
  /// The most chunks a bucket has.
  @exclusivity(unchecked) private var mostChunks: Int32 = 0

  /// Buckets for records whose key is their bits `shift ..< shift + bits` (at most 33, at
  /// least 11), with room for about `capacity` records before the arena grows.
  init(shift: Int, bits: Int, capacity: Int = 0) {
    precondition(shift >= 0 && bits >= Self.topBits && bits <= 33 && shift + bits <= 64, "the key bits must lie in the record")
    self.shift = shift
    self.bits = bits
    topShift = UInt64(shift + bits - Self.topBits)
    topMask = UInt64(Self.bucketCount - 1)
    let chunks = max(1, (capacity + Self.chunkRecords - 1) / Self.chunkRecords)
    self.capacity = chunks * Self.chunkRecords
    arena = .allocate(capacity: self.capacity)
    nextChunks = .allocate(capacity: chunks)
    cursors = .allocate(capacity: Self.bucketCount)
    firstChunks = .allocate(capacity: Self.bucketCount)
    chunkCounts = .allocate(capacity: Self.bucketCount)
    resetBuckets()
  }

  deinit {
    arena.deallocate()
    nextChunks.deallocate()
    cursors.deallocate()
    firstChunks.deallocate()
    chunkCounts.deallocate()
  }

  var isEmpty: Bool { count == 0 }

  private func resetBuckets() {
    cursors.initialize(repeating: 0, count: Self.bucketCount)
    firstChunks.initialize(repeating: -1, count: Self.bucketCount)
    chunkCounts.initialize(repeating: 0, count: Self.bucketCount)
    chunksUsed = 0
    count = 0
    mostChunks = 0
  }

  /// Forgets the records, keeping the arena.
  func removeAll() { resetBuckets() }

  /// Makes room for about `records` records in all (a bucket's last chunk may be part
  /// full: `bucketCount` chunks more hold any `records` records without growing).
  func reserveCapacity(_ records: Int) {
    let chunks = (records + Self.chunkRecords - 1) / Self.chunkRecords
    if chunks * Self.chunkRecords > capacity { grow(toChunks: chunks) }
  }

  @inline(__always)
  func append(_ record: UInt64) {
    let bucket = Int(truncatingIfNeeded: record &>> topShift & topMask)
    var slot = cursors[bucket]
    if slot & (Self.chunkRecords &- 1) == 0 { slot = startChunk(bucket) }
    arena[slot] = record
    cursors[bucket] = slot &+ 1
    count &+= 1
  }

  /// The buckets' arena and cursors in a value, for a stretch of appends whose loop keeps
  /// them in registers (through the object, every append read the arena, the cursors and
  /// the shift again, and stored the count: a store through a pointer may change any of
  /// them). The buckets must not change otherwise until `settle(appended:)` is told how
  /// many records it appended.
  @inline(__always)
  func appender() -> Appender { Appender(buckets: self, arena: arena, cursors: cursors) }

  /// Ends a stretch of appends by an `appender()`, which appended `appended` records.
  @inline(__always)
  func settle(appended: Int) { count &+= appended }

  /// See `appender()`.
  struct Appender {
    private unowned(unsafe) let buckets: RecordBuckets
    private var arena: UnsafeMutablePointer<UInt64>
    private let cursors: UnsafeMutablePointer<Int>

    fileprivate init(buckets: RecordBuckets, arena: UnsafeMutablePointer<UInt64>, cursors: UnsafeMutablePointer<Int>) {
      (self.buckets, self.arena, self.cursors) = (buckets, arena, cursors)
    }

    /// `RecordBuckets.append(_:)` of a record whose bucket (its key's top bits) the caller
    /// worked out.
    @inline(__always)
    mutating func append(_ record: UInt64, bucket: Int) {
      assert(bucket == Int(truncatingIfNeeded: record &>> buckets.topShift & buckets.topMask), "not the record's bucket")
      var slot = cursors[bucket]
      if _slowPath(slot & (RecordBuckets.chunkRecords &- 1) == 0) {
        slot = buckets.startChunk(bucket)
        // (A new chunk may have moved the arena.)
        arena = buckets.arena
      }
      arena[slot] = record
      cursors[bucket] = slot &+ 1
    }
  }

  /// Gives `bucket` a new chunk and returns its first slot.
  @inline(never)
  private func startChunk(_ bucket: Int) -> Int {
    let chunk = chunksUsed
    if (chunk + 1) * Self.chunkRecords > capacity { grow(toChunks: max(16, 2 * capacity / Self.chunkRecords)) }
    chunksUsed += 1
    nextChunks[chunk] = -1
    if chunkCounts[bucket] == 0 {
      firstChunks[bucket] = Int32(chunk)
    } else {
      // The bucket's current chunk is the one its cursor is at the end of.
      nextChunks[(cursors[bucket] - 1) / Self.chunkRecords] = Int32(chunk)
    }
    chunkCounts[bucket] += 1
    mostChunks = max(mostChunks, chunkCounts[bucket])
    return chunk * Self.chunkRecords
  }

  private func grow(toChunks chunks: Int) {
    precondition(chunks < Int(Int32.max), "too many records for one run's buckets")
    let records = chunks * Self.chunkRecords
    let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: records)
    bigger.update(from: arena, count: chunksUsed * Self.chunkRecords)
    arena.deallocate()
    arena = bigger
    let links = UnsafeMutablePointer<Int32>.allocate(capacity: chunks)
    links.update(from: nextChunks, count: chunksUsed)
    nextChunks.deallocate()
    nextChunks = links
    capacity = records
  }

  /// How many records bucket `bucket` holds.
  func size(of bucket: Int) -> Int {
    let chunks = Int(chunkCounts[bucket])
    guard chunks > 0 else { return 0 }
    // The last chunk holds 1 to chunkRecords records, up to the cursor.
    let cursor = cursors[bucket]
    return (chunks - 1) * Self.chunkRecords + cursor - (cursor - 1) / Self.chunkRecords * Self.chunkRecords
  }

  /// The records the arena holds in the chunks handed out (the records, and the room left in
  /// each bucket's last chunk).
  var arenaRecords: Int { chunksUsed * Self.chunkRecords }

  /// At least the records of the largest bucket (its chunks' room), kept as chunks are added.
  var largestBucketBound: Int { Int(mostChunks) * Self.chunkRecords }

  /// The records of the largest bucket.
  var largestBucket: Int { (0..<Self.bucketCount).reduce(0) { max($0, size(of: $1)) } }

  /// The counters `sort(bucket:into:temp:counts:)` needs.
  var countersNeeded: Int { 2 << ((bits - Self.topBits + 1) / 2) }

  /// Calls `body` with each chunk of `bucket` in order (the last only as far as it is filled),
  /// the next chunk's loading started first when `prefetch`: a bucket's chunks lie apart in
  /// the arena, each a page the CPU's own prefetcher does not cross into, and the sort's
  /// first pass over them would otherwise wait on main memory.
  @inline(__always)
  private func forEachChunk(_ bucket: Int, prefetch: Bool = false, _ body: (UnsafeMutablePointer<UInt64>, Int) -> Void) {
    var chunk = Int(firstChunks[bucket])
    while chunk >= 0 {
      let start = chunk * Self.chunkRecords
      let next = Int(nextChunks[chunk])
      if prefetch && next >= 0 { cshim_prefetch(arena + next * Self.chunkRecords, Int64(Self.chunkRecords * 8)) }
      body(arena + start, next >= 0 ? Self.chunkRecords : cursors[bucket] - start)
      chunk = next
    }
  }

  /// Every record, bucket by bucket, each bucket's in the order appended (for tests).
  var contents: [UInt64] {
    var records: [UInt64] = []
    for bucket in 0..<Self.bucketCount {
      forEachChunk(bucket) { chunk, count in records.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count)) }
    }
    return records
  }

  /// Writes bucket `bucket` sorted by key (stably) to `target`, through `temp` (each with
  /// room for the bucket's records) and `counts` (`countersNeeded` of them); returns its
  /// size. Only reads the buckets: threads may sort different buckets at once.
  @discardableResult
  func sort(
    bucket: Int, into target: UnsafeMutablePointer<UInt64>, temp: UnsafeMutablePointer<UInt64>,
    counts: UnsafeMutablePointer<Int>
  ) -> Int {
    let size = size(of: bucket)
    let lowBits = bits - Self.topBits
    if size <= 32 || lowBits == 0 {
      var filled = 0
      forEachChunk(bucket) { chunk, count in
        (target + filled).update(from: chunk, count: count)
        filled &+= count
      }
      if lowBits > 0 { insertionSort(target, size) }
    } else {
      // Two digits of the remaining bits (a bucket's odd top bit, if any, is the same
      // throughout it).
      sortBucket(bucket, size, into: target, temp: temp, digitBits: (lowBits + 1) / 2, counts: counts)
    }
    return size
  }

  /// Sorts records `records ..< records + count` on the key bits below the bucket's
  /// (few records: an insertion sort, stable as the passes are).
  private func insertionSort(_ records: UnsafeMutablePointer<UInt64>, _ count: Int) {
    let shift = UInt64(self.shift)
    let keyMask = UInt64(1) &<< UInt64(bits - Self.topBits) &- 1
    for i in 1..<max(count, 1) {
      let record = records[i]
      let key = (record &>> shift) & keyMask
      var j = i
      while j > 0 && (records[j - 1] &>> shift) & keyMask > key {
        records[j] = records[j - 1]
        j -= 1
      }
      records[j] = record
    }
  }

  /// Sorts bucket `bucket` (`size` records) on its two low digits of `digitBits` bits: from
  /// its chunks to `temp` by the lower digit, then to `target` by the higher one.
  private func sortBucket(
    _ bucket: Int, _ size: Int, into target: UnsafeMutablePointer<UInt64>, temp: UnsafeMutablePointer<UInt64>,
    digitBits: Int, counts: UnsafeMutablePointer<Int>
  ) {
    // Shifts, sums and counts wrap rather than check: shifts are below 64, and no count
    // passes the bucket's size.
    let digits = 1 &<< digitBits
    let digitMask = UInt64(digits &- 1)
    let lowShift = UInt64(shift)
    let highShift = lowShift &+ UInt64(digitBits)
    counts.update(repeating: 0, count: 2 &* digits)
    let (low, high) = (counts, counts + digits)
    forEachChunk(bucket, prefetch: true) { chunk, count in
      for i in 0..<count {
        let record = chunk[i]
        low[Int(truncatingIfNeeded: (record &>> lowShift) & digitMask)] &+= 1
        high[Int(truncatingIfNeeded: (record &>> highShift) & digitMask)] &+= 1
      }
    }
    var (lowSum, highSum) = (0, 0)
    for d in 0..<digits {
      (low[d], lowSum) = (lowSum, lowSum &+ low[d])
      (high[d], highSum) = (highSum, highSum &+ high[d])
    }
    /// Moves `count` records from `source` to their slots in `destination` by the digit at
    /// `digitShift`, from the digit's running offsets.
    @inline(__always)
    func scatter(
      _ source: UnsafeMutablePointer<UInt64>, _ count: Int, to destination: UnsafeMutablePointer<UInt64>,
      _ digitShift: UInt64, _ offsets: UnsafeMutablePointer<Int>
    ) {
      for i in 0..<count {
        let record = source[i]
        let d = Int(truncatingIfNeeded: (record &>> digitShift) & digitMask)
        let slot = offsets[d]
        offsets[d] = slot &+ 1
        destination[slot] = record
      }
    }
    forEachChunk(bucket) { chunk, count in scatter(chunk, count, to: temp, lowShift, low) }
    scatter(temp, size, to: target, highShift, high)
  }
}
