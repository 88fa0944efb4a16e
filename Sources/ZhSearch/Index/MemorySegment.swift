/// A worker's records kept in memory for the merge instead of written as a segment: sorted by
/// term (see `RecordSink`), with its words in rank order and a table of its terms, in key
/// order, with where each one's records are. Read-only once made.
final class MemorySegment: @unchecked Sendable {
  let packed: RecordBuffer
  let overflowPlaces: RecordBuffer
  /// The worker-local id of the segment's first paragraph.
  let segmentBase: UInt64
  /// Each term's key, in key order.
  let keys: UnsafeBufferPointer<UInt64>
  /// Where each term's records end in `packed` (high half) and in the overflow stream (low
  /// half); they start where the previous term's end.
  private let ends: UnsafeBufferPointer<UInt64>
  /// How many paragraphs each term is found in. With `keys` and `ends`, 20 bytes a term.
  let documentFrequencies: UnsafeBufferPointer<UInt32>
  /// The words in rank order, laid out as a written segment's `.words` file
  /// (`SegmentBuilder.wordTable`), in memory of its own so that it never moves.
  let wordTable: UnsafeMutableRawBufferPointer

  /// Whether `records` can be kept in memory (their counts fit the term table's halves).
  static func canHold(_ records: RecordSink) -> Bool {
    records.packed.count <= Int(UInt32.max) && records.overflowPlaces.count <= Int(UInt32.max)
  }

  /// A segment of `records`, sorted by key, whose words have the ranks of `words`. It takes
  /// over the records' sorted buffer.
  init(_ records: RecordSink, words: [String]) {
    packed = records.sorted
    overflowPlaces = RecordBuffer(capacity: records.overflowPlaces.count)
    for place in records.overflowPlaces { overflowPlaces.append(place) }
    segmentBase = records.segmentBase
    let table = SegmentBuilder.wordTable(words)
    wordTable = .allocate(byteCount: table.count, alignment: 4)
    wordTable.copyBytes(from: table)
    // The table is written straight into memory of its own, sized by a first count of the
    // keys (growing arrays would copy them again and again, into fresh memory).
    let bound = records.termCountBound
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, bound))
    let ends = UnsafeMutablePointer<UInt64>.allocate(capacity: max(1, bound))
    let frequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, bound))
    var count = 0
    let (packedRecords, overflow, base) = (packed.records, overflowPlaces.records, segmentBase)
    records.forEachTerm { key, inPacked, inOverflow, packedParagraphs in
      precondition(count < bound, "more terms than keys")
      keys[count] = key
      ends[count] = UInt64(inPacked.upperBound) << 32 | UInt64(inOverflow.upperBound)
      // Counted in the same pass when every record is packed (nearly every term).
      frequencies[count] =
        inOverflow.isEmpty
        ? UInt32(packedParagraphs)
        : Self.documentFrequency(packedRecords, inPacked, overflow, inOverflow, segmentBase: base)
      count += 1
    }
    self.keys = UnsafeBufferPointer(start: keys, count: count)
    self.ends = UnsafeBufferPointer(start: ends, count: count)
    documentFrequencies = UnsafeBufferPointer(start: frequencies, count: count)
  }

  deinit {
    wordTable.deallocate()
    keys.deallocate()
    ends.deallocate()
    documentFrequencies.deallocate()
  }


  /// Where term `index`'s records are in `packed` and in the overflow stream.
  @inline(__always)
  func records(of index: Int) -> (inPacked: Range<Int>, inOverflow: Range<Int>) {
    let start = index == 0 ? 0 : ends[index - 1]
    let end = ends[index]
    return (Int(start >> 32)..<Int(end >> 32), Int(start & 0xFFFF_FFFF)..<Int(end & 0xFFFF_FFFF))
  }

  /// How many paragraphs a term with records in both streams is in: the places of its two
  /// runs, merged in order, change paragraph once per paragraph.
  private static func documentFrequency(
    _ packed: UnsafeBufferPointer<UInt64>, _ inPacked: Range<Int>, _ overflow: UnsafeBufferPointer<UInt64>,
    _ inOverflow: Range<Int>, segmentBase: UInt64
  ) -> UInt32 {
    var count: UInt32 = 0
    var places = PlaceIterator(inPacked, inOverflow, segmentBase: segmentBase)
    var previous = UInt64.max
    while let place = places.next(packed, overflow) {
      if place >> 32 != previous {
        count += 1
        previous = place >> 32
      }
    }
    return count
  }
}

/// The places of one term's records, from its run in the packed stream and its run in the
/// overflow stream, merged in order. It holds indices into the two arrays only: each step
/// is given the arrays, so copying an iterator (to look ahead) costs no reference counting.
struct PlaceIterator {
  private var a: Int
  private let aEnd: Int
  private var b: Int
  private let bEnd: Int
  private let segmentBase: UInt64

  /// Whether every place is in the packed stream.
  var isPackedOnly: Bool { b == bEnd }
  /// The packed records still to come.
  var packedRange: Range<Int> { a..<aEnd }

  init(_ inPacked: Range<Int>, _ inOverflow: Range<Int>, segmentBase: UInt64) {
    (a, aEnd, b, bEnd) = (inPacked.lowerBound, inPacked.upperBound, inOverflow.lowerBound, inOverflow.upperBound)
    self.segmentBase = segmentBase
  }

  /// The next place, from the packed records `packed` and the overflow places `overflow`.
  @inline(__always)
  mutating func next(_ packed: UnsafeBufferPointer<UInt64>, _ overflow: UnsafeBufferPointer<UInt64>) -> UInt64? {
    if a < aEnd {
      let fromPacked = RecordSink.place(ofPacked: packed[a], segmentBase: segmentBase)
      if b < bEnd && overflow[b] < fromPacked {
        b += 1
        return overflow[b - 1]
      }
      a += 1
      return fromPacked
    }
    guard b < bEnd else { return nil }
    b += 1
    return overflow[b - 1]
  }
}
