/// Reading posting lists: a term's paragraphs and frequencies (whole, in halves, or through
/// its skip table), a character's best paragraphs, and positions.
extension IndexReader {

  /// Decodes a term's paragraph list (ids and frequencies), leaving its positions for later.
  func docList(_ entry: TermEntry) throws(IndexError) -> DocList {
    try checkListSize(entry)
    var paragraphs = [UInt32](repeating: 0, count: entry.documentFrequency)
    var frequencies = [UInt32](repeating: 0, count: entry.documentFrequency)
    try paragraphs.withUnsafeMutableBufferPointer { (paragraphs) throws(IndexError) in
      try frequencies.withUnsafeMutableBufferPointer { (frequencies) throws(IndexError) in
        guard let p = paragraphs.baseAddress, let f = frequencies.baseAddress else { return }
        try decodeInTwoChains([(entry, p, f)])
      }
    }
    return try DocList(entry: entry, paragraphs: paragraphs, frequencies: frequencies, file: self.docs.name)
  }

  /// Decodes two terms' paragraph lists as two chains of about equal length in lockstep
  /// (`decodeInTwoChains`): about as fast as decoding half of their postings one at a time.
  func docLists(_ a: TermEntry, _ b: TermEntry) throws(IndexError) -> (DocList, DocList) {
    try checkListSize(a)
    try checkListSize(b)
    // Decoded straight into the lists' arrays.
    var paragraphsA = [UInt32](repeating: 0, count: a.documentFrequency)
    var frequenciesA = [UInt32](repeating: 0, count: a.documentFrequency)
    var paragraphsB = [UInt32](repeating: 0, count: b.documentFrequency)
    var frequenciesB = [UInt32](repeating: 0, count: b.documentFrequency)
    try paragraphsA.withUnsafeMutableBufferPointer { (pa) throws(IndexError) in
      try frequenciesA.withUnsafeMutableBufferPointer { (fa) throws(IndexError) in
        try paragraphsB.withUnsafeMutableBufferPointer { (pb) throws(IndexError) in
          try frequenciesB.withUnsafeMutableBufferPointer { (fb) throws(IndexError) in
            // Empty arrays may have no storage: one posting's room on the stack stands in.
            var spare: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
            try withUnsafeMutablePointer(to: &spare) { spare throws(IndexError) in
              let room = UnsafeMutableRawPointer(spare).assumingMemoryBound(to: UInt32.self)
              try decodeInTwoChains([
                (a, pa.baseAddress ?? room, fa.baseAddress ?? room + 1),
                (b, pb.baseAddress ?? room + 2, fb.baseAddress ?? room + 3),
              ])
            }
          }
        }
      }
    }
    return (
      try DocList(entry: a, paragraphs: paragraphsA, frequencies: frequenciesA, file: docs.name),
      try DocList(entry: b, paragraphs: paragraphsB, frequencies: frequenciesB, file: docs.name)
    )
  }

  /// Decodes whole lists, each into its buffers (room for all its postings), as two chains
  /// that run in lockstep (`DocIterator.decodeInLockstep`: a core runs two chains of bit
  /// scans side by side in about the time of one).
  ///
  /// The lists are laid end to end and cut near the middle, at the block boundary (a skip
  /// entry) closest to it, so each chain decodes about half of all the postings: a list of
  /// 5,000 and one of 27,000 take about 16,000 steps, not 27,000 (the first chain decodes
  /// the lists in order until it holds half the postings, the second the rest).
  private func decodeInTwoChains(
    _ lists: [(entry: TermEntry, paragraphs: UnsafeMutablePointer<UInt32>, frequencies: UnsafeMutablePointer<UInt32>)]
  ) throws(IndexError) {
    typealias Piece = (docs: DocIterator, paragraphs: UnsafeMutablePointer<UInt32>, frequencies: UnsafeMutablePointer<UInt32>)
    let total = lists.reduce(0) { $0 + $1.entry.documentFrequency }
    var first: [Piece] = []
    var second: [Piece] = []
    // Postings given to the first chain so far.
    var filled = 0
    for list in lists {
      let count = list.entry.documentFrequency
      let wanted = total / 2 - filled
      if count <= wanted {
        first.append((try docIterator(list.entry), list.paragraphs, list.frequencies))
        filled += count
        continue
      }
      // The list's first `blocks` blocks to the first chain, the rest to the second.
      let blocks = wanted <= 0 ? 0 : min((wanted + IndexFormat.skipBlock / 2) / IndexFormat.skipBlock, Self.skipCount(list.entry))
      if blocks == 0 {
        second.append((try docIterator(list.entry), list.paragraphs, list.frequencies))
      } else {
        let (head, tail) = try docIterators(list.entry, splitAtBlock: blocks)
        let split = blocks * IndexFormat.skipBlock
        first.append((head, list.paragraphs, list.frequencies))
        second.append((tail, list.paragraphs + split, list.frequencies + split))
        filled += split
      }
    }
    var (i, j) = (0, 0)
    while i < first.count && j < second.count {
      let count = min(first[i].docs.remaining, second[j].docs.remaining)
      if count > 0 {
        let (paragraphsA, frequenciesA) = (first[i].paragraphs, first[i].frequencies)
        let (paragraphsB, frequenciesB) = (second[j].paragraphs, second[j].frequencies)
        try DocIterator.decodeInLockstep(
          count, &first[i].docs, into: paragraphsA, frequenciesA, &second[j].docs, into: paragraphsB, frequenciesB)
        first[i].paragraphs += count
        first[i].frequencies += count
        second[j].paragraphs += count
        second[j].frequencies += count
      }
      if first[i].docs.remaining == 0 { i += 1 }
      if second[j].docs.remaining == 0 { j += 1 }
    }
    // The longer chain's end alone.
    for k in i..<first.count { try first[k].docs.decode(first[k].docs.remaining, paragraphs: first[k].paragraphs, frequencies: first[k].frequencies) }
    for k in j..<second.count { try second[k].docs.decode(second[k].docs.remaining, paragraphs: second[k].paragraphs, frequencies: second[k].frequencies) }
  }

  /// Throws when a term claims more paragraphs than its bits can hold (each takes two at least).
  private func checkListSize(_ entry: TermEntry) throws(IndexError) {
    guard entry.documentFrequency <= entry.docsRange.count * 4 else {
      throw .corrupt(file: docs.name, detail: "more paragraphs than the list can hold for term \(entry.key)")
    }
  }

  /// An iterator over a term's paragraphs and frequencies, keeping nothing: over the
  /// whole list, or over its first `postings` (a range starting at 0).
  func docIterator(_ entry: TermEntry, postings: Range<Int>? = nil) throws(IndexError) -> DocIterator {
    let skipBytes = Self.skipCount(entry) * IndexFormat.skipEntrySize
    guard skipBytes <= entry.docsRange.count else {
      throw .corrupt(file: docs.name, detail: "skip table larger than the list of term \(entry.key)")
    }
    let (bits, loadable) = try docs.bytesWithSlack(entry.docsRange.lowerBound + skipBytes..<entry.docsRange.upperBound)
    return DocIterator(
      decoder: DocDecoder(bits, loadable: loadable, gapBits: gapBits(entry), paragraphCount: paragraphCount),
      entry: entry, file: docs.name, postings: postings)
  }

  /// Iterators over the two halves of a long list, split at a block boundary found in its
  /// skip table, for decoding them in lockstep (`DocIterator.decodeAll`); nil for a list
  /// of fewer than four blocks.
  func docIteratorHalves(_ entry: TermEntry) throws(IndexError) -> (DocIterator, DocIterator)? {
    let skipCount = Self.skipCount(entry)
    guard skipCount >= 3 else { return nil }
    return try docIterators(entry, splitAtBlock: (skipCount + 1) / 2)
  }

  /// Iterators over a list's first `blocks` blocks of postings and over the rest, the second
  /// starting where the skip table says block `blocks` starts (from 1 to the number of skip
  /// entries).
  func docIterators(_ entry: TermEntry, splitAtBlock blocks: Int) throws(IndexError) -> (DocIterator, DocIterator) {
    let skipCount = Self.skipCount(entry)
    precondition(blocks >= 1 && blocks <= skipCount, "a list is split at one of its skip entries")
    let skipBytes = skipCount * IndexFormat.skipEntrySize
    guard skipBytes <= entry.docsRange.count else {
      throw .corrupt(file: docs.name, detail: "skip table larger than the list of term \(entry.key)")
    }
    let (bits, loadable) = try docs.bytesWithSlack(entry.docsRange.lowerBound + skipBytes..<entry.docsRange.upperBound)
    // The second part starts at block `blocks`, whose skip entry is number blocks - 1.
    let skip = try docs.bytes(entry.docsRange.lowerBound + (blocks - 1) * IndexFormat.skipEntrySize..<entry.docsRange.lowerBound + blocks * IndexFormat.skipEntrySize)
    let last = UInt64(UInt32(littleEndian: skip.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
    let bit = Int(UInt32(littleEndian: skip.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
    guard bit <= bits.count * 8, last < UInt64(paragraphCount) else {
      throw .corrupt(file: docs.name, detail: "skip entry out of range for term \(entry.key)")
    }
    let split = blocks * IndexFormat.skipBlock
    let gapBits = gapBits(entry)
    var first = DocIterator(
      decoder: DocDecoder(bits, loadable: loadable, gapBits: gapBits, paragraphCount: paragraphCount),
      entry: entry, file: docs.name, postings: 0..<split)
    first.expectedEnd = (bit, last)
    let second = DocIterator(
      decoder: DocDecoder(bits, loadable: loadable, gapBits: gapBits, paragraphCount: paragraphCount, bit: bit),
      entry: entry, file: docs.name, postings: split..<entry.documentFrequency, previous: last)
    return (first, second)
  }

  /// A character's best paragraphs (see `IndexFormat`), and how many paragraphs hold the
  /// character; nil when the index keeps none for it.
  func characterBest(_ character: UInt32) throws(IndexError) -> (entry: TermEntry, unionFrequency: Int)? {
    guard let entry = try dictionary.entry(for: TermKey.characterBest(character)) else { return nil }
    return (entry, try unionFrequency(ofBest: entry))
  }

  /// The header of a character's best paragraphs: how many paragraphs hold the character (at
  /// least as many as the list holds, and not more than the index).
  func unionFrequency(ofBest entry: TermEntry) throws(IndexError) -> Int {
    let start = entry.docsRange.lowerBound - IndexFormat.characterBestHeaderSize
    let header = try docs.bytes(start..<entry.docsRange.lowerBound)
    let union = Int(UInt32(littleEndian: header.loadUnaligned(as: UInt32.self)))
    guard union >= entry.documentFrequency, union <= paragraphCount else {
      throw .corrupt(file: docs.name, detail: "best paragraphs of term \(entry.key) out of range")
    }
    return union
  }

  /// The Rice parameter of a term's paragraph gaps.
  private func gapBits(_ entry: TermEntry) -> Int {
    IndexFormat.docGapBits(documentFrequency: entry.documentFrequency, paragraphCount: paragraphCount)
  }

  /// Skip entries before a term's paragraph list: one per block of 128 after the first.
  static func skipCount(_ entry: TermEntry) -> Int {
    max(0, (entry.documentFrequency + IndexFormat.skipBlock - 1) / IndexFormat.skipBlock - 1)
  }

  /// A cursor that finds paragraphs in a term's list by jumping with its skip table.
  func docCursor(_ entry: TermEntry) throws(IndexError) -> DocCursor {
    let skipBytes = Self.skipCount(entry) * IndexFormat.skipEntrySize
    guard skipBytes <= entry.docsRange.count else {
      throw .corrupt(file: docs.name, detail: "skip table larger than the list of term \(entry.key)")
    }
    let all = try docs.bytes(entry.docsRange)
    return DocCursor(
      entry: entry, skips: UnsafeRawBufferPointer(rebasing: all[0..<skipBytes]),
      docs: UnsafeRawBufferPointer(rebasing: all[skipBytes...]), gapBits: gapBits(entry),
      paragraphCount: paragraphCount, file: docs.name)
  }

  /// The positions file's name, for errors about its contents.
  var positionsFileName: String { positions.name }

  /// A reader of a term's positions, for use with the term's `DocList`.
  func positionReader(_ entry: TermEntry) throws(IndexError) -> PositionReader {
    try PositionReader(
      try positions.bytes(entry.positionsRange), occurrences: entry.occurrences, lowBits: positionLowBits,
      file: positions.name)
  }

  /// Decodes a term's paragraphs and positions.
  func postings(_ entry: TermEntry) throws(IndexError) -> PostingList {
    let docList = try docList(entry)
    var list = PostingList()
    list.paragraphs = docList.paragraphs
    if !TermKey.hasPositions(entry.key) {
      // A character's own list and best paragraphs have no positions.
      list.positionStarts = [Int](repeating: 0, count: docList.count + 1)
      return list
    }
    list.positionStarts.reserveCapacity(docList.count + 1)
    list.positions.reserveCapacity(min(entry.occurrences, entry.positionsRange.count))
    var reader = try positionReader(entry)
    for i in 0..<docList.count {
      try reader.positions(
        from: docList.positionIndex[i], count: Int(docList.frequencies[i]), into: &list.positions)
      list.positionStarts.append(list.positions.count)
    }
    return list
  }
}
