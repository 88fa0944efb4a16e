/// Runs queries against an index: exact phrase matching through positions, BM25 ranking,
/// and highlights.
///
/// For each clause the searcher decodes the postings of its terms, walks the rarest term's
/// paragraphs, keeps those where every term sits at its offset (and, for clauses with
/// punctuation or whitespace, where the folded text agrees), and counts the matches: that
/// count is the clause's term frequency and the number of such paragraphs its document
/// frequency. Groups are then combined (OR within, AND across, exclusions removed) and
/// the survivors ranked. Not thread-safe: give each thread its own searcher.
public final class Searcher {
  public let reader: IndexReader
  public var scoring: BM25
  private let analyzer: Analyzer

  public init(reader: IndexReader, scoring: BM25 = BM25()) throws(ICUError) {
    self.reader = reader
    self.scoring = scoring
    analyzer = try Analyzer()
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

  /// Runs a parsed query.
  public func search(_ query: Query, text: String, limit: Int) throws(Failure) -> SearchResult {
    let (groups, excluded) = try prepare(query)
    do {
      let scores = try evaluate(groups: groups, excluded: excluded)
      let ranked = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      var hits: [Hit] = []
      let positive = groups.flatMap { $0 }
      for (rank, entry) in ranked.prefix(max(0, limit)).enumerated() {
        let paragraph = try reader.paragraph(Int(entry.key))
        hits.append(
          Hit(
            rank: rank + 1, score: entry.value, paragraph: paragraph,
            highlights: highlights(of: positive, in: paragraph.text)))
      }
      return SearchResult(query: text, total: scores.count, hits: hits)
    } catch {
      throw .index(error)
    }
  }

  /// The ids of every paragraph that matches `text`, ascending.
  public func matchingParagraphs(_ text: String) throws(Failure) -> [Int] {
    let query: Query
    do { query = try QueryParser.parse(text) } catch { throw .query(error) }
    let (groups, excluded) = try prepare(query)
    do {
      return try evaluate(groups: groups, excluded: excluded).keys.map { Int($0) }.sorted()
    } catch {
      throw .index(error)
    }
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

  /// The BM25 score of every paragraph that matches one clause of every group and no
  /// excluded clause.
  private func evaluate(groups: [[Phrase]], excluded: [Phrase]) throws(IndexError) -> [UInt32: Double] {
    // The paragraphs that match every group so far.
    var matched: [UInt32: Double]? = nil
    var clauses: [[(paragraph: UInt32, tf: Int)]] = []
    for group in groups {
      var groupMatches: Set<UInt32> = []
      for phrase in group {
        let matches = try matches(of: phrase)
        clauses.append(matches)
        for match in matches { groupMatches.insert(match.paragraph) }
      }
      var next: [UInt32: Double] = [:]
      for paragraph in groupMatches where matched == nil || matched![paragraph] != nil {
        next[paragraph] = 0
      }
      matched = next
    }
    var scores = matched ?? [:]
    for phrase in excluded {
      for match in try matches(of: phrase) { scores[match.paragraph] = nil }
    }
    // BM25: each clause's IDF from its own document frequency.
    let averageLength = reader.averageLength
    var lengths: [UInt32: Int] = [:]
    for list in clauses {
      let idf = scoring.idf(documentFrequency: list.count, documentCount: reader.paragraphCount)
      for (paragraph, tf) in list where scores[paragraph] != nil {
        let length: Int
        if let known = lengths[paragraph] {
          length = known
        } else {
          length = try reader.length(ofParagraph: Int(paragraph))
          lengths[paragraph] = length
        }
        scores[paragraph]! += scoring.score(
          termFrequency: tf, length: length, averageLength: averageLength, idf: idf)
      }
    }
    return scores
  }

  // MARK: - Matching through the index

  /// The paragraphs that contain `phrase`, with how often each contains it.
  func matches(of phrase: Phrase) throws(IndexError) -> [(paragraph: UInt32, tf: Int)] {
    var lists: [PostingList] = []
    for (term, _) in phrase.terms {
      guard let list = try postings(of: term) else { return [] }
      lists.append(list)
    }
    // Drive the walk by the shortest list; find its paragraphs in the others.
    let driver = lists.indices.min { lists[$0].count < lists[$1].count }!
    var cursors = [Int](repeating: 0, count: lists.count)
    var results: [(paragraph: UInt32, tf: Int)] = []
    var slices = [ArraySlice<UInt32>](repeating: [], count: lists.count)
    for i in 0..<lists[driver].count {
      let paragraph = lists[driver].paragraphs[i]
      var present = true
      for k in lists.indices {
        if k == driver {
          slices[k] = lists[k].positions(at: i)
          continue
        }
        let found = Self.advance(lists[k].paragraphs, from: cursors[k], to: paragraph)
        cursors[k] = found
        guard found < lists[k].count, lists[k].paragraphs[found] == paragraph else {
          present = false
          break
        }
        slices[k] = lists[k].positions(at: found)
      }
      guard present else { continue }
      var starts = phrase.matchStarts(slices)
      if phrase.needsVerification && !starts.isEmpty {
        let folded = try foldedScalars(ofParagraph: Int(paragraph))
        starts.removeAll { !phrase.verify(start: $0, in: folded) }
      }
      if !starts.isEmpty { results.append((paragraph, starts.count)) }
    }
    return results
  }

  /// The postings of one phrase term, or nil when the index has none.
  private func postings(of term: Phrase.Term) throws(IndexError) -> PostingList? {
    switch term {
    case .key(let key):
      guard let entry = try reader.dictionary.entry(for: key) else { return nil }
      return try reader.postings(entry)
    case .prefix(let character):
      let entries = try reader.dictionary.entries(in: TermKey.hanPrefixRange(character))
      if entries.isEmpty { return nil }
      var lists: [PostingList] = []
      for entry in entries { lists.append(try reader.postings(entry)) }
      return PostingList.union(lists)
    case .word(let bytes):
      guard let key = try reader.dictionary.wordKey(bytes),
        let entry = try reader.dictionary.entry(for: key)
      else { return nil }
      return try reader.postings(entry)
    }
  }

  /// The first index at or after `start` whose paragraph is not below `target` (galloping).
  private static func advance(_ paragraphs: [UInt32], from start: Int, to target: UInt32) -> Int {
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

  // MARK: - Highlights

  /// The spans of `text` (character offsets) where any of `phrases` matches.
  func highlights(of phrases: [Phrase], in text: String) -> [Range<Int>] {
    let analyzed = analyzer.analyze(text, offsets: true)
    let foldedStarts = analyzed.codePointByteOffsets()
    let characterAtByte = Self.characterIndexByByte(text)
    var folded: [UInt32]? = nil
    var spans: [Range<Int>] = []
    for phrase in phrases {
      var slices: [ArraySlice<UInt32>] = []
      for (term, _) in phrase.terms {
        let positions = analyzed.tokens.filter { token in
          switch term {
          case .key(let key): return token.isHan && token.hanKey == key
          case .prefix(let character):
            return token.isHan && TermKey.firstCharacter(token.hanKey) == character
          case .word(let bytes): return !token.isHan && analyzed.folded[token.folded].elementsEqual(bytes)
          }
        }.map(\.position)
        slices.append(positions[...])
      }
      for start in phrase.matchStarts(slices) {
        if phrase.needsVerification {
          if folded == nil { folded = analyzed.codePoints() }
          guard phrase.verify(start: start, in: folded!) else { continue }
        }
        let first = Int(start - phrase.leading)
        let last = first + phrase.foldedScalars.count
        guard last < foldedStarts.count else { continue }
        let source = analyzed.sourceRange(ofFolded: foldedStarts[first]..<foldedStarts[last])
        spans.append(characterAtByte[source.lowerBound]..<characterAtByte[source.upperBound])
      }
    }
    return Self.merge(spans)
  }

  /// For each byte offset of `text` (and its end), the index of the character it falls in.
  private static func characterIndexByByte(_ text: String) -> [Int] {
    var map: [Int] = []
    map.reserveCapacity(text.utf8.count + 1)
    var index = -1
    for byte in text.utf8 {
      if byte & 0xC0 != 0x80 { index += 1 }
      map.append(index)
    }
    map.append(index + 1)
    return map
  }

  /// Sorts spans and merges those that overlap or touch.
  static func merge(_ spans: [Range<Int>]) -> [Range<Int>] {
    var merged: [Range<Int>] = []
    for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      if let last = merged.last, span.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
      } else {
        merged.append(span)
      }
    }
    return merged
  }
}
