/// One query clause prepared for matching: the terms to look up and where each must sit.
///
/// A clause's folded text must occur in a paragraph's folded text, letter and digit tokens
/// matched whole. The clause's tokens give the terms: every Han bigram as an exact key, a
/// lone Han character (a run of one) as the range of keys that start with it, every letter
/// or digit run as a word, and a word right before a lone Han character as their joined
/// term. A paragraph matches at start `s` when every term has a position
/// at `s + offset`. When the clause holds separators (punctuation, whitespace) those are not
/// indexed, so each such match is also checked against the paragraph's folded text.
struct Phrase: Sendable {
  /// What to look up for one term of the phrase.
  enum Term: Hashable, Sendable {
    /// A Han bigram, or any other exactly keyed term.
    case key(UInt64)
    /// Every Han term that starts with this character (a single-character match).
    case prefix(UInt32)
    /// A letter or digit word, as folded UTF-8.
    case word([UInt8])
  }

  /// The clause as the user typed it.
  let text: String
  /// Terms and their offsets (in code points) from the first term.
  let terms: [(term: Term, offset: UInt32)]
  /// The folded clause as code points, for verifying clauses that hold separators.
  let foldedScalars: [UInt32]
  /// Code points of the folded clause before its first term.
  let leading: UInt32
  /// Whether matches must be checked against the folded text.
  let needsVerification: Bool

  /// Prepares `clause`, analyzed with `analyzer`.
  init(_ clause: String, analyzer: Analyzer) throws(QueryError) {
    text = clause
    let analyzed = analyzer.analyze(clause, offsets: false)
    let tokens = analyzed.tokens
    guard let first = tokens.first else { throw .nothingSearchable(clause: clause) }
    var terms: [(term: Term, offset: UInt32)] = []
    var covered = 0
    for (index, token) in tokens.enumerated() {
      let offset = token.position - first.position
      switch token.kind {
      case .hanBigram:
        terms.append((.key(token.hanKey), offset))
        covered += 1
      case .hanUnigram:
        covered += 1
        // A run-final unigram is covered by the bigram before it; only a run of one
        // character is looked up, as every term that starts with it.
        let follows = index > 0 && tokens[index - 1].kind == .hanBigram
          && tokens[index - 1].position + 1 == token.position
        if !follows { terms.append((.prefix(TermKey.firstCharacter(token.hanKey)), offset)) }
      case .letters, .digits:
        terms.append((.word(Array(analyzed.folded[token.folded])), offset))
        covered += analyzed.folded[token.folded].reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
      }
    }
    // A word right before a lone Han character is one joined term (see `TermKey.joinedWord`):
    // the index keeps one list for `2018年` instead of every term that starts with 年.
    var joined: [(term: Term, offset: UInt32)] = []
    var k = 0
    while k < terms.count {
      if k + 1 < terms.count, case .word(let word) = terms[k].term, case .prefix(let character) = terms[k + 1].term,
        terms[k + 1].offset == terms[k].offset + UInt32(word.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) })
      {
        joined.append((.word(TermKey.joinedWord(word, character)), terms[k].offset))
        k += 2
      } else {
        joined.append(terms[k])
        k += 1
      }
    }
    self.terms = joined
    let scalars = analyzed.codePoints()
    foldedScalars = scalars
    leading = first.position
    needsVerification = covered != scalars.count
  }

  /// The phrase's match starts (position of its first term) given each term's sorted
  /// positions in one paragraph.
  func matchStarts(_ positions: [ArraySlice<UInt32>]) -> [UInt32] {
    Self.matchStarts(positions, offsets: terms.map(\.offset))
  }

  /// Match starts from some of the phrase's terms: `positions[k]` are the sorted positions of
  /// the term at `offsets[k]`; a start is where every term sits at its offset.
  static func matchStarts(_ positions: [ArraySlice<UInt32>], offsets: [UInt32]) -> [UInt32] {
    var starts: [UInt32] = []
    for position in positions[0] {
      guard position >= offsets[0] else { continue }
      let start = position - offsets[0]
      var all = true
      for k in offsets.indices.dropFirst() {
        let (wanted, overflow) = start.addingReportingOverflow(offsets[k])
        if overflow || !Self.contains(positions[k], wanted) {
          all = false
          break
        }
      }
      if all { starts.append(start) }
    }
    return starts
  }

  /// Writes to `starts` the match starts in one paragraph, ascending, and returns how many:
  /// term k's positions (at `offsets[k]`) are `values[bounds[2k]..<bounds[2k + 1]]`,
  /// ascending; `starts` has room for as many as term 0 has positions.
  @inline(__always)
  static func matchStarts(
    values: UnsafePointer<UInt32>, bounds: UnsafePointer<Int>, offsets: [UInt32], into starts: UnsafeMutablePointer<UInt32>
  ) -> Int {
    var count = 0
    for i in bounds[0]..<bounds[1] {
      let position = values[i]
      guard position >= offsets[0] else { continue }
      let start = position - offsets[0]
      var all = true
      for k in 1..<offsets.count {
        var low = bounds[2 * k]
        var high = bounds[2 * k + 1]
        let (wanted, overflow) = start.addingReportingOverflow(offsets[k])
        if overflow {
          all = false
          break
        }
        while low < high {
          let middle = (low + high) / 2
          if values[middle] < wanted { low = middle + 1 } else { high = middle }
        }
        if low == bounds[2 * k + 1] || values[low] != wanted {
          all = false
          break
        }
      }
      if all {
        starts[count] = start
        count += 1
      }
    }
    return count
  }

  /// The terms needed to match the phrase exactly, given each term's document frequency.
  ///
  /// In a run of Han characters every adjacent pair is a bigram term, but fewer suffice:
  /// two bigrams at consecutive character positions prove the pair between them, because
  /// consecutive Han characters are always in one run. Bigrams are dropped, most frequent
  /// first, while every character stays covered by a kept bigram; single characters and
  /// words are always kept.
  func neededTerms(documentFrequencies: [Int]) -> [Int] {
    var coverage: [UInt32: Int] = [:]
    for (term, offset) in terms {
      if case .key = term {
        coverage[offset, default: 0] += 1
        coverage[offset + 1, default: 0] += 1
      }
    }
    var kept = [Bool](repeating: true, count: terms.count)
    let bigrams = terms.indices.filter { if case .key = terms[$0].term { return true } else { return false } }
    for k in bigrams.sorted(by: { documentFrequencies[$0] > documentFrequencies[$1] }) {
      let offset = terms[k].offset
      if coverage[offset]! >= 2 && coverage[offset + 1]! >= 2 {
        kept[k] = false
        coverage[offset]! -= 1
        coverage[offset + 1]! -= 1
      }
    }
    return terms.indices.filter { kept[$0] }
  }

  /// Whether the folded clause occurs in `folded` (a paragraph's folded code points) with its
  /// first term at `start`.
  func verify(start: UInt32, in folded: [UInt32]) -> Bool {
    guard start >= leading else { return false }
    let begin = Int(start - leading)
    guard begin + foldedScalars.count <= folded.count else { return false }
    return folded[begin..<begin + foldedScalars.count].elementsEqual(foldedScalars)
  }

  /// Binary search in a sorted slice.
  @inline(__always)
  static func contains(_ sorted: ArraySlice<UInt32>, _ value: UInt32) -> Bool {
    var low = sorted.startIndex
    var high = sorted.endIndex
    while low < high {
      let middle = (low + high) / 2
      if sorted[middle] < value { low = middle + 1 } else { high = middle }
    }
    return low < sorted.endIndex && sorted[low] == value
  }
}
