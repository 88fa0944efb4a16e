/// Ranks the paragraphs of a query of one clause in a single pass over its matches or
/// postings, keeping only the best: no match list is built for a single term.
struct ClauseRanker {
  let scoring: BM25
  /// Each paragraph's length factor under `scoring`.
  let lengthFactor: LengthFactors
  /// The paragraph count, average length and document frequencies scores are computed with.
  let statistics: CollectionStatistics

  /// Ranks the matches of `clause`.
  func rank(_ matches: Matches, of clause: String, limit: Int) throws(IndexError) -> Ranking {
    let idf = statistics.idf(of: clause, counted: matches.paragraphs.count, scoring: scoring)
    let numerator = idf * (scoring.k1 + 1)
    let lengthFactor = self.lengthFactor
    var best = TopScores(limit: limit)
    for (paragraph, frequency) in zip(matches.paragraphs, matches.frequencies) {
      best.offer(
        paragraph, frequency, lengthFactor: try lengthFactor(Int(paragraph)), scoring: scoring, idf: idf, numerator: numerator)
    }
    return Ranking(total: matches.paragraphs.count, best: best.entries)
  }

  /// Ranks a single character from its best paragraphs (see `IndexFormat`) alone, when that
  /// is provably the answer of ranking all its paragraphs: under the scoring they were chosen
  /// for (the default BM25 and the index's own statistics), when the `limit`-th best of them scores above the lowest of them (then no paragraph
  /// outside them can be kept), or when they are all the character's paragraphs; nil when
  /// not (the caller ranks all).
  func rank(bestOf character: UInt32, clause: String, in reader: IndexReader, limit: Int) throws(IndexError) -> Ranking? {
    guard scoring == BM25(), statistics == CollectionStatistics(reader: reader),
      let (entry, union) = try reader.characterBest(character)
    else { return nil }
    guard limit > 0 else { return Ranking(total: union, best: []) }
    guard limit <= entry.documentFrequency else { return nil }
    let idf = statistics.idf(of: clause, counted: union, scoring: scoring)
    let lengthFactor = self.lengthFactor
    var best = TopScores(limit: limit)
    var lowest = Double.infinity
    var docs = try reader.docIterator(entry)
    try docs.decodeAll { (paragraphs, frequencies, count) throws(IndexError) in
      for i in 0..<count {
        let score = scoring.score(
          termFrequency: Int(frequencies[i]), lengthFactor: try lengthFactor(Int(paragraphs[i])), idf: idf)
        lowest = min(lowest, score)
        best.insert(Int(paragraphs[i]), score)
      }
    }
    let kept = best.entries
    // (The margin covers the rounding of r at index time against that of the scores here.)
    guard entry.documentFrequency == union || (kept.count == limit && kept[limit - 1].score > lowest * (1 + 1e-9))
    else { return nil }
    return Ranking(total: union, best: kept)
  }

  /// Ranks the paragraphs of one list, the postings of `clause`, in a single pass over it.
  func rank(_ entry: TermEntry, of clause: String, in lists: TermLists, limit: Int) throws(IndexError) -> Ranking {
    let idf = statistics.idf(of: clause, counted: entry.documentFrequency, scoring: scoring)
    let numerator = idf * (scoring.k1 + 1)
    let lengthFactor = self.lengthFactor
    var best = TopScores(limit: limit)
    // The order in which postings come does not matter: the best are kept by score, then
    // paragraph.
    try lists.forEachChunk(of: entry) { (paragraphs, frequencies, count) throws(IndexError) in
      for i in 0..<count {
        best.offer(
          paragraphs[i], frequencies[i], lengthFactor: try lengthFactor(Int(paragraphs[i])), scoring: scoring, idf: idf,
          numerator: numerator)
      }
    }
    return Ranking(total: entry.documentFrequency, best: best.entries)
  }

  /// Ranks the paragraphs of several lists (a single character's), their frequencies summed
  /// into per-paragraph tallies (the postings of `clause`), without building the match list.
  func rank(summing entries: [TermEntry], of clause: String, with sums: ListSums, limit: Int) throws(IndexError) -> Ranking {
    let total = try sums.sum(entries, ascending: false)
    let idf = statistics.idf(of: clause, counted: total, scoring: scoring)
    let numerator = idf * (scoring.k1 + 1)
    let lengthFactor = self.lengthFactor
    var best = TopScores(limit: limit)
    try sums.drainSums { (paragraph, frequency) throws(IndexError) in
      best.offer(
        paragraph, frequency, lengthFactor: try lengthFactor(Int(paragraph)), scoring: scoring, idf: idf, numerator: numerator)
    }
    return Ranking(total: total, best: best.entries)
  }
}
