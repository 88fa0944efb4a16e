import ZhSearch

/// A line on standard error for a query whose words mean something else here than in other
/// search tools: said, not refused, since each is also text a paragraph may hold.
enum QueryHint {
  /// Clauses longer than this many characters, or holding a sentence end, are read as
  /// one exact phrase that few paragraphs hold.
  static let sentenceLength = 16

  /// The hint for `query`, from its clauses as the parser read them (a quoted `"脱贫 AND"` is
  /// a phrase like any other).
  static func hint(for query: Query) -> String? {
    let clauses = query.positiveClauses + query.excluded
    if clauses.contains("AND") {
      return "AND is searched as a word; clauses separated by spaces must all match already"
    }
    if clauses.contains(where: { $0 == "or" || $0 == "Or" }) {
      return "'or' is searched as a word; write OR, in capitals, for either of two clauses"
    }
    if clauses.contains(where: { $0.contains("*") }) {
      return "'*' is not a wildcard: each clause is an exact phrase, and a character finds every word that holds it"
    }
    let sentenceMarks: Set<Character> = ["。", "？", "！", "?", "!"]
    if clauses.contains(where: { $0.count > sentenceLength || $0.contains(where: sentenceMarks.contains) }) {
      return "a long clause or sentence is searched as one exact phrase; separate words by spaces to find paragraphs that hold them all"
    }
    return nil
  }
}
