/// One ranked paragraph of a search result.
public struct Hit: Sendable {
  /// 1-based rank.
  public var rank: Int
  public var score: Double
  public var paragraph: IndexReader.StoredParagraph
  /// Matched spans, as character (Unicode code point) offsets into `paragraph.text`,
  /// sorted and not overlapping.
  public var highlights: [Range<Int>]
}

/// The answer to a query: how many paragraphs matched, and the best of them.
public struct SearchResult: Sendable {
  public var query: String
  /// Paragraphs that match the whole query.
  public var total: Int
  /// The top paragraphs, best first.
  public var hits: [Hit]
}

/// The ranked answer to a query before any paragraph text is read.
public struct Ranking: Sendable {
  /// Paragraphs that match the whole query.
  public var total: Int
  /// The best paragraph ids with their scores, best first (ties: lower id first).
  public var best: [(paragraph: Int, score: Double)]
}
