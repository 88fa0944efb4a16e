/// Appends the merge's finished chunks to the postings files and their terms to the
/// dictionary, in key order, as soon as each chunk and every one before it is done: the
/// thread that finishes the chunk the writing waits for writes it and every finished one
/// after it, while the other threads merge on.
final class ChunkWriter: @unchecked Sendable {
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
  private var waiting: [Int: (part: MergedChunk, output: Postings?)] = [:]
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
  func finished(_ chunk: Int, _ part: MergedChunk, output: Postings?, claimed: Bool = false) throws(IndexError) {
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
      let item: (part: MergedChunk, output: Postings?)? = lock.withLock {
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
