/// The cursors of one merge thread, one per scratch run in run order, reached by index.
///
/// The list owns its cursors, stored in place in memory of its own (written runs' and runs
/// in memory's apart): the merge reads and moves them for every term and run, and reaching
/// a value in place costs no reference counting, where reaching an object would retain and
/// release it each time.
final class CursorList {
  /// Where cursor `i` is: among the written runs' cursors or the in-memory runs'.
  private enum Slot {
    case written(Int)
    case memory(Int)
  }

  private let slots: [Slot]
  private let written: UnsafeMutableBufferPointer<WrittenRunCursor>
  private let inMemory: UnsafeMutableBufferPointer<MemoryRunCursor>
  /// Whether every run is in memory (none was read back from disk).
  let allInMemory: Bool

  /// The cursors of the runs in order, each a written run's or a run in memory's.
  init(_ cursors: [Either]) {
    var slots: [Slot] = []
    var (written, inMemory): ([WrittenRunCursor], [MemoryRunCursor]) = ([], [])
    for cursor in cursors {
      switch cursor {
      case .written(let cursor):
        slots.append(.written(written.count))
        written.append(cursor)
      case .memory(let cursor):
        slots.append(.memory(inMemory.count))
        inMemory.append(cursor)
      }
    }
    self.slots = slots
    allInMemory = written.isEmpty
    self.written = .allocate(capacity: written.count)
    _ = self.written.initialize(from: written)
    self.inMemory = .allocate(capacity: inMemory.count)
    _ = self.inMemory.initialize(from: inMemory)
  }

  deinit {
    written.deinitialize().deallocate()
    inMemory.deinitialize().deallocate()
  }

  /// A cursor handed to `init`.
  enum Either {
    case written(WrittenRunCursor)
    case memory(MemoryRunCursor)
  }

  var indices: Range<Int> { slots.indices }

  @inline(__always)
  func isDone(_ i: Int) -> Bool {
    switch slots[i] {
    case .written(let j): return written[j].isDone
    case .memory(let j): return inMemory[j].isDone
    }
  }

  @inline(__always)
  func key(_ i: Int) -> UInt64 {
    switch slots[i] {
    case .written(let j): return written[j].key
    case .memory(let j): return inMemory[j].key
    }
  }

  @inline(__always)
  func advance(_ i: Int) {
    switch slots[i] {
    case .written(let j): written[j].advance()
    case .memory(let j): inMemory[j].advance()
    }
  }

  /// The current term's document frequency and occurrences in cursor `i`'s run.
  @inline(__always)
  func counts(_ i: Int) -> (Int, Int) {
    switch slots[i] {
    case .written(let j): return (written[j].documentFrequency, written[j].occurrences)
    case .memory(let j): return (inMemory[j].documentFrequency, inMemory[j].occurrences)
    }
  }

  /// The folded bytes of cursor `i`'s current word (its current key must be a word's).
  @inline(__always)
  func word(_ i: Int) -> UnsafeRawBufferPointer {
    switch slots[i] {
    case .written(let j): return written[j].word
    case .memory(let j): return inMemory[j].word
    }
  }

  /// The postings of character `character`'s terms in cursor `i`'s run (see
  /// `RunCursor.postings(ofCharacter:)`).
  func postings(ofCharacter character: UInt64, in i: Int) -> Int {
    switch slots[i] {
    case .written(let j): return written[j].postings(ofCharacter: character)
    case .memory(let j): return inMemory[j].postings(ofCharacter: character)
    }
  }

  /// About the terms left before the limits, in all.
  var termsLeft: Int {
    written.reduce(0) { $0 + $1.termsLeft } + inMemory.reduce(0) { $0 + $1.termsLeft }
  }

  /// Whether cursor `i`'s current term sorts before cursor `j`'s: Han keys first, in key
  /// order, then words in byte order (keys compare as integers unless both are words,
  /// whose ranks are their run's).
  @inline(__always)
  func precedes(_ i: Int, _ j: Int) -> Bool {
    let keyA = key(i)
    let keyB = key(j)
    let wordA = keyA & TermKey.wordFlag != 0
    let wordB = keyB & TermKey.wordFlag != 0
    if !wordA || !wordB { return wordA == wordB ? keyA < keyB : !wordA }
    return word(i).lexicographicallyPrecedes(word(j))
  }

  /// The current term's records in a run in memory, and its paragraph 0, when they are all
  /// packed (the common case); nil otherwise.
  @inline(__always)
  func packedRecords(_ i: Int) -> (UnsafeBufferPointer<UInt64>, Range<Int>, UInt64)? {
    guard case .memory(let j) = slots[i] else { return nil }
    return inMemory[j].packedOnly
  }

  /// Encodes the current term's postings in cursor `i`'s run (see the cursors'
  /// `encodeTerm`).
  @inline(__always)
  func encodeTerm(
    _ i: Int, list: inout DocEncoder, docBits: inout BitAppender, skips: inout ByteBuffer,
    positions: inout PositionAppender
  ) throws(IndexError) {
    switch slots[i] {
    case .written(let j): try written[j].encodeTerm(list: &list, docBits: &docBits, skips: &skips, positions: &positions)
    case .memory(let j): try inMemory[j].encodeTerm(list: &list, docBits: &docBits, skips: &skips, positions: &positions)
    }
  }
}
