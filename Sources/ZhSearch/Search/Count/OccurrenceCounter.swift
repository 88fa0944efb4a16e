/// Counts a query's occurrences in the paragraphs it matches, from the match starts the
/// phrase matcher finds through the index's positions (no text is read for a phrase without
/// separators).
///
/// An occurrence of a clause is a leftmost non-overlapping match in the paragraph's folded
/// text, as `grep -o` counts: `哈哈` occurs once in `哈哈哈`. A paragraph's occurrences are
/// the sum over the query's distinct positive clauses (the same folded text typed twice
/// counts once) of each clause's occurrences there: `脱贫 OR 扶贫` counts both, and a
/// paragraph holding `脱贫攻坚` counts 2 for `脱贫 攻坚`. Excluded clauses only remove
/// paragraphs. Only a phrase that can overlap itself (one with a period shorter than its
/// length, such as `哈哈`) needs each match's start; any other phrase's matches cannot overlap,
/// so the frequencies matching yields are the counts.
struct OccurrenceCounter {
  let boolean: BooleanMatcher

  func occurrences(of plan: QueryPlan, in scope: ParagraphScope?) throws(IndexError) -> Occurrences {
    let (matched, clauses) = try boolean.evaluate(plan)
    let paragraphs = scope?.filter(matched) ?? matched
    var counts = [UInt32](repeating: 0, count: paragraphs.count)
    let matcher = boolean.matcher
    matcher.termLists.forgetDecoded()
    defer { matcher.termLists.forgetDecoded() }
    var seen = Set<[UInt32]>()
    for (phrase, matches) in zip(plan.scoredPhrases, clauses) where seen.insert(phrase.foldedScalars).inserted {
      let counted = Self.canOverlap(phrase.foldedScalars)
        ? try matcher.matches(of: phrase, minimumGap: UInt32(phrase.foldedScalars.count)) : matches
      // Both ascending: the clause's paragraphs hold every matching paragraph it occurs in.
      var j = 0
      for (i, paragraph) in paragraphs.enumerated() {
        while j < counted.paragraphs.count && counted.paragraphs[j] < paragraph { j += 1 }
        if j < counted.paragraphs.count && counted.paragraphs[j] == paragraph {
          counts[i] = counts[i].addingReportingOverflow(counted.frequencies[j]).overflow
            ? .max : counts[i] + counted.frequencies[j]
        }
      }
    }
    return Occurrences(paragraphs: paragraphs, counts: counts)
  }

  /// Whether two matches of `scalars` can overlap: whether it has a period shorter than its
  /// length (a proper prefix that is also a suffix).
  static func canOverlap(_ scalars: [UInt32]) -> Bool {
    let n = scalars.count
    guard n > 1 else { return false }
    for period in 1..<n where (0..<(n - period)).allSatisfy({ scalars[$0] == scalars[$0 + period] }) {
      return true
    }
    return false
  }
}
