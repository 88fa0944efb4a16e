import CICUShim

/// Per-paragraph counters for summing many lists, and the paragraphs they touched.
///
/// Counters are zero between uses: `clear()` resets the touched ones only. The memory is
/// raw, allocated once per searcher, so the hot loop (one add per posting of a frequent
/// character's lists) does no bounds, uniqueness or exclusivity checks beyond the one
/// comparison that keeps a write inside the buffer.
final class Tally {
  /// How many paragraphs there are counters for.
  let capacity: Int
  private let counts: UnsafeMutablePointer<UInt32>
  private let touchedIDs: UnsafeMutablePointer<UInt32>
  /// How many paragraphs have a counter above zero.
  private(set) var touchedCount = 0

  init(paragraphs: Int) {
    capacity = paragraphs
    counts = .allocate(capacity: max(1, paragraphs))
    counts.initialize(repeating: 0, count: max(1, paragraphs))
    touchedIDs = .allocate(capacity: max(1, paragraphs))
  }

  deinit {
    counts.deallocate()
    touchedIDs.deallocate()
  }

  /// Set when a counter would have passed `UInt32.max` (only a damaged index does that: a
  /// paragraph's positions over all lists are at most its length); the counter stays at
  /// the maximum, never wrapping to zero. Reset by `clear()`.
  private(set) var overflowed = false

  /// Adds `frequency` (above zero) to `paragraph`'s counter (which must be below `capacity`).
  @inline(__always)
  func add(_ paragraph: UInt32, _ frequency: UInt32) {
    noteTouch(paragraph)
    let (sum, overflow) = counts[Int(paragraph)].addingReportingOverflow(frequency)
    if overflow {
      counts[Int(paragraph)] = .max
      overflowed = true
    } else {
      counts[Int(paragraph)] = sum
    }
  }

  /// Adds `frequency` to `paragraph`'s counter (below `capacity`) without recording the
  /// paragraph as touched: for sums over so many postings that finding the touched
  /// paragraphs afterwards (`recordNonzero`) costs less than a branch on each counter's old
  /// value. The caller makes sure no counter wraps: the sum of everything added stays below
  /// 2^32, or what is added to one paragraph is bounded (a character's count in a paragraph
  /// built in this process is at most the paragraph's length).
  @inline(__always)
  func accumulate(_ paragraph: UInt32, _ frequency: UInt32) {
    counts[Int(paragraph)] &+= frequency
  }

  /// Records every paragraph whose counter is above zero as touched, ascending (after
  /// `accumulate`, which records none), in one pass over the counters without a branch,
  /// eight at a time where the CPU allows (`cshim_nonzero_indices`: a seventh of the
  /// instructions of one at a time).
  func recordNonzero() {
    touchedCount = Int(cshim_nonzero_indices(counts, Int64(capacity), touchedIDs))
  }

  /// Sets `paragraph`'s counter (below `capacity`) to `value` (above zero).
  @inline(__always)
  func set(_ paragraph: UInt32, _ value: UInt32) {
    noteTouch(paragraph)
    counts[Int(paragraph)] = value
  }

  /// Records `paragraph` as touched when its counter is still zero.
  @inline(__always)
  private func noteTouch(_ paragraph: UInt32) {
    // Counters never return to zero once set, so no paragraph is recorded twice and the
    // list never outgrows `capacity` (checked all the same: it is the bound of a raw write).
    if counts[Int(paragraph)] == 0 && touchedCount < capacity {
      touchedIDs[touchedCount] = paragraph
      touchedCount += 1
    }
  }

  @inline(__always)
  func count(_ paragraph: UInt32) -> UInt32 { counts[Int(paragraph)] }

  /// The counters, for loops that read many (valid while the tally lives).
  var counters: UnsafePointer<UInt32> { UnsafePointer(counts) }

  /// The touched paragraphs, in the order first touched.
  var touched: UnsafeMutableBufferPointer<UInt32> {
    UnsafeMutableBufferPointer(start: touchedIDs, count: touchedCount)
  }

  /// Puts the touched paragraphs in ascending order: by reading the counters in order when
  /// more than a sixty-fourth were touched (one pass without a branch costs less than
  /// sorting them), else by sorting.
  func sortTouched() {
    if touchedCount > capacity / 64 {
      // The touched paragraphs are exactly those whose counter is above zero.
      recordNonzero()
    } else {
      var ids = touched
      ids.sort()
    }
  }

  /// The paragraphs both ascending lists hold, as index pairs (index in `a` << 32 | index in
  /// `b`), ascending, written to `pairs` (room for as many as the longer list holds);
  /// returns how many, or nil when a paragraph lies beyond `capacity`. Both lists must be
  /// strictly ascending: only their last paragraphs are checked against `capacity`.
  ///
  /// The shorter list's indices (plus one) are set in the counters, the longer list is read
  /// once, each paragraph looked up without a branch (a merge of the two waits on every
  /// comparison to know which list to read next), and the counters set are zeroed again. The counters must be zero, and no paragraph touched.
  func commonIndices(
    _ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>, into pairs: UnsafeMutablePointer<UInt64>
  ) -> Int? {
    guard a.last.map({ Int($0) < capacity }) ?? true, b.last.map({ Int($0) < capacity }) ?? true,
      a.count < UInt32.max, b.count < UInt32.max
    else { return nil }
    let aIsShort = a.count <= b.count
    let (short, long) = aIsShort ? (a, b) : (b, a)
    let counts = self.counts
    for (i, paragraph) in short.enumerated() { counts[Int(paragraph)] = UInt32(truncatingIfNeeded: i &+ 1) }
    defer { for paragraph in short { counts[Int(paragraph)] = 0 } }
    var found = 0
    // (Each pair is written before it is known whether the paragraph is in both.)
    if aIsShort {
      for (j, paragraph) in long.enumerated() {
        let mark = counts[Int(paragraph)]
        pairs[found] = UInt64(mark &- 1) &<< 32 | UInt64(truncatingIfNeeded: j)
        found &+= mark != 0 ? 1 : 0
      }
    } else {
      for (i, paragraph) in long.enumerated() {
        let mark = counts[Int(paragraph)]
        pairs[found] = UInt64(truncatingIfNeeded: i) &<< 32 | UInt64(mark &- 1)
        found &+= mark != 0 ? 1 : 0
      }
    }
    return found
  }

  /// Sets every touched counter back to zero.
  func clear() {
    for paragraph in touched { counts[Int(paragraph)] = 0 }
    touchedCount = 0
    overflowed = false
  }
}
