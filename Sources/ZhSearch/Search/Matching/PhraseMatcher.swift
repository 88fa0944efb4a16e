/// Finds a phrase's exact matches through the index: the paragraphs that contain it, with
/// how often each does.
///
/// The matcher keeps the terms it needs (a cover of the phrase's bigrams), takes the rarest
/// term's paragraphs as candidates, keeps those that hold every other term (probing long
/// lists through their skip tables), reads positions for the candidates only, and keeps
/// those where every term sits at its offset (and, for phrases with punctuation or
/// whitespace, where the folded text agrees). Not thread-safe.
final class PhraseMatcher {
  let termLists: TermLists
  private let reader: IndexReader
  private let sums: ListSums
  private let analyzer: Analyzer
  /// Per-paragraph counters, all zero between uses.
  private let tally: Tally
  /// A bit per paragraph, all clear between uses.
  private let marks: ParagraphMarks

  init(termLists: TermLists, sums: ListSums, marks: ParagraphMarks, analyzer: Analyzer) {
    self.marks = marks
    self.termLists = termLists
    reader = termLists.reader
    self.sums = sums
    self.analyzer = analyzer
    tally = sums.tally
  }

  /// The paragraphs that contain `phrase`, with how often each contains it: every match
  /// start, or with `minimumGap` above 1 only starts at least that far after the last one
  /// counted (leftmost non-overlapping matches, as `grep -o` counts, when the gap is the
  /// phrase's length). A gap needs each match's start, so the paths that read no
  /// positions are not taken then.
  func matches(of phrase: Phrase, minimumGap: UInt32 = 0) throws(IndexError) -> Matches {
    let countsEveryStart = minimumGap <= 1
    if phrase.terms.count == 1 && !phrase.needsVerification && countsEveryStart, let list = try termLists.characterList(phrase.terms[0].term) {
      // A frequent character alone: its own list holds the matches.
      let decoded = try termLists.docList(list)
      return Matches(paragraphs: decoded.paragraphs, frequencies: decoded.frequencies)
    }
    // Each term's dictionary entries: one, or for a single character one per term starting with it.
    var allEntries: [[TermEntry]] = []
    for (term, _) in phrase.terms {
      let termEntries = try termLists.entries(of: term)
      if termEntries.isEmpty { return Matches() }
      allEntries.append(termEntries)
    }
    // Only the terms needed to prove the phrase, the rarest kept.
    let needed = phrase.neededTerms(documentFrequencies: allEntries.map { $0.reduce(0) { $0 + $1.documentFrequency } })
    let entries = needed.map { allEntries[$0] }
    let offsets = needed.map { phrase.terms[$0].offset }
    if phrase.terms.count == 1 && !phrase.needsVerification && countsEveryStart {
      // No positions needed: the term's paragraphs and frequencies are the matches.
      if entries[0].count == 1 {
        let list = try termLists.docList(entries[0][0])
        return Matches(paragraphs: list.paragraphs, frequencies: list.frequencies)
      }
      return try sums.matches(entries[0])
    }
    // Candidates: the rarest term's paragraphs, kept where every other term is present. A
    // long single list is probed through its skip table; others are decoded and intersected.
    let frequency = entries.map { $0.reduce(0) { $0 + $1.documentFrequency } }
    let order = entries.indices.sorted { frequency[$0] < frequency[$1] }
    var decoded: [Int: [DocList]] = [:]
    func lists(_ k: Int) throws(IndexError) -> [DocList] {
      if let known = decoded[k] { return known }
      let lists = try entries[k].map { entry throws(IndexError) in try termLists.docList(entry) }
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
      let (rarest, next) = try termLists.docLists(entries[order[0]][0], entries[order[1]][0])
      (decoded[order[0]], decoded[order[1]]) = ([rarest], [next])
      if entries.count == 2 && !phrase.needsVerification && countsEveryStart {
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
          let keptIndices = SortedSets.indices(of: kept, in: candidates)
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
      if phrase.needsVerification || !countsEveryStart {
        let folded = phrase.needsVerification ? try foldedScalars(ofParagraph: Int(paragraph)) : []
        // Starts ascend: a start counts when it is a match and no counted one overlaps it.
        var next: UInt64 = 0
        verified = 0
        for k in 0..<count {
          let start = scratch.starts[k]
          guard UInt64(start) >= next else { continue }
          if phrase.needsVerification && !phrase.verify(start: start, in: folded) { continue }
          verified += 1
          next = UInt64(start) + UInt64(minimumGap)
        }
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


  /// The candidates found in at least one of `lists` (a single character's): each
  /// candidate is marked in the tally, then each list's paragraphs are looked up there, so
  /// hundreds of lists cost one lookup a posting and no merge or sort.
  private func intersection(_ candidates: [UInt32], anyOf lists: [DocList]) -> [UInt32] {
    if lists.count == 1 { return marks.intersect(candidates, lists[0].paragraphs) }
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
        d = SortedSets.advance(list.paragraphs, from: d, to: paragraph)
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

  /// The code points of a paragraph's folded text, for verifying matches.
  private func foldedScalars(ofParagraph id: Int) throws(IndexError) -> [UInt32] {
    analyzer.analyze(try reader.paragraph(id).text, offsets: false).codePoints()
  }
}
