/// Whole-index reading: the counts `zhsearch stats` prints, and the checks of `zhsearch verify`.
extension IndexReader {

  /// Counts for `zhsearch stats`, read from the dictionary (every entry is read).
  public func statistics() throws(IndexError) -> IndexStatistics {
    var postings = 0
    var occurrences = 0
    try dictionary.forEach { entry in
      guard TermKey.hasPositions(entry.key) else { return }
      postings += entry.documentFrequency
      occurrences += entry.occurrences
    }
    let folder = directory.hasSuffix("/") ? directory : directory + "/"
    let manifestBytes = (try? MappedFile(path: folder + "manifest").bytes.count) ?? 0
    return IndexStatistics(
      formatVersion: Int(terms.version), generation: generation, foldsVariants: foldsVariants, files: fileCount,
      paragraphs: paragraphCount, terms: dictionary.termCount, postings: postings, positions: occurrences,
      textBytes: text.payloadCount,
      fileSizes: [.init(name: "manifest", bytes: manifestBytes)]
        + indexFiles.map { .init(name: $0.name, bytes: $0.byteCount) },
      roots: try roots(), builtAt: builtAt)
  }

  /// Checks every skip entry of a list against its sequential decoding. (A cursor checks a
  /// block's last paragraph, docs bit and position index when it loads the block; the bit
  /// where the block's positions start is checked only here.)
  private func verifySkips(_ entry: TermEntry, _ list: DocList) throws(IndexError) {
    let count = Self.skipCount(entry)
    guard count > 0 else { return }
    let table = try docs.bytes(entry.docsRange.lowerBound..<entry.docsRange.lowerBound + count * IndexFormat.skipEntrySize)
    var positions = TermKey.hasPositions(entry.key) ? try positionReader(entry) : nil
    for i in 0..<count {
      func field(_ k: Int) -> Int {
        Int(UInt32(littleEndian: table.loadUnaligned(fromByteOffset: i * IndexFormat.skipEntrySize + 4 * k, as: UInt32.self)))
      }
      let first = (i + 1) * IndexFormat.skipBlock
      guard first < list.count, field(0) == Int(list.paragraphs[first - 1]), field(2) == list.positionIndex[first],
        field(3) == (try positions?.highBitOffset(ofValue: list.positionIndex[first]) ?? 0)
      else { throw .corrupt(file: docs.name, detail: "skip entry \(i) does not match the list of term \(entry.key)") }
    }
  }

  /// Verifies every block checksum of every file and decodes every posting list; throws the
  /// first problem found.
  public func verify() throws(IndexError) {
    if let problem = problems(limit: 1).first { throw problem }
  }

  /// Every problem found in the index, up to `limit`: each damaged block of each file (by
  /// its byte range), then, in the files whose checksums hold, structure invariants: terms
  /// in key order, every paragraph list, skip entry and position list decodable and
  /// consistent with the dictionary, every paragraph entry within its files, every string
  /// of the file table within it. Empty when the index is sound.
  public func problems(limit: Int = 20) -> [IndexError] {
    var found: [IndexError] = []
    func note(_ error: IndexError) -> Bool {
      if found.count < limit { found.append(error) }
      return found.count < limit
    }
    for file in indexFiles {
      for error in file.damagedBlocks() where !note(error) { return found }
    }
    // Structure is read through the same checks, so a damaged block surfaces again there:
    // report it once.
    let damaged = Set(found.map(\.description))
    func check(_ body: () throws(IndexError) -> Void) -> Bool {
      do throws(IndexError) { try body() } catch {
        if damaged.contains(error.description) { return true }
        return note(error)
      }
      return true
    }
    var entries: [TermEntry] = []
    guard check({ () throws(IndexError) in try dictionary.forEach { entries.append($0) } }) else { return found }
    for (index, entry) in entries.enumerated() {
      let sound = check { () throws(IndexError) in
        if index > 0 && entries[index - 1].key >= entry.key {
          throw .corrupt(file: terms.name, detail: "terms out of order at entry \(index)")
        }
        let list = try docList(entry)
        try verifySkips(entry, list)
        if TermKey.isCharacterBest(entry.key) { _ = try unionFrequency(ofBest: entry) }
        _ = try postings(entry)
      }
      if !sound { return found }
    }
    for id in 0..<paragraphCount {
      if !check({ () throws(IndexError) in _ = try paragraph(id) }) { return found }
    }
    if let fileTable { _ = check { () throws(IndexError) in try fileTable.verify() } }
    return found
  }
}
