/// The decoded postings of one term (or of a union of terms): paragraphs in ascending
/// order, and for each its sorted positions.
struct PostingList: Sendable {
  /// Paragraph ids, ascending.
  var paragraphs: [UInt32] = []
  /// `positions[positionStarts[i]..<positionStarts[i + 1]]` are paragraph i's positions.
  var positionStarts: [Int] = [0]
  var positions: [UInt32] = []

  var count: Int { paragraphs.count }

  /// The positions of the i-th paragraph.
  func positions(at i: Int) -> ArraySlice<UInt32> {
    positions[positionStarts[i]..<positionStarts[i + 1]]
  }

  /// The union of several lists (for a single-character query: every term that starts with
  /// the character), each paragraph's positions merged and sorted.
  static func union(_ lists: [PostingList]) -> PostingList {
    if lists.count == 1 { return lists[0] }
    var places: [UInt64] = []
    places.reserveCapacity(lists.reduce(0) { $0 + $1.positions.count })
    for list in lists {
      for i in 0..<list.count {
        let paragraph = UInt64(list.paragraphs[i]) << 32
        for position in list.positions(at: i) { places.append(paragraph | UInt64(position)) }
      }
    }
    places.sort()
    var result = PostingList()
    result.positions.reserveCapacity(places.count)
    var previous: UInt64 = .max
    for place in places {
      let paragraph = place >> 32
      if paragraph != previous {
        if previous != .max { result.positionStarts.append(result.positions.count) }
        result.paragraphs.append(UInt32(paragraph))
        previous = paragraph
      }
      result.positions.append(UInt32(truncatingIfNeeded: place))
    }
    if previous != .max { result.positionStarts.append(result.positions.count) }
    return result
  }
}
