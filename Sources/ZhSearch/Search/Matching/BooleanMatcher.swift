/// Combines the matches of a query's phrases: one phrase of every group (OR within a group,
/// AND across groups), and none of the excluded phrases.
struct BooleanMatcher {
  let matcher: PhraseMatcher
  /// A bit per paragraph for intersecting a short list with a long one, all clear between uses.
  let marks: ParagraphMarks

  /// The paragraphs (ascending) that match one clause of every group and no excluded clause,
  /// and every clause's matches (a clause typed twice is there twice: each adds its score).
  func evaluate(_ plan: QueryPlan) throws(IndexError) -> (paragraphs: [UInt32], clauses: [Matches]) {
    matcher.termLists.forgetDecoded()
    defer { matcher.termLists.forgetDecoded() }
    var clauses: [Matches] = []
    var matched: [UInt32]? = nil
    // A clause typed twice is matched once.
    var known: [String: Matches] = [:]
    for group in plan.groups {
      var union: [UInt32] = []
      for phrase in group {
        let matches: Matches
        if let seen = known[phrase.text] {
          matches = seen
        } else {
          matches = try matcher.matches(of: phrase)
          known[phrase.text] = matches
        }
        clauses.append(matches)
        union = group.count == 1 ? matches.paragraphs : SortedSets.union(union, matches.paragraphs)
      }
      matched = matched.map { marks.intersect($0, union) } ?? union
    }
    var paragraphs = matched ?? []
    for phrase in plan.excluded where !paragraphs.isEmpty {
      paragraphs = SortedSets.difference(paragraphs, try matcher.matches(of: phrase).paragraphs)
    }
    return (paragraphs, clauses)
  }
}
