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
