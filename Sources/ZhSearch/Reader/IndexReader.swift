import CICUShim

/// Opens an index folder and answers the lookups a query needs, reading only what it touches.
///
/// Opening reads the manifest and maps the five files of its generation; each file's
/// container is checked then, and each block is checked against its CRC-32 when first read.
/// Term lookup is a binary search over the dictionary's fixed-width block index, then a short
/// scan of one block (Han keys are computed, words are found in the sorted word table), so no
/// dictionary is ever loaded whole. Not thread-safe.
public final class IndexReader {
  /// A stored paragraph with its place in the corpus.
  public struct StoredParagraph: Sendable {
    public var id: Int
    public var file: String
    public var line: Int
    public var ordinal: Int
    /// Tokens in the paragraph (BM25's document length).
    public var length: Int
    public var text: String
  }

  public let directory: String
  public let generation: UInt64
  public let paragraphCount: Int
  public let fileCount: Int
  /// The sum of all paragraph lengths, in tokens.
  public let totalLength: Int
  /// Low bits of each position value stored at a fixed width (see `IndexFormat`).
  let positionLowBits: Int
  /// The term dictionary.
  let dictionary: TermDictionary
  private let terms: IndexFile
  private let docs: IndexFile
  private let positions: IndexFile
  private let paragraphs: IndexFile
  private let text: IndexFile
  private let fileNamesOffset: Int
  /// Paragraph lengths read so far: the table is read 1,024 entries at a time on first use,
  /// so ranking touches 4 bytes a paragraph instead of a 32-byte table entry.
  @exclusivity(unchecked) private var lengths: [UInt32] = []
  @exclusivity(unchecked) private var lengthChunkRead: [Bool] = []
  private static let lengthChunk = 1024

  /// The average paragraph length in tokens.
  public var averageLength: Double {
    paragraphCount == 0 ? 0 : Double(totalLength) / Double(paragraphCount)
  }

  /// Makes a fault in a mapped index file, truncated by another program while it is read,
  /// end the process with one line on standard error and exit status 2 instead of a crash
  /// (a SIGBUS handler, for the whole process: the CLI installs it).
  public static func reportTruncatedFiles() { _ = cshim_guard_mappings() }

  /// Opens the index in `directory`.
  ///
  /// - Throws: `IndexError.noIndex` when there is none, `.corrupt` or `.unsupportedVersion`
  ///   when a file is damaged or of another version.
  public init(directory: String) throws(IndexError) {
    self.directory = directory
    let folder = directory.hasSuffix("/") ? directory : directory + "/"
    // No manifest, no index: data files without one are what a first build that was
    // interrupted leaves (the next build removes them).
    guard FileSystem.exists(folder + "manifest") else { throw .noIndex(path: directory) }
    // A concurrent build may replace the generation between reading the manifest and
    // opening its files; read the new manifest then.
    var attempt = 0
    var opened: (UInt64, [IndexFile])
    while true {
      do throws(IndexError) {
        opened = try Self.openGeneration(folder)
        break
      } catch {
        attempt += 1
        if attempt >= 3 { throw error }
      }
    }
    generation = opened.0
    (terms, docs, positions, paragraphs, text) = (
      opened.1[0], opened.1[1], opened.1[2], opened.1[3], opened.1[4]
    )
    dictionary = try TermDictionary(
      file: terms, docsLimit: docs.payloadCount, positionsLimit: positions.payloadCount)
    var counts = ByteReader(try paragraphs.bytes(0..<24), file: paragraphs.name)
    let paragraphs64 = try counts.read(UInt64.self)
    let files64 = try counts.read(UInt64.self)
    let length64 = try counts.read(UInt64.self)
    // Counts are checked against the file size before any arithmetic, so a damaged count
    // is reported instead of overflowing.
    let size = UInt64(paragraphs.payloadCount)
    // Paragraph ids are 32-bit throughout the postings.
    guard paragraphs64 <= size / UInt64(IndexFormat.paragraphEntrySize), paragraphs64 <= UInt64(UInt32.max),
      files64 <= size / 8,
      length64 <= UInt64(Int.max / 2),
      24 + paragraphs64 * UInt64(IndexFormat.paragraphEntrySize) + (files64 + 1) * 8 <= size
    else { throw .corrupt(file: paragraphs.name, detail: "counts do not fit the file") }
    paragraphCount = Int(paragraphs64)
    fileCount = Int(files64)
    totalLength = Int(length64)
    positionLowBits = IndexFormat.positionLowBits(totalLength: totalLength, paragraphCount: paragraphCount)
    fileNamesOffset = 24 + paragraphCount * IndexFormat.paragraphEntrySize
  }

  private static func openGeneration(_ folder: String) throws(IndexError) -> (UInt64, [IndexFile]) {
    let manifest = try IndexFile(path: folder + "manifest", name: "manifest", kind: .manifest)
    var reader = ByteReader(try manifest.payload(), file: "manifest")
    let generation = try reader.read(UInt64.self)
    let analyzerVersion = try reader.read(UInt32.self)
    guard analyzerVersion == IndexFormat.analyzerVersion else {
      throw .unsupportedVersion(
        file: "manifest", found: Int(analyzerVersion), supported: Int(IndexFormat.analyzerVersion))
    }
    let count = try reader.read(UInt32.self)
    guard count == IndexFormat.dataKinds.count else {
      throw .corrupt(file: "manifest", detail: "lists \(count) files")
    }
    var files: [IndexFile] = []
    for kind in IndexFormat.dataKinds {
      let nameLength = Int(try reader.read(UInt16.self))
      let name = String(decoding: try reader.readBytes(nameLength), as: UTF8.self)
      // A size beyond Int is damage, like any other size that does not match the file.
      let byteCount = Int(exactly: try reader.read(UInt64.self)) ?? -1
      let checksum = try reader.read(UInt32.self)
      guard name == kind.fileName(generation: generation) else {
        throw .corrupt(file: "manifest", detail: "unexpected file name \(name)")
      }
      let file = try IndexFile(path: folder + name, name: name, kind: kind)
      guard file.byteCount == byteCount, file.tableChecksum == checksum else {
        throw .corrupt(file: name, detail: "does not match the manifest (size or checksum)")
      }
      files.append(file)
    }
    return (generation, files)
  }

  // MARK: - Postings

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
  private func unionFrequency(ofBest entry: TermEntry) throws(IndexError) -> Int {
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

  /// A reader of a term's positions, for use with the term's `DocList`.
  /// The positions file's name, for errors about its contents.
  var positionsFileName: String { positions.name }

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

  // MARK: - Paragraphs

  /// The length of a paragraph in tokens.
  @inline(__always)
  func length(ofParagraph id: Int) throws(IndexError) -> Int {
    guard id >= 0, id < paragraphCount else { throw .corrupt(file: paragraphs.name, detail: "no paragraph \(id)") }
    let chunk = id / Self.lengthChunk
    if chunk >= lengthChunkRead.count || !lengthChunkRead[chunk] { try readLengths(chunk) }
    return Int(lengths[id])
  }

  private func readLengths(_ chunk: Int) throws(IndexError) {
    guard chunk >= 0, chunk * Self.lengthChunk < paragraphCount else {
      throw .corrupt(file: paragraphs.name, detail: "no paragraph \(chunk * Self.lengthChunk)")
    }
    if lengths.isEmpty {
      lengths = [UInt32](repeating: 0, count: paragraphCount)
      lengthChunkRead = [Bool](repeating: false, count: (paragraphCount + Self.lengthChunk - 1) / Self.lengthChunk)
    }
    for id in chunk * Self.lengthChunk..<min(paragraphCount, (chunk + 1) * Self.lengthChunk) {
      lengths[id] = try paragraphs.uint32(at: 24 + id * IndexFormat.paragraphEntrySize + 24)
    }
    lengthChunkRead[chunk] = true
  }

  /// A paragraph's text and place.
  public func paragraph(_ id: Int) throws(IndexError) -> StoredParagraph {
    guard id >= 0, id < paragraphCount else {
      throw .corrupt(file: paragraphs.name, detail: "no paragraph \(id)")
    }
    let start = 24 + id * IndexFormat.paragraphEntrySize
    var reader = ByteReader(
      try paragraphs.bytes(start..<start + IndexFormat.paragraphEntrySize), file: paragraphs.name)
    let textOffset = try reader.read(UInt64.self)
    let textLength = try reader.read(UInt32.self)
    let file = Int(try reader.read(UInt32.self))
    let line = Int(try reader.read(UInt32.self))
    let ordinal = Int(try reader.read(UInt32.self))
    let length = Int(try reader.read(UInt32.self))
    guard textOffset <= UInt64(text.payloadCount),
      UInt64(textLength) <= UInt64(text.payloadCount) - textOffset
    else { throw .corrupt(file: paragraphs.name, detail: "paragraph \(id) points outside the text") }
    let bytes = try text.bytes(Int(textOffset)..<Int(textOffset) + Int(textLength))
    return StoredParagraph(
      id: id, file: try fileName(file), line: line, ordinal: ordinal, length: length,
      text: String(decoding: bytes, as: UTF8.self))
  }

  /// The path of corpus file `index`.
  public func fileName(_ index: Int) throws(IndexError) -> String {
    guard index >= 0, index < fileCount else {
      throw .corrupt(file: paragraphs.name, detail: "no corpus file \(index)")
    }
    let slot = fileNamesOffset + index * 8
    var reader = ByteReader(try paragraphs.bytes(slot..<slot + 16), file: paragraphs.name)
    let start64 = try reader.read(UInt64.self)
    let end64 = try reader.read(UInt64.self)
    let base = fileNamesOffset + (fileCount + 1) * 8
    guard start64 <= end64, end64 <= UInt64(paragraphs.payloadCount - base) else {
      throw .corrupt(file: paragraphs.name, detail: "file name \(index) points outside the table")
    }
    return String(decoding: try paragraphs.bytes(base + Int(start64)..<base + Int(end64)), as: UTF8.self)
  }

  // MARK: - Whole-index checks

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
      formatVersion: Int(IndexFormat.version), generation: generation, files: fileCount,
      paragraphs: paragraphCount, terms: dictionary.termCount, postings: postings, positions: occurrences,
      textBytes: text.payloadCount,
      fileSizes: [.init(name: "manifest", bytes: manifestBytes)]
        + [terms, docs, positions, paragraphs, text].map { .init(name: $0.name, bytes: $0.byteCount) })
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
  /// consistent with the dictionary, every paragraph entry within its files. Empty when the
  /// index is sound.
  public func problems(limit: Int = 20) -> [IndexError] {
    var found: [IndexError] = []
    func note(_ error: IndexError) -> Bool {
      if found.count < limit { found.append(error) }
      return found.count < limit
    }
    for file in [terms, docs, positions, paragraphs, text] {
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
    return found
  }
}
