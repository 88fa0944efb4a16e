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

  /// Adds `frequency` (above zero) to `paragraph`'s counter (which must be below `capacity`).
  @inline(__always)
  func add(_ paragraph: UInt32, _ frequency: UInt32) {
    noteTouch(paragraph)
    counts[Int(paragraph)] &+= frequency
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
    if counts[Int(paragraph)] == 0 && touchedCount < capacity {
      touchedIDs[touchedCount] = paragraph
      touchedCount += 1
    }
  }

  @inline(__always)
  func count(_ paragraph: UInt32) -> UInt32 { counts[Int(paragraph)] }

  /// The touched paragraphs, in the order first touched.
  var touched: UnsafeMutableBufferPointer<UInt32> {
    UnsafeMutableBufferPointer(start: touchedIDs, count: touchedCount)
  }

  /// Sets every touched counter back to zero.
  func clear() {
    for paragraph in touched { counts[Int(paragraph)] = 0 }
    touchedCount = 0
  }
}
