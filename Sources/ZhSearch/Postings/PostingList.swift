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
}
