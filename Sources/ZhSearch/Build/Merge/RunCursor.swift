/// A read position in one scratch run, from a chunk's first key to its limit: a run written
/// to the scratch folder (`WrittenRunCursor`) or a worker's records kept in memory
/// (`MemoryRunCursor`). `CursorList` holds a merge thread's cursors, one per run.
protocol RunCursor {
  /// The current term's key; `UInt64.max` past the run's last term.
  var key: UInt64 { get }
  /// Terms at or above this key are left to another chunk.
  var limit: UInt64 { get }
  /// The current term's paragraphs and occurrences in this run.
  var documentFrequency: Int { get }
  var occurrences: Int { get }
  /// The global id of the run's worker's paragraph 0.
  var base: UInt64 { get }
  /// The run's words, by rank.
  var words: WordTable { get }
  /// About the terms left before the limit, to reserve room for them.
  var termsLeft: Int { get }

  /// Moves to the next term.
  mutating func advance()

  /// How many paragraphs the terms of character `character` from the current one on hold
  /// in all (each term's own count, summed), up to the limit: the current term must be the
  /// character's first, or later.
  func postings(ofCharacter character: UInt64) -> Int
}

extension RunCursor {
  /// Whether the cursor has passed its chunk's last term.
  @inline(__always)
  var isDone: Bool { key >= limit }

  /// The folded bytes of the current word (the current key must be a word's).
  @inline(__always)
  var word: UnsafeRawBufferPointer { words.word(rank: Int(key & ~TermKey.wordFlag)) }
}
