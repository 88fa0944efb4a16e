/// The k-way merge of one chunk of the key range: the runs' terms in order, each term's
/// pieces from its runs encoded as one list in the final format (see `IndexFormat`), and
/// the lists of the frequent characters (`CharacterLists`) after each one's last term.
enum ChunkMerger {
  /// Merges the terms the cursors cover (one chunk), encoding their postings into `docs`
  /// and `positions` and handing a buffer's bytes to `flushDocs` or `flushPositions`
  /// whenever it holds `flushBytes`; what is left in the buffers at the end is the caller's
  /// to write.
  static func merge(
    _ list: CursorList, paragraphCount: Int, positionLowBits: Int, lengths: ParagraphLengths, tally characterTally: Tally,
    docs: inout RawByteBuffer, positions: inout RawByteBuffer, flushBytes: Int,
    flushDocs writeDocs: (UnsafeRawBufferPointer) throws(IndexError) -> Void,
    flushPositions writePositions: (UnsafeRawBufferPointer) throws(IndexError) -> Void
  ) throws(IndexError) -> MergedChunk {
    var part = MergedChunk()
    // Room for every term at once (at most the cursors' terms left, about): growing the
    // entries would copy them again and again, into fresh memory.
    part.entries.reserveCapacity(list.termsLeft)
    var wordRank: UInt64 = 0
    var scratch = DocScratch()
    var streams = PositionStreams(lowBits: positionLowBits)
    // The cursors of the current term, by index, in memory of their own (an array's appends
    // and pops would check its uniqueness, three times a term).
    let memberSlots = UnsafeMutablePointer<Int>.allocate(capacity: max(1, list.indices.count))
    defer { memberSlots.deallocate() }
    var memberCount = 0
    // A character's terms come one after another: for a character whose lists are long
    // enough to give it its best paragraphs, and perhaps its own list (known when it starts,
    // from the postings of its terms in every run), their postings are summed here, and
    // those lists written when the next character starts.
    var character: UInt64? = nil
    // Whether the current character gets its own list and its best paragraphs (from the
    // postings of its terms, summed when it starts).
    var (ownList, bestList) = (false, false)
    var ratios: [(ratio: Double, paragraph: UInt32)] = []
    var (countScratch, lengthScratch): ([UInt32], [UInt32]) = ([], [])
    let allInMemory = list.allInMemory
    var blind = false
    // BM25's length factors of paragraphs of up to 1,023 tokens, for the best paragraphs.
    let factors = (0..<1024).map { BM25().lengthFactor(length: $0, averageLength: lengths.averageLength) }
    // The Rice parameter of the lists of fewer than 256 paragraphs, most terms', worked out
    // once (it takes a division and the paragraph count scaled).
    let smallGapBits = (0..<256).map { IndexFormat.docGapBits(documentFrequency: $0, paragraphCount: paragraphCount) }
    var tallied = false
    func finishCharacter() throws(IndexError) {
      defer {
        characterTally.clear()
        tallied = false
      }
      guard let first = character, tallied else { return }
      guard !characterTally.overflowed else {
        throw .corrupt(file: "scratch runs", detail: "frequencies too large for one paragraph")
      }
      // (In ascending order, the counters and lengths are read in order.)
      if blind { characterTally.recordNonzero() } else { characterTally.sortTouched() }
      if bestList {
        let (documentFrequency, occurrences, docsLength) = try CharacterLists.writeBestList(
          characterTally, paragraphCount: paragraphCount, lengths: lengths, factors: factors, docs: &docs, scratch: &scratch,
          ratios: &ratios, countScratch: &countScratch, lengthScratch: &lengthScratch)
        part.entries.append((TermKey.characterBest(UInt32(first)), documentFrequency, occurrences, docsLength, 0))
      }
      if ownList {
        let (documentFrequency, occurrences, docsLength) = try CharacterLists.writeOwnList(
          characterTally.touched, counts: characterTally.counters, paragraphCount: paragraphCount, docs: &docs,
          scratch: &scratch)
        part.entries.append((TermKey.characterList(UInt32(first)), documentFrequency, occurrences, docsLength, 0))
      }
    }
    while true {
      // The smallest current term: Han keys first, in key order, then words in byte order.
      // (Keys compare as integers unless both are words, whose ranks are their run's.)
      var smallest = -1
      var key = UInt64.max
      for index in list.indices where !list.isDone(index) {
        let other = list.key(index)
        if smallest < 0 || (other & key & TermKey.wordFlag == 0 ? other < key : list.precedes(index, smallest)) {
          (smallest, key) = (index, other)
        }
      }
      guard smallest >= 0 else { break }
      memberCount = 0
      for index in list.indices where !list.isDone(index) {
        let other = list.key(index)
        let same =
          other & key & TermKey.wordFlag == 0
          ? other == key : !list.precedes(smallest, index) && !list.precedes(index, smallest)
        if same {
          memberSlots[memberCount] = index
          memberCount += 1
        }
      }
      let isWord = key & TermKey.wordFlag != 0
      let termCharacter: UInt64? = isWord ? nil : key >> 21
      if termCharacter != character {
        try finishCharacter()
        character = termCharacter
        // (A character's terms are consecutive in every run, from each cursor's current
        // one on.)
        let postings = termCharacter.map { c in list.indices.reduce(0) { $0 + list.postings(ofCharacter: c, in: $1) } } ?? 0
        ownList = postings >= IndexFormat.characterListThreshold(paragraphCount: paragraphCount)
        bestList = postings >= IndexFormat.characterBestThreshold(paragraphCount: paragraphCount)
        tallied = bestList
        // A character found in many paragraphs is summed without noting the paragraphs as
        // they come (they are read off the counters at the end), when no run was read
        // back from disk (where damage could make a counter wrap).
        blind = tallied && allInMemory && postings >= paragraphCount / 16
      }
      let members = UnsafeBufferPointer(start: memberSlots, count: memberCount)
      var (documentFrequency, termOccurrences) = (0, 0)
      for member in members {
        let (frequency, occurrences) = list.counts(member)
        documentFrequency += frequency
        termOccurrences += occurrences
      }
      let gapBits =
        documentFrequency < smallGapBits.count
        ? smallGapBits[documentFrequency]
        : IndexFormat.docGapBits(documentFrequency: documentFrequency, paragraphCount: paragraphCount)
      let (docsLength, positionsLength): (Int, Int)
      if members.count == 1 && termOccurrences <= ShortList.limit,
        let (records, range, base) = list.packedRecords(members[0]),
        let written = ShortList.write(
          records, range, base: base, gapBits: gapBits, lowBits: positionLowBits, paragraphCount: paragraphCount,
          tally: tallied ? Unmanaged.passUnretained(characterTally) : nil, blind: blind, docs: &docs,
          positions: &positions)
      {
        (docsLength, positionsLength) = written
      } else {
        streams.removeAll()
        docsLength = try writeList(
          members, of: list, gapBits: gapBits, docs: &docs, streams: &streams, scratch: &scratch,
          tally: tallied ? characterTally : nil, blind: blind)
        positionsLength = streams.write(into: &positions)
      }
      if isWord {
        part.entries.append((TermKey.wordFlag | wordRank, documentFrequency, termOccurrences, docsLength, positionsLength))
        part.wordBytes.append(contentsOf: list.word(smallest))
        part.wordEnds.append(part.wordBytes.count)
        wordRank += 1
      } else {
        part.entries.append((key, documentFrequency, termOccurrences, docsLength, positionsLength))
      }
      part.postings += documentFrequency
      part.occurrences += termOccurrences
      for member in members { list.advance(member) }
      if docs.count >= flushBytes {
        try writeDocs(docs.bytes)
        docs.removeAll()
      }
      if positions.count >= flushBytes {
        try writePositions(positions.bytes)
        positions.removeAll()
      }
    }
    try finishCharacter()
    return part
  }

  /// Writes one term's list: its pieces from each of its runs (`members`, indices into
  /// `cursors`; decoded from a written run's varints, or read from a run's sorted records
  /// in memory) encoded as doc bits, with a skip entry before each block of 128
  /// paragraphs after the first (see `IndexFormat`), and its positions into `streams`; each
  /// posting is also added to `tally` when given.
  ///
  /// - Returns: the bytes written to `docs`.
  private static func writeList(
    _ members: UnsafeBufferPointer<Int>, of cursors: CursorList, gapBits: Int, docs: inout RawByteBuffer, streams: inout PositionStreams,
    scratch: inout DocScratch, tally: Tally?, blind: Bool
  ) throws(IndexError) -> Int {
    scratch.docs.removeAll()
    scratch.skips.removeAll()
    var list = DocEncoder(gapBits: gapBits, tally: tally, blind: blind)
    // The bit streams' state in local variables (kept in registers by the loops), given back
    // however the list ends.
    var docBits = scratch.docs.lend()
    var positions = streams.lend()
    defer {
      scratch.docs.settle(docBits)
      streams.settle(positions)
    }
    for member in members {
      if let (records, range, base) = cursors.packedRecords(member) {
        // The common case: every record of the term is packed. A paragraph's run of records
        // gives its frequency, then its positions: the first absolute, then the gaps.
        try DocEncoder.encodePacked(
          records, range, base: base, list: &list, docBits: &docBits, skips: &scratch.skips, positions: &positions)
      } else {
        try cursors.encodeTerm(member, list: &list, docBits: &docBits, skips: &scratch.skips, positions: &positions)
      }
    }
    docBits.alignToByte()
    // (Most lists are too short for skip entries: no copy, and no call, for them.)
    if scratch.skips.count > 0 { scratch.skips.bytes.withUnsafeBytes { docs.append($0) } }
    docs.append(docBits.written)
    return scratch.skips.count + docBits.written.count
  }
}
