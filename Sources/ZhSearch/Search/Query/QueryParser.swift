/// Turns the text a person types into a `Query`.
///
/// Grammar: clauses are separated by whitespace; a `"` opens a quoted part that runs to the
/// next `"` and may hold whitespace (`"中国 人民"`); a clause that starts with `-` is excluded;
/// the word `OR` between two clauses makes them alternatives, and binds tighter than the
/// implicit AND (`A B OR C` is A and (B or C)).
public enum QueryParser {
  private enum Item {
    case clause(String, excluded: Bool)
    case or
  }

  public static func parse(_ text: String) throws(QueryError) -> Query {
    let items = try split(text)
    if items.isEmpty { throw .empty }
    var required: [[String]] = []
    var excluded: [String] = []
    var pendingOr = false
    for (index, item) in items.enumerated() {
      switch item {
      case .or:
        guard index > 0, !pendingOr, case .clause(_, excluded: false) = items[index - 1] else {
          throw .misplacedOr
        }
        pendingOr = true
      case .clause(let clause, let isExcluded):
        if isExcluded {
          if pendingOr { throw .misplacedOr }
          excluded.append(clause)
        } else if pendingOr {
          required[required.count - 1].append(clause)
          pendingOr = false
        } else {
          required.append([clause])
        }
      }
    }
    if pendingOr { throw .misplacedOr }
    if required.isEmpty { throw .onlyExclusions }
    return Query(required: required, excluded: excluded)
  }

  private static func split(_ text: String) throws(QueryError) -> [Item] {
    var items: [Item] = []
    var current = ""
    var quoted = false
    var started = false
    var sawQuote = false
    var excluded = false
    func finish() throws(QueryError) {
      defer {
        current = ""
        (started, sawQuote, excluded) = (false, false, false)
      }
      guard started else { return }
      if excluded && current.isEmpty && !sawQuote { throw .danglingExclusion }
      if current.isEmpty { throw .nothingSearchable(clause: current) }
      if current == "OR" && !sawQuote && !excluded {
        items.append(.or)
      } else {
        items.append(.clause(current, excluded: excluded))
      }
    }
    // Scalar by scalar, so a combining mark or joiner after a quote, a dash or a space
    // cannot merge with it into one character and hide it.
    for scalar in text.unicodeScalars {
      if scalar == "\"" || scalar == "＂" {
        quoted.toggle()
        started = true
        sawQuote = true
      } else if scalar.properties.isWhitespace && !quoted {
        try finish()
      } else if scalar == "-" && !quoted && !started {
        excluded = true
        started = true
      } else {
        current.unicodeScalars.append(scalar)
        started = true
      }
    }
    if quoted { throw .unbalancedQuote }
    try finish()
    return items
  }
}
