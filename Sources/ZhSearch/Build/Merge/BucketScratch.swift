/// A merge thread's memory for sorting the buckets of scratch runs in memory, reused from
/// chunk to chunk: a buffer for each run in memory, and the sort's first pass's records and
/// counters, shared.
final class BucketScratch {
  /// A run in memory's sorted records of the bucket its cursor is in, and that bucket's
  /// terms (see `RecordSink.listTerms`).
  final class Buffer {
    let records: RecordBuffer
    let keys = RecordBuffer()
    let ends = RecordBuffer()

    /// Room for the largest bucket of `run`.
    init(_ run: MemoryRun) { records = RecordBuffer(capacity: run.buckets.largestBucket) }
  }

  /// A buffer for each run of the merge (nil for a written run).
  let buffers: [Buffer?]
  let temp = RecordBuffer()
  let counts: UnsafeMutablePointer<Int>
  /// Seconds spent sorting.
  var sortSeconds = 0.0

  /// Memory for the runs in memory among `runs`.
  init(_ runs: [MemoryRun?]) {
    buffers = runs.map { $0.map(Buffer.init) }
    let largest = runs.reduce(0) { max($0, $1?.buckets.largestBucket ?? 0) }
    temp.reserveCapacity(largest)
    temp.resize(to: largest)
    counts = .allocate(capacity: runs.reduce(1) { max($0, $1?.buckets.countersNeeded ?? 0) })
  }

  deinit { counts.deallocate() }
}
