/// A term's entry in the dictionary: where its postings are and how many there are.
struct TermEntry: Equatable, Sendable {
  var key: UInt64
  /// Byte range of the term's paragraph list in the `docs` payload (for a character's best
  /// paragraphs, after the header that precedes the list: see `IndexFormat`).
  var docsRange: Range<Int>
  /// Byte range of the term's positions in the `positions` payload.
  var positionsRange: Range<Int>
  /// Paragraphs that contain the term.
  var documentFrequency: Int
  /// Positions of the term, over all paragraphs.
  var occurrences: Int
}
