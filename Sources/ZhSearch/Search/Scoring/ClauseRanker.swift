/// Ranks the paragraphs of a query of one clause in a single pass over its matches or
/// postings, keeping only the best: no match list is built for a single term.
struct ClauseRanker {
  let scoring: BM25
  /// Each paragraph's length factor under `scoring`.
  let lengthFactor: LengthFactors
  /// Paragraphs in the collection (BM25's N).
  let documentCount: Int

  /// Ranks a phrase's matches.
  func rank(_ matches: Matches, limit: Int) throws(IndexError) -> Ranking {
    let idf = scoring.idf(documentFrequency: matches.paragraphs.count, documentCount: documentCount)
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
  /// for, when the `limit`-th best of them scores above the lowest of them (then no paragraph
  /// outside them can be kept), or when they are all the character's paragraphs; nil when
  /// not (the caller ranks all).
  func rank(bestOf character: UInt32, in reader: IndexReader, limit: Int) throws(IndexError) -> Ranking? {
    guard scoring == BM25(), let (entry, union) = try reader.characterBest(character) else { return nil }
    guard limit > 0 else { return Ranking(total: union, best: []) }
    guard limit <= entry.documentFrequency else { return nil }
    let idf = scoring.idf(documentFrequency: union, documentCount: documentCount)
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

  /// Ranks the paragraphs of one list in a single pass over it.
  func rank(_ entry: TermEntry, in lists: TermLists, limit: Int) throws(IndexError) -> Ranking {
    let idf = scoring.idf(documentFrequency: entry.documentFrequency, documentCount: documentCount)
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
  /// into per-paragraph tallies, without building the match list.
  func rank(summing entries: [TermEntry], with sums: ListSums, limit: Int) throws(IndexError) -> Ranking {
    let total = try sums.sum(entries, ascending: false)
    let idf = scoring.idf(documentFrequency: total, documentCount: documentCount)
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
