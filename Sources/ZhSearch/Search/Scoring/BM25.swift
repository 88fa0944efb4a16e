#if canImport(Glibc)
  import Glibc
#endif

/// Okapi BM25, the ranking function, with Lucene's always-positive IDF.
///
/// For a clause with document frequency `n` among `N` paragraphs, matched `tf` times in a
/// paragraph of `dl` tokens (average `avgdl`):
///
///     idf   = ln(1 + (N - n + 0.5) / (n + 0.5))
///     score = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
///
/// A paragraph's score is the sum over the query's clauses it matches. zhsearch scores a
/// whole phrase as one term (its `n` and `tf` are counted from verified phrase matches,
/// as SQLite FTS5 does) instead of summing the IDFs of its correlated bigrams.
/// Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009);
/// the IDF form is Lucene's (Kamphuis et al., ECIR 2020).
public struct BM25: Sendable, Equatable {
  /// Term-frequency saturation.
  public var k1: Double
  /// Length normalization: 0 ignores paragraph length, 1 normalizes fully.
  public var b: Double

  public init(k1: Double = 1.2, b: Double = 0.75) {
    self.k1 = k1
    self.b = b
  }

  /// The inverse document frequency of a clause found in `documentFrequency` of
  /// `documentCount` paragraphs.
  public func idf(documentFrequency: Int, documentCount: Int) -> Double {
    let n = Double(documentFrequency)
    return log(1 + (Double(documentCount) - n + 0.5) / (n + 0.5))
  }

  /// The score of one clause in one paragraph.
  public func score(
    termFrequency: Int, length: Int, averageLength: Double, idf: Double
  ) -> Double {
    score(termFrequency: termFrequency, lengthFactor: lengthFactor(length: length, averageLength: averageLength), idf: idf)
  }

  /// The part of the score's denominator that depends on the paragraph alone,
  /// `k1 * (1 - b + b * dl / avgdl)`, so that it can be computed once per paragraph.
  public func lengthFactor(length: Int, averageLength: Double) -> Double {
    let norm = averageLength > 0 ? Double(length) / averageLength : 1
    return k1 * (1 - b + b * norm)
  }

  /// The score of one clause in one paragraph, given the paragraph's `lengthFactor`.
  @inline(__always)
  public func score(termFrequency: Int, lengthFactor: Double, idf: Double) -> Double {
    let tf = Double(termFrequency)
    return idf * tf * (k1 + 1) / (tf + lengthFactor)
  }
}
