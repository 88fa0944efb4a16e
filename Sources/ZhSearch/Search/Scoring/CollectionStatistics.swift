/// The collection-wide numbers BM25 weighs a clause by: how many paragraphs there are, their
/// average length, and how many paragraphs hold the clause.
///
/// Scoring reads them only through this type. One index's own (`init(reader:)`) are its
/// counts; several indexes searched as one would share a value holding the sums of theirs,
/// with each clause's summed document frequency in `documentFrequencies`, so that a paragraph
/// scores the same whichever index holds it (as Lucene's `IndexSearcher.termStatistics` and
/// tantivy's `Bm25StatisticsProvider` allow).
public struct CollectionStatistics: Sendable, Equatable {
  /// Paragraphs in the collection (BM25's N).
  public var paragraphCount: Int
  /// The sum of all paragraph lengths, in tokens.
  public var totalLength: Int
  /// Document frequencies by clause (as typed in the query) that replace the number of
  /// paragraphs holding the clause in the index searched; empty for one index's own.
  public var documentFrequencies: [String: Int]

  public init(paragraphCount: Int, totalLength: Int, documentFrequencies: [String: Int] = [:]) {
    self.paragraphCount = paragraphCount
    self.totalLength = totalLength
    self.documentFrequencies = documentFrequencies
  }

  /// One index's own statistics.
  public init(reader: IndexReader) {
    self.init(paragraphCount: reader.paragraphCount, totalLength: reader.totalLength)
  }

  /// The average paragraph length in tokens (BM25's avgdl); 0 for no paragraphs.
  public var averageLength: Double {
    paragraphCount == 0 ? 0 : Double(totalLength) / Double(paragraphCount)
  }

  /// How many paragraphs of the collection hold `clause`, given that `counted` paragraphs of
  /// the index searched do.
  @inline(__always)
  public func documentFrequency(of clause: String, counted: Int) -> Int {
    documentFrequencies.isEmpty ? counted : documentFrequencies[clause] ?? counted
  }

  /// The IDF of `clause` under `scoring`, given that `counted` paragraphs of the index
  /// searched hold it.
  func idf(of clause: String, counted: Int, scoring: BM25) -> Double {
    scoring.idf(documentFrequency: documentFrequency(of: clause, counted: counted), documentCount: paragraphCount)
  }
}
