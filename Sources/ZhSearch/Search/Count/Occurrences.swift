/// The paragraphs that match a query, ascending, and how many occurrences of its positive
/// clauses each holds (see `OccurrenceCounter` for what counts as one).
public struct Occurrences: Sendable, Equatable {
  public var paragraphs: [UInt32] = []
  /// `counts[i]`: the occurrences in `paragraphs[i]`.
  public var counts: [UInt32] = []

  public init(paragraphs: [UInt32] = [], counts: [UInt32] = []) {
    self.paragraphs = paragraphs
    self.counts = counts
  }

  /// All the occurrences.
  public var total: Int { counts.reduce(0) { $0 + Int($1) } }
}
