/// Ranks the paragraphs that match a query of several clauses, skipping those that cannot
/// reach the best (Turtle and Flood, "Query evaluation: strategies and optimizations", 1995).
enum MaxScore {
  /// The best `limit` of `paragraphs` (ascending) by BM25 under `scoring`, each clause scored
  /// with its IDF in `idfs` and the scores summed in clause order.
  ///
  /// When some paragraph may hold only some clauses (`allClausesEverywhere` false: an OR),
  /// MaxScore: a clause adds at most its IDF times k1 + 1, so the clauses are taken from the
  /// highest such bound down, each scoring the paragraphs it holds that no clause before it
  /// held; once the lowest score kept passes the sum of the bounds of the clauses left, no
  /// paragraph still unscored can be kept, and the rest (often most of an OR of a rare and a
  /// frequent term) is only counted.
  static func best(
    of paragraphs: [UInt32], clauses: [Matches], idfs: [Double], allClausesEverywhere: Bool, limit: Int,
    scoring: BM25, lengthFactor: LengthFactors
  ) throws(IndexError) -> [TopScores.Entry] {
    var best = TopScores(limit: limit)
    guard limit > 0, !paragraphs.isEmpty else { return best.entries }
    let count = paragraphs.count
    // Scratch for the paragraphs scored in one pass: their ids, length factors and scores.
    let candidates = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
    let factors = UnsafeMutablePointer<Double>.allocate(capacity: count)
    let scores = UnsafeMutablePointer<Double>.allocate(capacity: count)
    defer {
      candidates.deallocate()
      factors.deallocate()
      scores.deallocate()
    }
    /// Scores the first `n` candidates over every clause and offers them.
    func score(_ n: Int) throws(IndexError) {
      for i in 0..<n {
        factors[i] = try lengthFactor(Int(candidates[i]))
        scores[i] = 0
      }
      // Each clause's score added in clause order: its list and the candidates, both
      // ascending, walked together.
      for (c, clause) in clauses.enumerated() {
        let idf = idfs[c]
        clause.paragraphs.withUnsafeBufferPointer { clauseParagraphs in
          clause.frequencies.withUnsafeBufferPointer { frequencies in
            var (i, j) = (0, 0)
            while i < n && j < clauseParagraphs.count {
              if candidates[i] < clauseParagraphs[j] {
                i += 1
              } else if candidates[i] > clauseParagraphs[j] {
                j += 1
              } else {
                scores[i] += scoring.score(termFrequency: Int(frequencies[j]), lengthFactor: factors[i], idf: idf)
                i += 1
                j += 1
              }
            }
          }
        }
      }
      for i in 0..<n { best.insert(Int(candidates[i]), scores[i]) }
    }
    if allClausesEverywhere || limit > 64 {
      // Every paragraph is scored: in one pass.
      _ = UnsafeMutableBufferPointer(start: candidates, count: count).initialize(from: paragraphs)
      try score(count)
      return best.entries
    }
    let bounds = idfs.map { $0 * (scoring.k1 + 1) }
    let order = clauses.indices.sorted { bounds[$0] > bounds[$1] }
    let scored = UnsafeMutablePointer<Bool>.allocate(capacity: count)
    scored.initialize(repeating: false, count: count)
    defer { scored.deallocate() }
    for (rank, first) in order.enumerated() {
      // (With a margin for the rounding of the sums.)
      let left = order[rank...].reduce(0.0) { $0 + bounds[$1] }
      if left * (1 + 1e-9) < best.threshold { break }
      // The paragraphs of clause `first` not scored yet.
      var n = 0
      clauses[first].paragraphs.withUnsafeBufferPointer { own in
        paragraphs.withUnsafeBufferPointer { paragraphs in
          var j = 0
          for i in 0..<count where !scored[i] {
            let paragraph = paragraphs[i]
            while j < own.count && own[j] < paragraph { j += 1 }
            if j < own.count && own[j] == paragraph {
              scored[i] = true
              candidates[n] = paragraph
              n += 1
            }
          }
        }
      }
      try score(n)
    }
    return best.entries
  }
}
