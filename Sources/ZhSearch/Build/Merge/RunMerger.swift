// The k-way merge of an index build: the workers' scratch runs become the final `terms`,
// `docs` and `positions` files.
//
// Runs hold disjoint, ascending ranges of paragraphs, so a term's final posting list is its
// pieces in run order (local paragraph ids moved by each worker's base), decoded from a
// written run's varints (`WrittenRunCursor`) or read from the records of a worker that kept
// them in memory (`MemoryRunCursor`, each bucket sorted as the merge reaches it and encoded
// while in cache), and written in the final bit codes with skip entries for long lists
// (`ChunkMerger`, `IndexFormat`). Han terms come in key order, then words in byte order,
// which gives words their final ranks; after the last term of a frequent character come its
// own list and best paragraphs, summed from its terms' postings on the way
// (`CharacterLists`).
//
// The key range is cut into chunks of Han terms of about equal work and one of the words
// (`ChunkPlan`), which the merge threads take as each comes free. The first chunk goes
// straight to the final files; a later one keeps its postings in its buffers
// (`OutputBuffers`), or spills them (`ChunkOutput`), until every chunk before it is
// written. A finished chunk is appended to the postings files, and its terms added to the
// dictionary, as soon as every chunk before it is (`ChunkWriter`, on the thread that
// finished the last of them), so that little is left to write when the last chunk is done:
// the threads' chunks end at different times (a term's work is not quite its postings, and
// the thread that concatenates the paragraph texts takes turns with them).
//
// Memory: the written runs are mapped, and each cursor gives back the pages it has read
// past often enough that all of them together keep about a quarter of the budget resident;
// a worker's records kept in memory are there only when it wrote no run, so they stay
// within its share of the budget.

import Dispatch
import Synchronization

/// Merges the scratch runs of a build into the final postings files and dictionary.
struct RunMerger {
  /// One run to merge, and the global id of its worker's local paragraph 0.
  struct Input {
    /// Where a run's terms are.
    enum Source {
      /// Written to the scratch folder as `<name>.terms`, `.docs`, `.positions`, `.words`.
      case written(name: String)
      /// Kept in memory by a worker that never spilled.
      case memory(MemoryRun)
    }

    var source: Source
    var paragraphBase: UInt64
  }

  /// What the merge wrote.
  struct Output {
    var terms: (bytes: Int, tableChecksum: UInt32)
    var docs: (bytes: Int, tableChecksum: UInt32)
    var positions: (bytes: Int, tableChecksum: UInt32)
    var termCount: Int
    var postings: Int
    var occurrences: Int
    /// Seconds spent sorting the buckets of runs in memory, summed over the threads.
    var sortSeconds: Double
  }

  /// Merges `inputs` (in paragraph order) from `scratch` into the files of `commit`, on
  /// `threads` threads (see the top of this file for how).
  static func merge(
    _ inputs: [Input], scratch: String, paragraphCount: Int, positionLowBits: Int, memoryBudget: Int,
    lengths: ParagraphLengths, threads: Int, chunks: Int = 64, minimumChunkWork: Int = 1 << 17,
    flushBytes: Int = 1 << 20, into commit: IndexCommit
  ) throws(IndexError) -> Output {
    let threads = max(1, threads)
    let releaseEvery = max(1 << 18, memoryBudget / 4 / max(1, 2 * threads * inputs.count))
    let docsFile = try IndexFileWriter(path: commit.path(of: .docs), kind: .docs)
    let positionsFile = try IndexFileWriter(path: commit.path(of: .positions), kind: .positions)
    let plan = try ChunkPlan(inputs, scratch: scratch, chunks: chunks, minimumWork: minimumChunkWork)
    let chunkCount = plan.count
    // A later chunk's postings stay in the buffers they were encoded into, handed to the
    // writer whole, while the finished chunks waiting there hold no more than a sixteenth
    // of the budget; past that, and for a chunk too large for its buffers, they go through
    // spill files, kept in memory up to another sixteenth in all. (A worker that spilled
    // has freed its buffers by now, and one that kept its records in memory holds them as
    // they were, with no sorted copy.)
    let buffers = OutputBuffers(lendingLimit: memoryBudget / 16)
    let spillLimit = memoryBudget / 16 / max(1, 2 * (chunkCount - 1))
    let writer = ChunkWriter(docs: docsFile, positions: positionsFile, chunks: chunkCount, buffers: buffers)
    let runsInMemory = inputs.map { input -> MemoryRun? in
      if case .memory(let run) = input.source { return run }
      return nil
    }
    let nextChunk = ChunkCounter()
    let sortNanoseconds = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: min(threads, chunkCount)) { _ in
      // Per-paragraph counters for the frequent characters, and memory to sort the buckets
      // of runs in memory in, reused from chunk to chunk.
      let tally = Tally(paragraphs: paragraphCount)
      let bucketScratch = BucketScratch(runsInMemory)
      defer { sortNanoseconds.add(Int(bucketScratch.sortSeconds * 1e9), ordering: .relaxed) }
      var (docs, positions) = (buffers.take(), buffers.take())
      defer {
        buffers.give(docs)
        buffers.give(positions)
      }
      while let task = nextChunk.take(below: chunkCount) {
        let chunk = plan.order[task]
        do throws(IndexError) {
          let cursors = try Self.cursors(
            inputs, chunk: chunk, of: plan, scratch: scratch, buckets: bucketScratch, releaseEvery: releaseEvery)
          if chunk == 0 {
            // The first chunk writes the postings files itself (the writer appends the others
            // only after it is done).
            let part = try ChunkMerger.merge(
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
            let part = try ChunkMerger.merge(
              cursors, paragraphCount: paragraphCount, positionLowBits: positionLowBits, lengths: lengths, tally: tally,
              docs: &docs, positions: &positions, flushBytes: flushBytes,
              flushDocs: { bytes throws(IndexError) in try output.write(bytes, positions: false) },
              flushPositions: { bytes throws(IndexError) in try output.write(bytes, positions: true) })
            if output.destination == .final {
              try writer.docs.write(docs.bytes)
              try writer.positions.write(positions.bytes)
              docs.removeAll()
              positions.removeAll()
              try writer.finished(chunk, part, output: nil, claimed: true)
            } else if output.destination == .none && buffers.lend(docs.count + positions.count) {
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
    // on the disk each) on threads of their own while the dictionary is written, so that
    // the three fsyncs wait at once.
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

  /// A cursor on each of `inputs`, at the start of chunk `chunk` of `plan` and limited to
  /// it; a run in memory's sorts its buckets in `buckets`.
  private static func cursors(
    _ inputs: [Input], chunk: Int, of plan: ChunkPlan, scratch: String, buckets: BucketScratch, releaseEvery: Int
  ) throws(IndexError) -> CursorList {
    var cursors: [CursorList.Either] = []
    for (slot, input) in inputs.enumerated() {
      switch input.source {
      case .written(let name):
        var cursor = try WrittenRunCursor(
          scratch: scratch, name: name, base: input.paragraphBase, releaseEvery: releaseEvery)
        cursor.limit = plan.limit(of: chunk)
        cursor.start(at: plan.start(of: chunk, inRun: slot))
        cursors.append(.written(cursor))
      case .memory(let run):
        guard let buffer = buckets.buffers[slot] else {
          throw .io(path: scratch, reason: "no memory to sort a scratch run's buckets in")
        }
        var cursor = MemoryRunCursor(run: run, base: input.paragraphBase, buffer: buffer, scratch: buckets)
        cursor.limit = plan.limit(of: chunk)
        cursor.start(at: plan.firstKey(of: chunk))
        cursors.append(.memory(cursor))
      }
    }
    return CursorList(cursors)
  }
}
