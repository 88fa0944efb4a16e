/// How the merge cuts the key range into chunks, the order its threads take them in, and
/// where each chunk starts in each written run.
///
/// The Han terms are cut into chunks of about equal work, each starting at the first key of
/// a bucket of packed records (`RecordBuckets`: 16 characters), so that a character's terms
/// stay in one chunk, for its own list, and a run in memory's buckets are each sorted by one
/// thread; the words are the last chunk. A small index is one chunk.
struct ChunkPlan {
  /// The keys that cut the range: chunk k runs from `pivots[k - 1]` (0 for the first) to
  /// below `pivots[k]` (no limit for the last).
  let pivots: [UInt64]
  /// The chunks in the order the threads take them: the first (which writes the final
  /// files itself), then the words (their terms cost more than their postings say: their
  /// records go the slower way, and words compare by their bytes), then the others in key
  /// order.
  let order: [Int]
  /// Where each chunk starts in each written run, by run (empty for a run in memory).
  private let starts: [[ScratchTermTable.Start]]

  var count: Int { pivots.count + 1 }

  /// The first key of chunk `chunk`.
  func firstKey(of chunk: Int) -> UInt64 { chunk > 0 ? pivots[chunk - 1] : 0 }

  /// The key chunk `chunk` stops below.
  func limit(of chunk: Int) -> UInt64 { chunk < pivots.count ? pivots[chunk] : .max }

  /// Where chunk `chunk` starts in written run `run`.
  func start(of chunk: Int, inRun run: Int) -> ScratchTermTable.Start { starts[run][chunk] }

  /// The plan for merging `inputs` (from `scratch`) in up to `chunks` chunks of at least
  /// `minimumWork`.
  init(_ inputs: [RunMerger.Input], scratch: String, chunks: Int, minimumWork: Int) throws(IndexError) {
    var tables: [(file: MappedFile, table: ScratchTermTable)?] = []
    for input in inputs {
      if case .written(let name) = input.source {
        let file = try MappedFile(path: scratch + "/" + name + ".terms")
        tables.append((file, ScratchTermTable(file.bytes)))
      } else {
        tables.append(nil)
      }
    }
    pivots = Self.pivots(inputs, tables: tables.map { $0?.table }, chunks: chunks, minimumWork: minimumWork)
    let count = pivots.count + 1
    order = count > 1 ? [0, count - 1] + Array(1..<(count - 1)) : [0]
    let keys = [0] + pivots
    starts = tables.map { $0?.table.starts(at: keys) ?? [] }
    // (The merge reads the tables again as it reaches each term.)
    for case let (file, table)? in tables { file.release(before: ScratchTermTable.end(of: table.count)) }
  }

  /// Keys that cut the key range into up to `chunks` chunks (see `ChunkPlan`); none when
  /// there is too little to cut.
  private static func pivots(
    _ inputs: [RunMerger.Input], tables: [ScratchTermTable?], chunks: Int, minimumWork: Int
  ) -> [UInt64] {
    // The work of each bucket's key range, and of the words: records in memory, postings
    // bytes in a written run, plus a little for each written term. (Han keys outside the
    // buckets' range count in the first bucket or the last.)
    var work = [Int](repeating: 0, count: RecordBuckets.bucketCount)
    var words = 0
    for (input, table) in zip(inputs, tables) {
      if case .memory(let memory) = input.source {
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
      }
      guard let table else { continue }
      for i in 0..<table.count {
        let key = table.key(at: i)
        if key & TermKey.wordFlag != 0 {
          words += table.weight(at: i) + 2
        } else {
          work[min(RecordSink.bucket(ofKey: key), RecordBuckets.bucketCount - 1)] += table.weight(at: i) + 2
        }
      }
    }
    let han = work.reduce(0, +)
    // Chunks of at least `minimumWork`, fewer than asked for a small index; the words are a
    // chunk of their own, the last.
    let count = min(chunks, (han + words) / max(1, minimumWork))
    guard count > 1 else { return [] }
    // The Han chunks are taken in key order, and the last of them is merged while the other
    // threads have little or nothing left: the last eighth are cut half as large, so the
    // threads end closer together.
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
}
