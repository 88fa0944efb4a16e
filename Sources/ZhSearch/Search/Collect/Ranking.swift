/// The ranked answer to a query before any paragraph text is read.
public struct Ranking: Sendable {
  /// Paragraphs that match the whole query.
  public var total: Int
  /// The best paragraph ids with their scores, best first (ties: lower id first).
  public var best: [(paragraph: Int, score: Double)]
}
