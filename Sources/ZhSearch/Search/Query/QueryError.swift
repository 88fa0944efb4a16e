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
      return "\"\(Self.printable(clause))\" has nothing to search for: no Han character, letter or digit"
    case .danglingExclusion:
      return "'-' must be followed by a clause to exclude, as in -词语"
    case .misplacedOr:
      return "OR must stand between two clauses, as in 中国 OR 美国"
    case .onlyExclusions:
      return "the query only excludes; add a clause to search for"
    }
  }

  /// `text` as it can be shown in one line: control characters as `\u{…}` escapes, and
  /// at most 40 characters of it.
  static func printable(_ text: String) -> String {
    var out = ""
    var count = 0
    for scalar in text.unicodeScalars {
      if count == 40 {
        out += "…"
        break
      }
      count += 1
      if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
