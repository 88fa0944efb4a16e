/// The merge threads' buffers for encoded postings, reused from chunk to chunk: a finished
/// chunk's are lent to the writer and come back once written, so the merge writes into
/// memory it has touched before (fresh pages cost a fault each, and so would the copy
/// into spill files).
final class OutputBuffers: @unchecked Sendable {
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
