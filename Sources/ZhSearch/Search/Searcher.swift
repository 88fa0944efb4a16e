import CICUShim

/// Runs queries against an index: exact phrase matching through positions, BM25 ranking,
/// and highlights.
///
/// For each clause the searcher keeps the terms it needs (a cover of the phrase's bigrams),
/// takes the rarest term's paragraphs as candidates, keeps those that hold every other term
/// (probing long lists through their skip tables), reads positions for the candidates
/// only, and keeps those where every term sits at its offset (and, for clauses with
/// punctuation or whitespace, where the folded text agrees). The number of matches in a
/// paragraph is the clause's term frequency, the number of such paragraphs its document
/// frequency. Groups are then combined (OR within, AND across, exclusions removed) and
/// the survivors ranked. Not thread-safe: give each thread its own searcher.
public final class Searcher {
  public let reader: IndexReader
  public var scoring: BM25 {
    didSet { lengthFactor = LengthFactors(reader: reader, scoring: scoring) }
  }
  private let analyzer: Analyzer
  /// Per-paragraph counters for unions of many lists, all zero between uses.
  private let tally: Tally
  /// A bit per paragraph for intersecting a short list with a long one, all clear between uses.
  private let marks: ParagraphMarks
  /// Each paragraph's `BM25.lengthFactor` under `scoring`.
  @exclusivity(unchecked) private var lengthFactor: LengthFactors
  /// Lists decoded while evaluating one query, by term key: clauses that share a term
  /// (联播快讯 联播) decode it once.
  private var decodedLists: [UInt64: DocList] = [:]

  /// Set once per process when the first searcher is made: the C allocator keeps blocks
  /// below 16 MB in its heap and keeps up to 64 MB freed. A query allocates and frees lists
  /// of a few hundred KB; by default glibc maps and unmaps such blocks (and trims its heap)
  /// on every query, and the page faults that brings back were a fifth of a heavy query's
  /// time (联播快讯 on news + speeches: p50 540 -> 425 µs). Process-wide, like any malloc
  /// setting: a program that embeds zhsearch and tunes its allocator itself may do so after.
  private static let keepsFreedMemory = cshim_keep_freed_memory(16 << 20, 64 << 20) == 1

  public init(reader: IndexReader, scoring: BM25 = BM25()) throws(ICUError) {
    _ = Self.keepsFreedMemory
    self.reader = reader
    self.scoring = scoring
    analyzer = try Analyzer()
    tally = Tally(paragraphs: reader.paragraphCount)
    marks = ParagraphMarks(paragraphs: reader.paragraphCount)
    lengthFactor = LengthFactors(reader: reader, scoring: scoring)
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

  /// Runs a parsed query: ranks it, then reads the best paragraphs and their highlights.
  public func search(_ query: Query, text: String, limit: Int) throws(Failure) -> SearchResult {
    let (groups, excluded) = try prepare(query)
    let ranking = try rank(groups: groups, excluded: excluded, limit: limit)
    var hits: [Hit] = []
    var highlighter = Highlighter(phrases: groups.flatMap { $0 })
    do {
      for (rank, (id, score)) in ranking.best.enumerated() {
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
    let (groups, excluded) = try prepare(query)
    return try rank(groups: groups, excluded: excluded, limit: limit)
  }

  private func rank(groups: [[Phrase]], excluded: [Phrase], limit: Int) throws(Failure) -> Ranking {
    do {
      if excluded.isEmpty && groups.count == 1 && groups[0].count == 1 {
        let phrase = groups[0][0]
        if phrase.terms.count == 1 && !phrase.needsVerification {
          // The phrase's matches are one term's postings: one list, a character's best
          // paragraphs or own list, or a character's lists.
          if case .prefix(let character) = phrase.terms[0].term, let ranking = try rank(bestOf: character, limit: limit) {
            return ranking
          }
          if let list = try characterList(phrase.terms[0].term) { return try rank(list, limit: limit) }
          let entries = try entries(of: phrase.terms[0].term)
          return try entries.count == 1 ? rank(entries[0], limit: limit) : rank(tallying: entries, limit: limit)
        }
        // One phrase: its matches ranked in one pass.
        decodedLists.removeAll()
        defer { decodedLists.removeAll() }
        let matches = try matches(of: phrase)
        let idf = scoring.idf(documentFrequency: matches.paragraphs.count, documentCount: reader.paragraphCount)
        let numerator = idf * (scoring.k1 + 1)
        let lengthFactor = self.lengthFactor
        var best = TopScores(limit: limit)
        for (paragraph, frequency) in zip(matches.paragraphs, matches.frequencies) {
          best.offer(
            paragraph, frequency, lengthFactor: try lengthFactor(Int(paragraph)), scoring: scoring, idf: idf, numerator: numerator)
        }
        return Ranking(total: matches.paragraphs.count, best: best.entries)
      }
      let (paragraphs, clauses) = try evaluate(groups: groups, excluded: excluded)
      let best = try best(
        of: paragraphs, clauses: clauses, allClausesEverywhere: groups.allSatisfy { $0.count == 1 }, limit: limit)
      return Ranking(total: paragraphs.count, best: best)
    } catch {
      throw .index(error)
    }
  }

  /// Ranks a single character from its best paragraphs (see `IndexFormat`) alone, when that
  /// is provably the answer of ranking all its paragraphs: under the scoring they were chosen
  /// for, when the `limit`-th best of them scores above the lowest of them (then no paragraph
  /// outside them can be kept), or when they are all the character's paragraphs; nil when
  /// not (the caller ranks all).
  private func rank(bestOf character: UInt32, limit: Int) throws(IndexError) -> Ranking? {
    guard scoring == BM25(), let (entry, union) = try reader.characterBest(character) else { return nil }
    guard limit > 0 else { return Ranking(total: union, best: []) }
    guard limit <= entry.documentFrequency else { return nil }
    let idf = scoring.idf(documentFrequency: union, documentCount: reader.paragraphCount)
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

  /// Ranks the paragraphs of one list in a single pass over it, keeping only the best.
  private func rank(_ entry: TermEntry, limit: Int) throws(IndexError) -> Ranking {
    let idf = scoring.idf(documentFrequency: entry.documentFrequency, documentCount: reader.paragraphCount)
    let numerator = idf * (scoring.k1 + 1)
    let lengthFactor = self.lengthFactor
    var best = TopScores(limit: limit)
    // The order in which postings come does not matter: the best are kept by score, then
    // paragraph.
    try forEachChunk(of: entry) { (paragraphs, frequencies, count) throws(IndexError) in
      for i in 0..<count {
        best.offer(
          paragraphs[i], frequencies[i], lengthFactor: try lengthFactor(Int(paragraphs[i])), scoring: scoring, idf: idf,
          numerator: numerator)
      }
    }
    return Ranking(total: entry.documentFrequency, best: best.entries)
  }

  /// Decodes every posting of one list in chunks, passing each chunk (paragraphs,
  /// frequencies, count) to `body`: a long list as two halves in lockstep, so the chunks of
  /// the halves come interleaved.
  private func forEachChunk(
    of entry: TermEntry, _ body: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int) throws(IndexError) -> Void
  ) throws(IndexError) {
    if var (first, second) = try reader.docIteratorHalves(entry) {
      try DocIterator.decodeAll(&first, &second) { (paragraphs, frequencies, count, _) throws(IndexError) in
        try body(paragraphs, frequencies, count)
      }
      guard first.frequencySum &+ second.frequencySum == UInt64(entry.occurrences) else {
        throw .corrupt(file: "docs", detail: "frequencies do not add up for term \(entry.key)")
      }
    } else {
      var docs = try reader.docIterator(entry)
      try docs.decodeAll(body)
      try docs.checkFrequencySum()
    }
  }

  /// The ids of every paragraph that matches `text`, ascending.
  public func matchingParagraphs(_ text: String) throws(Failure) -> [Int] {
    let query: Query
    do { query = try QueryParser.parse(text) } catch { throw .query(error) }
    let (groups, excluded) = try prepare(query)
    do {
      return try evaluate(groups: groups, excluded: excluded).paragraphs.map { Int($0) }
    } catch {
      throw .index(error)
    }
  }

  /// The `limit` best of the (paragraph, score) pairs offered (in any order), best first,
  /// and of equal scores the lower paragraph id first.
  ///
  /// A small limit (the usual 10) keeps a sorted array and refuses most offers at once; a
  /// large one (`--limit 5000`) keeps every offer and sorts once at the end, so neither
  /// costs more than a sort of what was offered.
  struct TopScores {
    typealias Entry = (paragraph: Int, score: Double)
    let limit: Int
    private var kept: [Entry] = []
    private var sortsAtEnd: Bool { limit > 64 }

    init(limit: Int) {
      self.limit = max(0, limit)
      kept.reserveCapacity(min(self.limit, 64) + 1)
    }

    @inline(__always)
    private static func isBetter(_ a: Entry, than b: Entry) -> Bool {
      a.score > b.score || (a.score == b.score && a.paragraph < b.paragraph)
    }

    /// The lowest score kept once a small limit's worth are kept, else minus infinity (for
    /// large limits always): no score below it can enter.
    private(set) var threshold = -Double.infinity

    @inline(__always)
    mutating func insert(_ paragraph: Int, _ score: Double) {
      let entry = (paragraph: paragraph, score: score)
      if sortsAtEnd {
        kept.append(entry)
        return
      }
      if kept.count == limit {
        guard limit > 0, Self.isBetter(entry, than: kept[limit - 1]) else { return }
        kept.removeLast()
      }
      var position = kept.count
      while position > 0 && Self.isBetter(entry, than: kept[position - 1]) { position -= 1 }
      kept.insert(entry, at: position)
      if kept.count == limit { threshold = kept[limit - 1].score }
    }

    /// Offers a paragraph where one clause matched `frequency` times, its length factor
    /// `factor`, scored under `scoring` with `idf` (`numerator` is idf * (k1 + 1)). Once the
    /// best are full, most offers cannot enter: told by a multiplication (with a margin for
    /// rounding) instead of the division that computes the score.
    @inline(__always)
    mutating func offer(
      _ paragraph: UInt32, _ frequency: UInt32, lengthFactor factor: Double, scoring: BM25, idf: Double, numerator: Double
    ) {
      let tf = Double(frequency)
      if factor >= 0 && numerator * tf < threshold * (tf + factor) * (1 - 1e-9) { return }
      insert(Int(paragraph), scoring.score(termFrequency: Int(frequency), lengthFactor: factor, idf: idf))
    }

    /// The best, best first.
    var entries: [Entry] {
      sortsAtEnd ? Array(kept.sorted { Self.isBetter($0, than: $1) }.prefix(limit)) : kept
    }
  }

  /// Ranks the paragraphs of several lists (a single character's), their frequencies summed
  /// into per-paragraph tallies, without building the match list.
  private func rank(tallying entries: [TermEntry], limit: Int) throws(IndexError) -> Ranking {
    let total = try sum(entries, ascending: false)
    let idf = scoring.idf(documentFrequency: total, documentCount: reader.paragraphCount)
    let numerator = idf * (scoring.k1 + 1)
    let lengthFactor = self.lengthFactor
    var best = TopScores(limit: limit)
    try drainSums { (paragraph, frequency) throws(IndexError) in
      best.offer(
        paragraph, frequency, lengthFactor: try lengthFactor(Int(paragraph)), scoring: scoring, idf: idf, numerator: numerator)
    }
    return Ranking(total: total, best: best.entries)
  }

  /// Sums the frequencies of several lists (a single character's) per paragraph in the
  /// tally, and returns how many paragraphs they hold; `drainSums` then reads the sums,
  /// with the paragraphs `ascending` or in any order.
  ///
  /// Few postings are added with their paragraphs recorded; many (from a sixteenth of the
  /// paragraphs on) are added blindly, and the paragraphs found by reading every counter
  /// once: a branch on each counter's old value costs more (the counters' cache misses and
  /// the branch's mispredictions were half of a frequent character's time).
  private func sum(_ entries: [TermEntry], ascending: Bool) throws(IndexError) -> Int {
    let postings = entries.reduce(0) { $0 + $1.documentFrequency }
    let occurrences = entries.reduce(0) { $0 + $1.occurrences }
    let dense = postings >= tally.capacity / 16 && occurrences <= Int(UInt32.max)
    do {
      if dense {
        // Lists of similar length two at a time, decoded in lockstep; short ones alone
        // (pairing them would cost more than it saves).
        let capacity = tally.capacity
        let add = { (paragraphs: UnsafeMutablePointer<UInt32>, frequencies: UnsafeMutablePointer<UInt32>, count: Int) throws(IndexError) in
          // Ascending: the last is the largest.
          guard count == 0 || Int(paragraphs[count - 1]) < capacity else {
            throw .corrupt(file: "docs", detail: "paragraph beyond the index")
          }
          for i in 0..<count { self.tally.accumulate(paragraphs[i], frequencies[i]) }
        }
        let long = entries.filter { $0.documentFrequency >= DocIterator.chunkSize }.sorted { $0.documentFrequency > $1.documentFrequency }
        for pair in stride(from: 0, to: long.count - 1, by: 2) {
          var (a, b) = (try reader.docIterator(long[pair]), try reader.docIterator(long[pair + 1]))
          try DocIterator.decodeAll(&a, &b) { (paragraphs, frequencies, count, _) throws(IndexError) in
            try add(paragraphs, frequencies, count)
          }
          try a.checkFrequencySum()
          try b.checkFrequencySum()
        }
        // The odd long list out, and the short ones, alone (into one buffer).
        let alone = (long.count % 2 == 1 ? [long[long.count - 1]] : []) + entries.filter { $0.documentFrequency < DocIterator.chunkSize }
        try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * DocIterator.chunkSize) { (buffer) throws(IndexError) in
          for entry in alone {
            var docs = try reader.docIterator(entry)
            try docs.decodeAll(into: buffer.baseAddress!, buffer.baseAddress! + DocIterator.chunkSize, add)
            try docs.checkFrequencySum()
          }
        }
      } else {
        for entry in entries {
          var docs = try reader.docIterator(entry)
          try docs.addAll(to: tally)
        }
      }
    } catch {
      tally.recordNonzero()
      tally.clear()
      throw error
    }
    if dense {
      tally.recordNonzero()
    } else {
      guard !tally.overflowed else {
        tally.clear()
        throw .corrupt(file: "docs", detail: "frequencies too large for one paragraph")
      }
      if ascending { tally.sortTouched() }
    }
    return tally.touchedCount
  }

  /// Calls `body` with each paragraph summed by `sum`, and its sum, then clears
  /// the tally.
  private func drainSums(_ body: (UInt32, UInt32) throws(IndexError) -> Void) throws(IndexError) {
    defer { tally.clear() }
    for paragraph in tally.touched { try body(paragraph, tally.count(paragraph)) }
  }

  private func prepare(_ query: Query) throws(Failure) -> (groups: [[Phrase]], excluded: [Phrase]) {
    do {
      let groups = try query.required.map { group throws(QueryError) in
        try group.map { clause throws(QueryError) in try Phrase(clause, analyzer: analyzer) }
      }
      let excluded = try query.excluded.map { clause throws(QueryError) in
        try Phrase(clause, analyzer: analyzer)
      }
      return (groups, excluded)
    } catch {
      throw .query(error)
    }
  }

  /// One clause's matches: paragraphs ascending, with how often each contains the clause.
  struct Matches {
    var paragraphs: [UInt32] = []
    var frequencies: [UInt32] = []
  }

  /// The paragraphs (ascending) that match one clause of every group and no excluded clause,
  /// and every clause's matches (a clause typed twice is there twice: each adds its score).
  private func evaluate(groups: [[Phrase]], excluded: [Phrase]) throws(IndexError) -> (paragraphs: [UInt32], clauses: [Matches]) {
    decodedLists.removeAll()
    defer { decodedLists.removeAll() }
    var clauses: [Matches] = []
    var matched: [UInt32]? = nil
    // A clause typed twice is matched once.
    var known: [String: Matches] = [:]
    for group in groups {
      var union: [UInt32] = []
      for phrase in group {
        let matches: Matches
        if let seen = known[phrase.text] {
          matches = seen
        } else {
          matches = try self.matches(of: phrase)
          known[phrase.text] = matches
        }
        clauses.append(matches)
        union = group.count == 1 ? matches.paragraphs : Self.union(union, matches.paragraphs)
      }
      matched = matched.map { intersection($0, union) } ?? union
    }
    var paragraphs = matched ?? []
    for phrase in excluded where !paragraphs.isEmpty {
      paragraphs = Self.difference(paragraphs, try matches(of: phrase).paragraphs)
    }
    return (paragraphs, clauses)
  }

  /// The best `limit` of `paragraphs` (ascending) by BM25, each clause scored with the IDF of
  /// its own document frequency and the scores summed in clause order.
  ///
  /// When some paragraph may hold only some clauses (`allClausesEverywhere` false: an OR),
  /// MaxScore: a clause adds at most its IDF times k1 + 1, so the clauses are taken from the
  /// highest such bound down, each scoring the paragraphs it holds that no clause before it
  /// held; once the lowest score kept passes the sum of the bounds of the clauses left, no
  /// paragraph still unscored can be kept, and the rest (often most of an OR of a rare and a
  /// frequent term) is only counted.
  private func best(
    of paragraphs: [UInt32], clauses: [Matches], allClausesEverywhere: Bool, limit: Int
  ) throws(IndexError) -> [TopScores.Entry] {
    var best = TopScores(limit: limit)
    guard limit > 0, !paragraphs.isEmpty else { return best.entries }
    let scoring = self.scoring
    let idfs = clauses.map { scoring.idf(documentFrequency: $0.paragraphs.count, documentCount: reader.paragraphCount) }
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
    let lengthFactor = self.lengthFactor
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

  // MARK: - Matching through the index

  /// The paragraphs that contain `phrase`, with how often each contains it.
  func matches(of phrase: Phrase) throws(IndexError) -> Matches {
    if phrase.terms.count == 1 && !phrase.needsVerification, let list = try characterList(phrase.terms[0].term) {
      // A frequent character alone: its own list holds the matches.
      let decoded = try docList(list)
      return Matches(paragraphs: decoded.paragraphs, frequencies: decoded.frequencies)
    }
    // Each term's dictionary entries: one, or for a single character one per term starting with it.
    var allEntries: [[TermEntry]] = []
    for (term, _) in phrase.terms {
      let termEntries = try self.entries(of: term)
      if termEntries.isEmpty { return Matches() }
      allEntries.append(termEntries)
    }
    // Only the terms needed to prove the phrase, the rarest kept.
    let needed = phrase.neededTerms(documentFrequencies: allEntries.map { $0.reduce(0) { $0 + $1.documentFrequency } })
    let entries = needed.map { allEntries[$0] }
    let offsets = needed.map { phrase.terms[$0].offset }
    if phrase.terms.count == 1 && !phrase.needsVerification {
      // No positions needed: the term's paragraphs and frequencies are the matches.
      if entries[0].count == 1 {
        let list = try docList(entries[0][0])
        return Matches(paragraphs: list.paragraphs, frequencies: list.frequencies)
      }
      return try tallied(entries[0])
    }
    // Candidates: the rarest term's paragraphs, kept where every other term is present. A
    // long single list is probed through its skip table; others are decoded and intersected.
    let frequency = entries.map { $0.reduce(0) { $0 + $1.documentFrequency } }
    let order = entries.indices.sorted { frequency[$0] < frequency[$1] }
    var decoded: [Int: [DocList]] = [:]
    func lists(_ k: Int) throws(IndexError) -> [DocList] {
      if let known = decoded[k] { return known }
      let lists = try entries[k].map { entry throws(IndexError) in try docList(entry) }
      decoded[k] = lists
      return lists
    }
    // Probing decodes every block that holds a candidate: it pays only where most blocks
    // hold none, far longer lists than the candidates (decoding a whole list costs about
    // as much per posting as loading its blocks, and two are decoded in lockstep).
    func probes(_ k: Int, _ candidates: Int) -> Bool {
      entries[k].count == 1 && entries[k][0].documentFrequency > IndexFormat.skipBlock
        && frequency[k] > 32 * candidates
    }
    if order.count > 1, entries[order[0]].count == 1, entries[order[1]].count == 1,
      !probes(order[1], entries[order[0]][0].documentFrequency)
    {
      // The two rarest single lists, decoded together.
      let (rarest, next) = try docLists(entries[order[0]][0], entries[order[1]][0])
      (decoded[order[0]], decoded[order[1]]) = ([rarest], [next])
      if entries.count == 2 && !phrase.needsVerification {
        return try pairMatches(decoded[0]![0], decoded[1]![0], offsets: (offsets[0], offsets[1]))
      }
    }
    var candidates = try union(lists(order[0])).paragraphs
    // What the probes found of each probed term, one per candidate: where its positions are.
    var found: [Int: [DocCursor.Found]] = [:]
    for k in order.dropFirst() where !candidates.isEmpty {
      if probes(k, candidates.count) {
        var cursor = try reader.docCursor(entries[k][0])
        var kept: [UInt32] = []
        var keptFound: [DocCursor.Found] = []
        var keptIndices: [Int] = []
        for (c, paragraph) in candidates.enumerated() {
          guard let hit = try cursor.find(paragraph) else { continue }
          kept.append(paragraph)
          keptFound.append(hit)
          keptIndices.append(c)
        }
        if kept.count < candidates.count {
          for (term, hits) in found { found[term] = keptIndices.map { hits[$0] } }
        }
        found[k] = keptFound
        candidates = kept
      } else {
        let kept = try intersection(candidates, anyOf: lists(k))
        if kept.count < candidates.count && !found.isEmpty {
          let keptIndices = Self.indices(of: kept, in: candidates)
          for (term, hits) in found { found[term] = keptIndices.map { hits[$0] } }
        }
        candidates = kept
      }
    }
    if candidates.isEmpty { return Matches() }
    // Each term's positions, one candidate at a time (ascending, so each term's position
    // stream is read forward), then the match starts among them, checked against the text
    // when the terms do not prove the phrase alone.
    var sources: [PositionSource] = []
    for k in entries.indices {
      if let hits = found[k] {
        sources.append(PositionSource(reader: try reader.positionReader(entries[k][0]), hits: hits))
      } else if let list = try lists(k).first, entries[k].count == 1 {
        sources.append(PositionSource(reader: try reader.positionReader(list.entry), list: list))
      } else {
        // Several lists (a single character's): gathered for every candidate up front.
        var values: [UInt32] = []
        var bounds: [Int] = []
        try appendPositions(of: lists(k), in: candidates, values: &values, bounds: &bounds)
        sources.append(PositionSource(gathered: values, bounds: bounds))
      }
    }
    var scratch = PositionScratch(terms: sources.count)
    var result = Matches()
    for (c, paragraph) in candidates.enumerated() {
      scratch.count = 0
      for k in sources.indices {
        scratch.bounds[2 * k] = scratch.count
        try sources[k].appendPositions(ofCandidate: c, paragraph: paragraph, to: &scratch)
        scratch.bounds[2 * k + 1] = scratch.count
      }
      scratch.reserveStarts(scratch.bounds[1] - scratch.bounds[0])
      let count = Phrase.matchStarts(values: scratch.values, bounds: scratch.bounds, offsets: offsets, into: scratch.starts)
      guard count > 0 else { continue }
      var verified = count
      if phrase.needsVerification {
        let folded = try foldedScalars(ofParagraph: Int(paragraph))
        verified = (0..<count).count { phrase.verify(start: scratch.starts[$0], in: folded) }
      }
      if verified > 0 {
        result.paragraphs.append(paragraph)
        result.frequencies.append(UInt32(verified))
      }
    }
    return result
  }

  /// The matches of a phrase proved by two terms (most phrases of three or four
  /// characters), each a decoded list: the lists merged, and for each paragraph in both,
  /// its positions of each read into a small buffer and the starts counted by one merge of
  /// the two.
  private func pairMatches(_ a: DocList, _ b: DocList, offsets: (UInt32, UInt32)) throws(IndexError) -> Matches {
    var positionsA = try reader.positionReader(a.entry)
    var positionsB = try reader.positionReader(b.entry)
    // A paragraph holds a term at most this many times (its largest frequency).
    let capacityA = Int(a.frequencies.max() ?? 0)
    let capacityB = Int(b.frequencies.max() ?? 0)
    let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: capacityA + capacityB)
    defer { buffer.deallocate() }
    let valuesA = buffer
    let valuesB = buffer + capacityA
    let (offsetA, offsetB) = (Int64(offsets.0), Int64(offsets.1))
    var result = Matches()
    try a.withUnsafeBuffers { (paragraphsA, frequenciesA, startsA) throws(IndexError) in
      try b.withUnsafeBuffers { (paragraphsB, frequenciesB, startsB) throws(IndexError) in
        // The paragraphs both hold, as index pairs, found first.
        let pairs = UnsafeMutablePointer<UInt64>.allocate(capacity: max(paragraphsA.count, paragraphsB.count) + 1)
        defer { pairs.deallocate() }
        guard let common = tally.commonIndices(paragraphsA, paragraphsB, into: pairs) else {
          throw .corrupt(file: "docs", detail: "paragraph beyond the index")
        }
        // A list most of whose paragraphs hold the pair has all its values decoded at once
        // (the reader's set-up, checks and skips for each paragraph cost more than decoding
        // the few values between them); another is read paragraph by paragraph.
        // (Each freed however the rest ends: B's decoding may throw on a damaged file.)
        let rawA = try Self.allValues(of: a, with: &positionsA, ifNeededFor: common)
        defer { rawA?.deallocate() }
        let rawB = try Self.allValues(of: b, with: &positionsB, ifNeededFor: common)
        defer { rawB?.deallocate() }
        let file = reader.positionsFileName
        for pair in UnsafeBufferPointer(start: pairs, count: common) {
          let (indexA, indexB) = (Int(truncatingIfNeeded: pair &>> 32), Int(truncatingIfNeeded: pair & 0xFFFF_FFFF))
          let paragraph = paragraphsA[indexA]
          let countA = Int(frequenciesA[indexA])
          let countB = Int(frequenciesB[indexB])
          if let rawA {
            try Self.positions(rawA + startsA[indexA], count: countA, to: valuesA, file: file)
          } else {
            try positionsA.positions(from: startsA[indexA], count: countA, to: valuesA)
          }
          if let rawB {
            try Self.positions(rawB + startsB[indexB], count: countB, to: valuesB, file: file)
          } else {
            try positionsB.positions(from: startsB[indexB], count: countB, to: valuesB)
          }
          // Starts s >= 0 with s + offset A among A's positions and s + offset B among B's.
          var (i, j, matches) = (0, 0, 0)
          while i < countA && j < countB {
            let startA = Int64(valuesA[i]) - offsetA
            let startB = Int64(valuesB[j]) - offsetB
            if startA < startB {
              i += 1
            } else if startA > startB {
              j += 1
            } else {
              if startA >= 0 { matches += 1 }
              i += 1
              j += 1
            }
          }
          if matches > 0 {
            result.paragraphs.append(paragraph)
            result.frequencies.append(UInt32(matches))
          }
        }
      }
    }
    return result
  }

  /// All of `list`'s position values (as stored: each paragraph's first position, then the
  /// gaps), read with `reader`, when `needed` of its paragraphs are wanted and that is at
  /// least a quarter of them; else nil. The caller deallocates them.
  private static func allValues(
    of list: DocList, with reader: inout PositionReader, ifNeededFor needed: Int
  ) throws(IndexError) -> UnsafeMutablePointer<UInt32>? {
    guard needed * 4 >= list.paragraphs.count else { return nil }
    let values = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, list.entry.occurrences))
    do {
      try reader.values(from: 0, count: list.entry.occurrences, to: values)
    } catch {
      values.deallocate()
      throw error
    }
    return values
  }

  /// A paragraph's `count` positions from its stored values (`values`: the first position,
  /// then the gaps), written to `out`.
  @inline(__always)
  private static func positions(
    _ values: UnsafePointer<UInt32>, count: Int, to out: UnsafeMutablePointer<UInt32>, file: String
  ) throws(IndexError) {
    var position: UInt64 = 0
    for k in 0..<count {
      let value = UInt64(values[k])
      guard k == 0 || value > 0 else { throw .corrupt(file: file, detail: "positions out of order") }
      position &+= value
      guard position <= UInt64(UInt32.max) else { throw .corrupt(file: file, detail: "position out of range") }
      out[k] = UInt32(truncatingIfNeeded: position)
    }
  }

  /// Where one phrase term's positions in each candidate paragraph come from: the hits of
  /// probing its list (one per candidate), its decoded list (walked alongside the
  /// candidates), or, for several lists (a single character's), every candidate's positions
  /// gathered up front as `appendPositions(of:in:)` does.
  private struct PositionSource {
    private var reader: PositionReader?
    private let hits: [DocCursor.Found]
    /// The decoded list's arrays (empty for the other sources), and the index where the
    /// walk goes on. Kept apart, not as a `DocList`: binding one would retain its arrays on
    /// every call.
    private let paragraphs: [UInt32]
    private let frequencies: [UInt32]
    private let positionIndex: [Int]
    private var next = 0
    private let gathered: [UInt32]
    private let gatheredBounds: [Int]

    init(reader: PositionReader, hits: [DocCursor.Found]) {
      (self.reader, self.hits) = (reader, hits)
      (paragraphs, frequencies, positionIndex, gathered, gatheredBounds) = ([], [], [], [], [])
    }

    init(reader: PositionReader, list: DocList) {
      (self.reader, hits, gathered, gatheredBounds) = (reader, [], [], [])
      (paragraphs, frequencies, positionIndex) = (list.paragraphs, list.frequencies, list.positionIndex)
    }

    init(gathered: [UInt32], bounds: [Int]) {
      (reader, hits, self.gathered, gatheredBounds) = (nil, [], gathered, bounds)
      (paragraphs, frequencies, positionIndex) = ([], [], [])
    }

    /// Appends the term's positions in candidate `c` (which holds `paragraph`, and follows
    /// the candidate asked for last), ascending, to `scratch`.
    mutating func appendPositions(ofCandidate c: Int, paragraph: UInt32, to scratch: inout PositionScratch) throws(IndexError) {
      if !hits.isEmpty {
        let hit = hits[c]
        reader!.jump(toBit: hit.blockPositionsOffset, index: hit.blockPositionIndex)
        scratch.reserve(hit.frequency)
        try reader!.positions(from: hit.positionIndex, count: hit.frequency, to: scratch.end)
        scratch.count += hit.frequency
      } else if !paragraphs.isEmpty {
        // The candidates are in the list: walked, not searched (the list is decoded whole).
        while next < paragraphs.count && paragraphs[next] < paragraph { next += 1 }
        guard next < paragraphs.count, paragraphs[next] == paragraph else {
          throw .corrupt(file: "docs", detail: "a phrase term lost paragraph \(paragraph)")
        }
        let frequency = Int(frequencies[next])
        scratch.reserve(frequency)
        try reader!.positions(from: positionIndex[next], count: frequency, to: scratch.end)
        scratch.count += frequency
        next += 1
      } else {
        let count = gatheredBounds[c + 1] - gatheredBounds[c]
        scratch.reserve(count)
        gathered.withUnsafeBufferPointer { scratch.end.update(from: $0.baseAddress! + gatheredBounds[c], count: count) }
        scratch.count += count
      }
    }
  }

  /// One candidate paragraph's positions of every phrase term, and the phrase's match
  /// starts among them, in raw memory reused from candidate to candidate: term k's
  /// positions are `values[bounds[2k]..<bounds[2k + 1]]`.
  private struct PositionScratch: ~Copyable {
    private(set) var values: UnsafeMutablePointer<UInt32>
    private var capacity = 256
    var count = 0
    let bounds: UnsafeMutablePointer<Int>
    private(set) var starts: UnsafeMutablePointer<UInt32>
    private var startsCapacity = 256

    init(terms: Int) {
      values = .allocate(capacity: capacity)
      starts = .allocate(capacity: startsCapacity)
      bounds = .allocate(capacity: 2 * terms)
      bounds.initialize(repeating: 0, count: 2 * terms)
    }

    deinit {
      values.deallocate()
      starts.deallocate()
      bounds.deallocate()
    }

    /// Where the next value goes.
    var end: UnsafeMutablePointer<UInt32> { values + count }

    /// Makes room for `more` values after the `count` kept.
    mutating func reserve(_ more: Int) {
      guard count + more > capacity else { return }
      capacity = max(2 * capacity, count + more)
      let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
      grown.update(from: values, count: count)
      values.deallocate()
      values = grown
    }

    /// Makes room for `count` match starts.
    mutating func reserveStarts(_ count: Int) {
      guard count > startsCapacity else { return }
      startsCapacity = max(2 * startsCapacity, count)
      starts.deallocate()
      starts = .allocate(capacity: startsCapacity)
    }
  }

  /// A term's decoded list, decoded once per query.
  private func docList(_ entry: TermEntry) throws(IndexError) -> DocList {
    if let known = decodedLists[entry.key] { return known }
    let list = try reader.docList(entry)
    decodedLists[entry.key] = list
    return list
  }

  /// Two terms' decoded lists, decoded together (in lockstep) unless one is known already.
  private func docLists(_ a: TermEntry, _ b: TermEntry) throws(IndexError) -> (DocList, DocList) {
    guard decodedLists[a.key] == nil && decodedLists[b.key] == nil && a.key != b.key else {
      return (try docList(a), try docList(b))
    }
    let lists = try reader.docLists(a, b)
    (decodedLists[a.key], decodedLists[b.key]) = lists
    return lists
  }

  /// A single character's own paragraph list, when the index keeps one for it.
  private func characterList(_ term: Phrase.Term) throws(IndexError) -> TermEntry? {
    guard case .prefix(let character) = term else { return nil }
    return try reader.dictionary.entry(for: TermKey.characterList(character))
  }

  /// The dictionary entries of one phrase term; empty when the index has none.
  private func entries(of term: Phrase.Term) throws(IndexError) -> [TermEntry] {
    switch term {
    case .key(let key):
      return try reader.dictionary.entry(for: key).map { [$0] } ?? []
    case .prefix(let character):
      // (Not the character's own list or best paragraphs: each repeats the others.)
      return try reader.dictionary.entries(in: TermKey.hanPrefixRange(character)).filter {
        TermKey.hasPositions($0.key)
      }
    case .word(let bytes):
      guard let key = try reader.dictionary.wordKey(bytes),
        let entry = try reader.dictionary.entry(for: key)
      else { return [] }
      return [entry]
    }
  }

  /// Where each of `subset`'s values is in `values` (both ascending, `subset` drawn from
  /// `values`).
  static func indices(of subset: [UInt32], in values: [UInt32]) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(subset.count)
    var cursor = 0
    for value in subset {
      cursor = advance(values, from: cursor, to: value)
      result.append(cursor)
    }
    return result
  }

  /// The candidates found in at least one of `lists` (a single character's): each
  /// candidate is marked in the tally, then each list's paragraphs are looked up there, so
  /// hundreds of lists cost one lookup a posting and no merge or sort.
  private func intersection(_ candidates: [UInt32], anyOf lists: [DocList]) -> [UInt32] {
    if lists.count == 1 { return intersection(candidates, lists[0].paragraphs) }
    defer { tally.clear() }
    for (c, paragraph) in candidates.enumerated() { tally.set(paragraph, UInt32(c + 1)) }
    var kept = [Bool](repeating: false, count: candidates.count)
    for list in lists {
      for paragraph in list.paragraphs {
        let mark = tally.count(paragraph)
        if mark != 0 { kept[Int(mark - 1)] = true }
      }
    }
    return candidates.indices.compactMap { kept[$0] ? candidates[$0] : nil }
  }

  /// Appends the positions of a term (the union of `lists`) in each candidate paragraph to
  /// `values`, ascending, and after each candidate's the count so far to `bounds` (after
  /// first appending where they begin).
  private func appendPositions(
    of lists: [DocList], in candidates: [UInt32], values: inout [UInt32], bounds: inout [Int]
  ) throws(IndexError) {
    bounds.append(values.count)
    if lists.count == 1 {
      // One list: walk it and the candidates together, decoding positions straight into `values`.
      let list = lists[0]
      var reader = try reader.positionReader(list.entry)
      var d = 0
      for paragraph in candidates {
        d = Self.advance(list.paragraphs, from: d, to: paragraph)
        if d < list.count && list.paragraphs[d] == paragraph {
          try reader.positions(from: list.positionIndex[d], count: Int(list.frequencies[d]), into: &values)
          d += 1
        }
        bounds.append(values.count)
      }
      return
    }
    // Many lists: find each list's candidates through marks in the tally, then sort the
    // (candidate, position) pairs.
    var pairs: [UInt64] = []
    var buffer: [UInt32] = []
    do {
      defer { tally.clear() }
      for (c, paragraph) in candidates.enumerated() { tally.set(paragraph, UInt32(c + 1)) }
      for list in lists {
        var reader = try reader.positionReader(list.entry)
        for d in 0..<list.count {
          let mark = tally.count(list.paragraphs[d])
          guard mark != 0 else { continue }
          buffer.removeAll(keepingCapacity: true)
          try reader.positions(from: list.positionIndex[d], count: Int(list.frequencies[d]), into: &buffer)
          for position in buffer { pairs.append(UInt64(mark - 1) << 32 | UInt64(position)) }
        }
      }
    }
    pairs.sort()
    values.reserveCapacity(values.count + pairs.count)
    var next = 0
    for c in candidates.indices {
      while next < pairs.count && Int(pairs[next] >> 32) == c {
        values.append(UInt32(truncatingIfNeeded: pairs[next]))
        next += 1
      }
      bounds.append(values.count)
    }
  }

  /// The paragraphs of several terms' lists (a single character's), with summed
  /// frequencies, decoded straight into per-paragraph tallies.
  private func tallied(_ entries: [TermEntry]) throws(IndexError) -> Matches {
    var result = Matches()
    let count = try sum(entries, ascending: true)
    result.paragraphs.reserveCapacity(count)
    result.frequencies.reserveCapacity(count)
    try drainSums { paragraph, frequency in
      result.paragraphs.append(paragraph)
      result.frequencies.append(frequency)
    }
    return result
  }

  /// The tallied paragraphs, ascending, with their counts.
  private func tallyMatches() -> Matches {
    var result = Matches()
    result.paragraphs.reserveCapacity(tally.touchedCount)
    result.frequencies.reserveCapacity(tally.touchedCount)
    tally.sortTouched()
    for paragraph in tally.touched {
      result.paragraphs.append(paragraph)
      result.frequencies.append(tally.count(paragraph))
    }
    return result
  }

  /// The paragraphs of several lists of one term, with summed frequencies.
  private func union(_ lists: [DocList]) throws(IndexError) -> Matches {
    if lists.count == 1 { return Matches(paragraphs: lists[0].paragraphs, frequencies: lists[0].frequencies) }
    defer { tally.clear() }
    for list in lists {
      for i in 0..<list.count { tally.add(list.paragraphs[i], list.frequencies[i]) }
    }
    guard !tally.overflowed else { throw .corrupt(file: "docs", detail: "frequencies too large for one paragraph") }
    return tallyMatches()
  }

  /// Sorted-array set operations on paragraph ids.
  static func union(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    [UInt32](unsafeUninitializedCapacity: a.count + b.count) { out, written in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          var (i, j, k) = (0, 0, 0)
          while i < a.count && j < b.count {
            let (x, y) = (a[i], b[j])
            out[k] = min(x, y)
            k += 1
            i += x <= y ? 1 : 0
            j += y <= x ? 1 : 0
          }
          while i < a.count {
            out[k] = a[i]
            (i, k) = (i + 1, k + 1)
          }
          while j < b.count {
            out[k] = b[j]
            (j, k) = (j + 1, k + 1)
          }
          written = k
        }
      }
    }
  }

  /// The paragraphs both ascending lists hold, ascending: through the marks when the longer
  /// list holds at most 32 times as many (reading it costs about as much as a search for
  /// each of the shorter one's), else by galloping.
  private func intersection(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    let (short, long) = a.count <= b.count ? (a, b) : (b, a)
    if long.count <= 32 * short.count, let common = marks.intersection(short, long) { return common }
    return Self.intersection(short, long)
  }

  /// The paragraphs both ascending lists hold, ascending, by galloping through the longer
  /// one from each paragraph of the shorter.
  static func intersection(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    let (small, large) = a.count <= b.count ? (a, b) : (b, a)
    var out: [UInt32] = []
    var cursor = 0
    for value in small {
      cursor = advance(large, from: cursor, to: value)
      guard cursor < large.count else { break }
      if large[cursor] == value { out.append(value) }
    }
    return out
  }

  static func difference(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    var out: [UInt32] = []
    var cursor = 0
    for value in a {
      cursor = advance(b, from: cursor, to: value)
      if cursor >= b.count || b[cursor] != value { out.append(value) }
    }
    return out
  }

  /// The first index at or after `start` whose paragraph is not below `target` (galloping).
  static func advance(_ paragraphs: [UInt32], from start: Int, to target: UInt32) -> Int {
    var low = start
    var step = 1
    var high = start
    while high < paragraphs.count && paragraphs[high] < target {
      low = high + 1
      high += step
      step *= 2
    }
    high = min(high, paragraphs.count)
    while low < high {
      let middle = (low + high) / 2
      if paragraphs[middle] < target { low = middle + 1 } else { high = middle }
    }
    return low
  }

  private func foldedScalars(ofParagraph id: Int) throws(IndexError) -> [UInt32] {
    analyzer.analyze(try reader.paragraph(id).text, offsets: false).codePoints()
  }
}
