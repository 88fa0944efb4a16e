/// The answer to a query: how many paragraphs matched, and the best of them.
public struct SearchResult: Sendable {
  public var query: String
  /// Paragraphs that match the whole query.
  public var total: Int
  /// The top paragraphs, best first.
  public var hits: [Hit]
}
