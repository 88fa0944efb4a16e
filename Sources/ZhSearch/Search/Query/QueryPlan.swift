/// A parsed query made ready to run: every clause analyzed into a `Phrase` (its terms and
/// their offsets), kept in the query's groups and exclusions.
struct QueryPlan {
  /// A paragraph must match one phrase of every group.
  let groups: [[Phrase]]
  /// A paragraph that matches any of these is left out.
  let excluded: [Phrase]

  /// Plans `query`, analyzing its clauses with `analyzer` (the one the index was built with).
  init(_ query: Query, analyzer: Analyzer) throws(QueryError) {
    groups = try query.required.map { group throws(QueryError) in
      try group.map { clause throws(QueryError) in try Phrase(clause, analyzer: analyzer) }
    }
    excluded = try query.excluded.map { clause throws(QueryError) in
      try Phrase(clause, analyzer: analyzer)
    }
  }

  /// The phrase of a query of one clause and no exclusion, which fast paths rank alone.
  var singlePhrase: Phrase? {
    excluded.isEmpty && groups.count == 1 && groups[0].count == 1 ? groups[0][0] : nil
  }

  /// Whether every paragraph that matches holds every phrase (no group has alternatives).
  var allPhrasesEverywhere: Bool { groups.allSatisfy { $0.count == 1 } }

  /// The phrases that add to a paragraph's score and are highlighted, in query order.
  var scoredPhrases: [Phrase] { groups.flatMap { $0 } }
}
