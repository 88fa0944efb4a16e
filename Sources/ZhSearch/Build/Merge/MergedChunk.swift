/// What the merge of one chunk gives the dictionary: its entries, in key order, its words'
/// bytes, and its totals.
struct MergedChunk: Sendable {
  var entries: [(key: UInt64, documentFrequency: Int, occurrences: Int, docsLength: Int, positionsLength: Int)] = []
  /// The words' bytes, one after another, and where each one ends among them.
  var wordBytes: [UInt8] = []
  var wordEnds: [Int] = []
  var postings = 0
  var occurrences = 0
}
