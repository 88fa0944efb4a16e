/// A worker's records kept in memory for the merge instead of written as a run: its
/// packed records still in their buckets (the merge sorts each bucket when it reaches it,
/// and encodes its terms while they are in cache), its overflow records sorted by term
/// (see `RecordSink`) with a table of their terms, and its words in rank order. Read-only
/// once made: merge threads read it at once.
final class MemoryRun: @unchecked Sendable {
  let buckets: RecordBuckets
  let overflowPlaces: RecordBuffer
  /// The worker-local id of the run's first paragraph.
  let runBase: UInt64
  /// Each overflow term's key, in key order.
  let overflowKeys: UnsafeBufferPointer<UInt64>
  /// Where each overflow term's places end in `overflowPlaces` (high half; they start
  /// where the previous term's end), and how many paragraphs they are in (low half).
  let overflowEnds: UnsafeBufferPointer<UInt64>
  /// How many records each bucket holds.
  let bucketSizes: UnsafeBufferPointer<Int>
  /// The words in rank order, laid out as a written run's `.words` file
  /// (`WordVocabulary.table(inOrderOf:)`), in memory of its own so that it never moves.
  let wordTable: UnsafeMutableRawBufferPointer

  /// Whether `records` can be kept in memory (the overflow stream's ends fit 32 bits).
  static func canHold(_ records: RecordSink) -> Bool {
    records.overflowPlaces.count <= Int(UInt32.max)
  }

  /// A run of `records`, whose words have the ranks of their order in `table` (a `.words`
  /// table). It takes over the records' buckets, and sorts their overflow stream
  /// (`RecordSink.sortedOverflow(into:)`).
  init(_ records: RecordSink, wordTable table: [UInt8]) {
    buckets = records.packed
    let sizes = UnsafeMutablePointer<Int>.allocate(capacity: RecordBuckets.bucketCount)
    for bucket in 0..<RecordBuckets.bucketCount { sizes[bucket] = buckets.size(of: bucket) }
    bucketSizes = UnsafeBufferPointer(start: sizes, count: RecordBuckets.bucketCount)
    let places = RecordBuffer()
    let (keys, ends) = records.sortedOverflow(into: places)
    overflowPlaces = places
    runBase = records.runBase
    wordTable = .allocate(byteCount: table.count, alignment: 4)
    wordTable.copyBytes(from: table)
    // (In memory of their own, read through pointers by the merge threads.)
    let (keyMemory, endMemory) = (UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, keys.count)), UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, ends.count)))
    keyMemory.initialize(from: keys, count: keys.count)
    endMemory.initialize(from: ends, count: ends.count)
    overflowKeys = UnsafeBufferPointer(start: keyMemory, count: keys.count)
    overflowEnds = UnsafeBufferPointer(start: endMemory, count: ends.count)
  }

  deinit {
    wordTable.deallocate()
    UnsafeMutablePointer(mutating: overflowKeys.baseAddress!).deallocate()
    UnsafeMutablePointer(mutating: overflowEnds.baseAddress!).deallocate()
    UnsafeMutablePointer(mutating: bucketSizes.baseAddress!).deallocate()
  }

  /// Where overflow term `index`'s places are in `overflowPlaces`, and how many paragraphs
  /// they are in.
  @inline(__always)
  func overflowRecords(of index: Int) -> (range: Range<Int>, paragraphs: Int) { Self.term(index, of: overflowEnds) }

  /// Where term `index` of a term list's `ends` (end << 32 | paragraphs, each term starting
  /// where the one before ends) has its records, and how many paragraphs they are in.
  @inline(__always)
  static func term(_ index: Int, of ends: UnsafeBufferPointer<UInt64>) -> (range: Range<Int>, paragraphs: Int) {
    let start = index == 0 ? 0 : Int(ends[index - 1] >> 32)
    let end = ends[index]
    return (start..<Int(end >> 32), Int(end & 0xFFFF_FFFF))
  }

  /// The first overflow term whose key is not below `key`.
  func firstOverflowTerm(from key: UInt64) -> Int {
    var (low, high) = (0, overflowKeys.count)
    while low < high {
      let middle = (low + high) / 2
      if overflowKeys[middle] < key { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// How many paragraphs a term with records in both streams is in: the places of its two
  /// runs, merged in order, change paragraph once per paragraph.
  static func documentFrequency(
    _ packed: UnsafeBufferPointer<UInt64>, _ inPacked: Range<Int>, _ overflow: UnsafeBufferPointer<UInt64>,
    _ inOverflow: Range<Int>, runBase: UInt64
  ) -> UInt32 {
    var count: UInt32 = 0
    var places = PlaceIterator(inPacked, inOverflow, runBase: runBase)
    var previous = UInt64.max
    while let place = places.next(packed, overflow) {
      if place >> 32 != previous {
        count += 1
        previous = place >> 32
      }
    }
    return count
  }
}
