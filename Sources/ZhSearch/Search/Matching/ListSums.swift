/// Sums the frequencies of several lists (a single character's: every term that starts with
/// it) per paragraph, in a `Tally`, without merging the lists.
struct ListSums {
  let reader: IndexReader
  let tally: Tally

  /// Sums the frequencies of several lists (a single character's) per paragraph in the
  /// tally, and returns how many paragraphs they hold; `drainSums` then reads the sums,
  /// with the paragraphs `ascending` or in any order.
  ///
  /// Few postings are added with their paragraphs recorded; many (from a sixteenth of the
  /// paragraphs on) are added blindly, and the paragraphs found by reading every counter
  /// once: a branch on each counter's old value costs more, as it waits on the counter's
  /// cache miss and often mispredicts.
  func sum(_ entries: [TermEntry], ascending: Bool) throws(IndexError) -> Int {
    let postings = entries.reduce(0) { $0 + $1.documentFrequency }
    let occurrences = entries.reduce(0) { $0 + $1.occurrences }
    let dense = postings >= tally.capacity / 16 && occurrences <= Int(UInt32.max)
    do {
      if dense {
        // Lists of similar length two at a time, decoded in lockstep; short ones alone
        // (pairing them would cost more than it saves).
        let capacity = tally.capacity
        let add = { (paragraphs: UnsafeMutablePointer<UInt32>, frequencies: UnsafeMutablePointer<UInt32>, count: Int) throws(IndexError) in
          // Ascending: the last is the largest.
          guard count == 0 || Int(paragraphs[count - 1]) < capacity else {
            throw .corrupt(file: "docs", detail: "paragraph beyond the index")
          }
          for i in 0..<count { tally.accumulate(paragraphs[i], frequencies[i]) }
        }
        let long = entries.filter { $0.documentFrequency >= DocIterator.chunkSize }.sorted { $0.documentFrequency > $1.documentFrequency }
        for pair in stride(from: 0, to: long.count - 1, by: 2) {
          var (a, b) = (try reader.docIterator(long[pair]), try reader.docIterator(long[pair + 1]))
          try DocIterator.decodeAll(&a, &b) { (paragraphs, frequencies, count, _) throws(IndexError) in
            try add(paragraphs, frequencies, count)
          }
          try a.checkFrequencySum()
          try b.checkFrequencySum()
        }
        // The odd long list out, and the short ones, alone (into one buffer).
        let alone = (long.count % 2 == 1 ? [long[long.count - 1]] : []) + entries.filter { $0.documentFrequency < DocIterator.chunkSize }
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * DocIterator.chunkSize) { (buffer) throws(IndexError) in
          for entry in alone {
            var docs = try reader.docIterator(entry)
            try docs.decodeAll(into: buffer.baseAddress!, buffer.baseAddress! + DocIterator.chunkSize, add)
            try docs.checkFrequencySum()
          }
        }
      } else {
        for entry in entries {
          var docs = try reader.docIterator(entry)
          try docs.addAll(to: tally)
        }
      }
    } catch {
      tally.recordNonzero()
      tally.clear()
      throw error
    }
    if dense {
      tally.recordNonzero()
    } else {
      guard !tally.overflowed else {
        tally.clear()
        throw .corrupt(file: "docs", detail: "frequencies too large for one paragraph")
      }
      if ascending { tally.sortTouched() }
    }
    return tally.touchedCount
  }

  /// Calls `body` with each paragraph summed by `sum`, and its sum, then clears
  /// the tally.
  func drainSums(_ body: (UInt32, UInt32) throws(IndexError) -> Void) throws(IndexError) {
    defer { tally.clear() }
    for paragraph in tally.touched { try body(paragraph, tally.count(paragraph)) }
  }

  /// The paragraphs of several terms' lists (a single character's), with summed
  /// frequencies, decoded straight into per-paragraph tallies.
  func matches(_ entries: [TermEntry]) throws(IndexError) -> Matches {
    var result = Matches()
    let count = try sum(entries, ascending: true)
    result.paragraphs.reserveCapacity(count)
    result.frequencies.reserveCapacity(count)
    try drainSums { paragraph, frequency in
      result.paragraphs.append(paragraph)
      result.frequencies.append(frequency)
    }
    return result
  }
}
