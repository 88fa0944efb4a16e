/// An error in a query as the user typed it.
public enum QueryError: Error, Equatable, CustomStringConvertible, Sendable {
  /// The query is empty or only whitespace.
  case empty
  /// A `"` has no closing partner.
  case unbalancedQuote
  /// A clause has no Han character, letter or digit to search for.
  case nothingSearchable(clause: String)
  /// A `-` stands alone or before nothing.
  case danglingExclusion
  /// `OR` at the start or end, doubled, or next to an excluded clause.
  case misplacedOr
  /// Every clause is excluded, so nothing is asked for.
  case onlyExclusions

  public var description: String {
    switch self {
    case .empty:
      return "the query is empty"
    case .unbalancedQuote:
      return "the query has an unbalanced quote (\"); close the phrase with another \""
    case .nothingSearchable(let clause):
      return "\"\(clause)\" has nothing to search for: no Han character, letter or digit"
    case .danglingExclusion:
      return "'-' must be followed by a clause to exclude, as in -词语"
    case .misplacedOr:
      return "OR must stand between two clauses, as in 中国 OR 美国"
    case .onlyExclusions:
      return "the query only excludes; add a clause to search for"
    }
  }
}
