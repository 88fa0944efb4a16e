import CICUShim

/// Runs queries against an index: exact phrase matching through positions, BM25 ranking,
/// and highlights.
///
/// A query is planned (`QueryPlan`: each clause analyzed into a phrase's terms), matched
/// (`PhraseMatcher` finds each phrase's paragraphs and how often each holds it;
/// `BooleanMatcher` combines them: OR within a group, AND across groups, exclusions removed)
/// and scored (`MaxScore` over the clauses, each scored by BM25 as one term). A query of
/// one clause takes a fast path (`ClauseRanker`) that ranks its matches or its term's
/// postings in one pass. Not thread-safe: give each thread its own searcher.
public final class Searcher {
  public let reader: IndexReader
  public var scoring: BM25 {
    didSet { lengthFactor = LengthFactors(reader: reader, scoring: scoring, statistics: statistics) }
  }
  /// The paragraph count, average length and document frequencies BM25 scores with: by
  /// default the index's own, or a collection's that this index is part of.
  public var statistics: CollectionStatistics {
    didSet { lengthFactor = LengthFactors(reader: reader, scoring: scoring, statistics: statistics) }
  }
  /// When set, only these paragraphs are reported (totals and hits); matching and BM25's
  /// statistics stay those of the whole index. Nil (the default) costs nothing.
  public var scope: ParagraphScope?
  private let analyzer: Analyzer
  /// Per-paragraph counters for unions of many lists, all zero between uses.
  private let tally: Tally
  private let termLists: TermLists
  private let sums: ListSums
  let matcher: PhraseMatcher
  let boolean: BooleanMatcher
  /// Each paragraph's `BM25.lengthFactor` under `scoring`.
  @exclusivity(unchecked) private var lengthFactor: LengthFactors

  /// Set once per process when the first searcher is made: the C allocator keeps blocks
  /// below 16 MB in its heap and keeps up to 64 MB freed. A query allocates and frees lists
  /// of a few hundred KB; by default glibc maps and unmaps such blocks (and trims its heap)
  /// on every query, and the page faults that brings back weigh on a heavy query.
  /// Process-wide, like any malloc setting: a program that embeds zhsearch and tunes
  /// its allocator itself may do so after.
  private static let keepsFreedMemory = cshim_keep_freed_memory(16 << 20, 64 << 20) == 1

  /// A searcher of `reader`'s index, scoring with `scoring` and `statistics` (by default the
  /// index's own).
  public init(
    reader: IndexReader, scoring: BM25 = BM25(), statistics: CollectionStatistics? = nil
  ) throws(ICUError) {
    _ = Self.keepsFreedMemory
    self.reader = reader
    self.scoring = scoring
    self.statistics = statistics ?? CollectionStatistics(reader: reader)
    analyzer = try Analyzer(foldsVariants: reader.foldsVariants)
    tally = Tally(paragraphs: reader.paragraphCount)
    let marks = ParagraphMarks(paragraphs: reader.paragraphCount)
    termLists = TermLists(reader: reader)
    sums = ListSums(reader: reader, tally: tally)
    matcher = PhraseMatcher(termLists: termLists, sums: sums, marks: marks, analyzer: analyzer)
    boolean = BooleanMatcher(matcher: matcher, marks: marks)
    lengthFactor = LengthFactors(reader: reader, scoring: scoring, statistics: self.statistics)
  }

  /// An error from either the query or the index.
  public enum Failure: Error, CustomStringConvertible {
    case query(QueryError)
    case index(IndexError)

    public var description: String {
      switch self {
      case .query(let error): return error.description
      case .index(let error): return error.description
      }
    }
  }

  /// Parses and runs `text`, returning the total and the `limit` best hits.
  public func search(_ text: String, limit: Int = 10) throws(Failure) -> SearchResult {
    let query: Query
    do { query = try QueryParser.parse(text) } catch { throw .query(error) }
    return try search(query, text: text, limit: limit)
  }

  /// Runs a parsed query: ranks it, then reads the best paragraphs and their highlights,
  /// past the first `offset` (a page), whose ranks continue (the first shown is
  /// `offset + 1`).
  public func search(_ query: Query, text: String, limit: Int, offset: Int = 0) throws(Failure) -> SearchResult {
    let plan = try plan(query)
    // (No more paragraphs than the index holds can rank: the sum cannot overflow.)
    let offset = min(max(0, offset), reader.paragraphCount)
    let ranking = try rank(plan, limit: min(limit, reader.paragraphCount) + offset)
    var hits: [Hit] = []
    var highlighter = Highlighter(phrases: plan.scoredPhrases)
    do {
      for (rank, (id, score)) in ranking.best.enumerated().dropFirst(offset) {
        let paragraph = try reader.paragraph(id)
        hits.append(
          Hit(
            rank: rank + 1, score: score, paragraph: paragraph,
            highlights: highlighter.spans(in: paragraph.text, analyzer: analyzer)))
      }
    } catch {
      throw .index(error)
    }
    return SearchResult(query: text, total: ranking.total, hits: hits)
  }

  /// Parses and ranks `text`: the total and the `limit` best paragraph ids, no text read.
  public func rank(_ text: String, limit: Int = 10) throws(Failure) -> Ranking {
    let query: Query
    do { query = try QueryParser.parse(text) } catch { throw .query(error) }
    return try rank(plan(query), limit: limit)
  }

  /// The ids of every paragraph that matches `text`, ascending.
  public func matchingParagraphs(_ text: String) throws(Failure) -> [Int] {
    let query: Query
    do { query = try QueryParser.parse(text) } catch { throw .query(error) }
    let plan = try plan(query)
    do {
      let paragraphs = try boolean.evaluate(plan).paragraphs
      return (scope.map { $0.filter(paragraphs) } ?? paragraphs).map { Int($0) }
    } catch {
      throw .index(error)
    }
  }

  /// The paragraphs in scope that match `query`, with how often each holds its positive
  /// clauses (see `OccurrenceCounter`).
  public func occurrences(_ query: Query) throws(Failure) -> Occurrences {
    let plan = try plan(query)
    do {
      return try OccurrenceCounter(boolean: boolean).occurrences(of: plan, in: scope)
    } catch {
      throw .index(error)
    }
  }

  func plan(_ query: Query) throws(Failure) -> QueryPlan {
    do { return try QueryPlan(query, analyzer: analyzer) } catch { throw .query(error) }
  }

  /// Ranks a planned query: a single phrase by a fast path, any other query by matching
  /// every clause and then MaxScore.
  private func rank(_ plan: QueryPlan, limit: Int) throws(Failure) -> Ranking {
    do {
      let ranker = ClauseRanker(scoring: scoring, lengthFactor: lengthFactor, statistics: statistics)
      // (A scope is filtered after matching, by the general path below.)
      if scope == nil, let phrase = plan.singlePhrase {
        if phrase.terms.count == 1 && !phrase.needsVerification {
          // The phrase's matches are one term's postings: one list, a character's best
          // paragraphs or own list, or a character's lists.
          let term = phrase.terms[0].term
          if case .prefix(let character) = term, let ranking = try ranker.rank(bestOf: character, clause: phrase.text, in: reader, limit: limit) {
            return ranking
          }
          if let list = try termLists.characterList(term) { return try ranker.rank(list, of: phrase.text, in: termLists, limit: limit) }
          let entries = try termLists.entries(of: term)
          return try entries.count == 1
            ? ranker.rank(entries[0], of: phrase.text, in: termLists, limit: limit)
            : ranker.rank(summing: entries, of: phrase.text, with: sums, limit: limit)
        }
        // One phrase: its matches ranked in one pass.
        termLists.forgetDecoded()
        defer { termLists.forgetDecoded() }
        return try ranker.rank(matcher.matches(of: phrase), of: phrase.text, limit: limit)
      }
      var (paragraphs, clauses) = try boolean.evaluate(plan)
      // Each clause with the IDF of its own document frequency (clauses come in query order),
      // over the whole index even when a scope then keeps only some paragraphs.
      let idfs = zip(plan.scoredPhrases, clauses).map { (phrase, matches) in
        statistics.idf(of: phrase.text, counted: matches.paragraphs.count, scoring: scoring)
      }
      if let scope {
        paragraphs = scope.filter(paragraphs)
        clauses = clauses.map { scope.filter($0) }
      }
      let best = try MaxScore.best(
        of: paragraphs, clauses: clauses, idfs: idfs, allClausesEverywhere: plan.allPhrasesEverywhere, limit: limit,
        scoring: scoring, lengthFactor: lengthFactor)
      return Ranking(total: paragraphs.count, best: best)
    } catch {
      throw .index(error)
    }
  }
}
