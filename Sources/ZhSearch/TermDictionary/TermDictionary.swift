/// Reads the `terms` file written by `TermDictionaryWriter` (`IndexFormat`, section terms),
/// touching only the blocks a lookup needs.
struct TermDictionary {
  let file: IndexFile
  let termCount: Int
  let wordCount: Int
  private let blockCount: Int
  private let blocksStart: Int
  private let wordTableOffset: Int
  private let docsLimit: Int
  private let positionsLimit: Int

  init(file: IndexFile, docsLimit: Int, positionsLimit: Int) throws(IndexError) {
    self.file = file
    self.docsLimit = docsLimit
    self.positionsLimit = positionsLimit
    var header = ByteReader(try file.bytes(0..<32), file: file.name)
    let terms = try header.read(UInt64.self)
    let words = try header.read(UInt64.self)
    let blocks = try header.read(UInt64.self)
    let wordTable = try header.read(UInt64.self)
    // The counts are checked against the file's size before any arithmetic (each term takes
    // two bytes at least), so a damaged count is reported instead of overflowing.
    let size = UInt64(file.payloadCount)
    let blockLength = UInt64(TermDictionaryWriter.blockLength)
    guard terms <= size, words <= terms, blocks == (terms + blockLength - 1) / blockLength,
      wordTable <= size, 32 + blocks * 32 <= wordTable, (words + 1) * 8 <= size - wordTable
    else { throw .corrupt(file: file.name, detail: "dictionary header does not fit the file") }
    (termCount, wordCount, blockCount, wordTableOffset) = (Int(terms), Int(words), Int(blocks), Int(wordTable))
    blocksStart = 32 + blockCount * 32
  }

  /// The block index entry `i`: first key, postings offsets and byte range of its block.
  private func block(_ i: Int) throws(IndexError) -> (firstKey: UInt64, docs: Int, positions: Int, bytes: Range<Int>) {
    var reader = ByteReader(try file.bytes(32 + i * 32..<32 + i * 32 + 32), file: file.name)
    let firstKey = try reader.read(UInt64.self)
    let docs = try reader.read(UInt64.self)
    let positions = try reader.read(UInt64.self)
    // Offsets from where the blocks start.
    let start = try reader.read(UInt64.self)
    var end = UInt64(wordTableOffset - blocksStart)
    if i + 1 < blockCount {
      var next = ByteReader(try file.bytes(32 + (i + 1) * 32 + 24..<32 + (i + 1) * 32 + 32), file: file.name)
      end = try next.read(UInt64.self)
    }
    guard start <= end, end <= UInt64(wordTableOffset - blocksStart), docs <= UInt64(docsLimit),
      positions <= UInt64(positionsLimit)
    else {
      throw .corrupt(file: file.name, detail: "dictionary block \(i) out of place")
    }
    return (firstKey, Int(docs), Int(positions), blocksStart + Int(start)..<blocksStart + Int(end))
  }

  /// The last block whose first key is not above `key` (0 when `key` is below them all).
  private func blockIndex(for key: UInt64) throws(IndexError) -> Int {
    var low = 0
    var high = blockCount
    while high - low > 1 {
      let middle = (low + high) / 2
      if try block(middle).firstKey <= key { low = middle } else { high = middle }
    }
    return low
  }

  /// Calls `body` with each entry from block `first` on, in key order, until it returns false.
  private func scan(fromBlock first: Int, _ body: (TermEntry) -> Bool) throws(IndexError) {
    var index = first
    while index < blockCount {
      let info = try block(index)
      var reader = ByteReader(try file.bytes(info.bytes), file: file.name)
      var key = info.firstKey
      var docs = info.docs
      var positions = info.positions
      let termsInBlock = min(TermDictionaryWriter.blockLength, termCount - index * TermDictionaryWriter.blockLength)
      for _ in 0..<termsInBlock {
        let delta = try reader.readVarInt()
        let head = TermEntryHead(try reader.read(UInt8.self))
        func field(_ field: TermEntryHead.Field) throws(IndexError) -> UInt64 {
          head.inFull(field) ? try reader.readVarInt() : head.value(field)
        }
        let documentFrequency = try field(.documentFrequency)
        let extra = try field(.extraOccurrences)
        let docsLength = try field(.docsLength)
        let positionsLength = try field(.positionsLength)
        let (nextKey, overflow) = key.addingReportingOverflow(delta)
        guard !overflow, documentFrequency > 0, documentFrequency <= UInt64(Int32.max),
          extra <= UInt64(Int32.max), docsLength <= UInt64(docsLimit - docs),
          positionsLength <= UInt64(positionsLimit - positions)
        else { throw .corrupt(file: file.name, detail: "dictionary entry out of range in block \(index)") }
        key = nextKey
        // A character's best paragraphs: the list comes after its header.
        let header = TermKey.isCharacterBest(key) ? IndexFormat.characterBestHeaderSize : 0
        guard docsLength >= UInt64(header) else {
          throw .corrupt(file: file.name, detail: "dictionary entry out of range in block \(index)")
        }
        let entry = TermEntry(
          key: key, docsRange: docs + header..<docs + Int(docsLength),
          positionsRange: positions..<positions + Int(positionsLength),
          documentFrequency: Int(documentFrequency), occurrences: Int(documentFrequency + extra))
        docs += Int(docsLength)
        positions += Int(positionsLength)
        if !body(entry) { return }
      }
      index += 1
    }
  }

  /// The entry of the term with `key`, if there is one.
  func entry(for key: UInt64) throws(IndexError) -> TermEntry? {
    guard blockCount > 0 else { return nil }
    var found: TermEntry? = nil
    try scan(fromBlock: blockIndex(for: key)) { entry in
      if entry.key == key { found = entry }
      return entry.key < key
    }
    return found
  }

  /// The entries of every term whose key lies in `keys`, in key order.
  func entries(in keys: Range<UInt64>) throws(IndexError) -> [TermEntry] {
    guard blockCount > 0 else { return [] }
    var found: [TermEntry] = []
    try scan(fromBlock: blockIndex(for: keys.lowerBound)) { entry in
      if keys.contains(entry.key) { found.append(entry) }
      return entry.key < keys.upperBound
    }
    return found
  }

  /// Calls `body` with every entry in key order.
  func forEach(_ body: (TermEntry) -> Void) throws(IndexError) {
    try scan(fromBlock: 0) { entry in
      body(entry)
      return true
    }
  }

  /// The key of a letter or digit word (folded UTF-8), if the dictionary has the word.
  func wordKey(_ word: [UInt8]) throws(IndexError) -> UInt64? {
    var low = 0
    var high = wordCount
    while low < high {
      let middle = (low + high) / 2
      if try self.word(at: middle).lexicographicallyPrecedes(word) { low = middle + 1 } else { high = middle }
    }
    guard low < wordCount else { return nil }
    return try self.word(at: low).elementsEqual(word) ? TermKey.wordFlag | UInt64(low) : nil
  }

  /// The word of rank `rank`.
  func word(at rank: Int) throws(IndexError) -> UnsafeRawBufferPointer {
    let slot = wordTableOffset + rank * 8
    var reader = ByteReader(try file.bytes(slot..<slot + 16), file: file.name)
    let start = try reader.read(UInt64.self)
    let end = try reader.read(UInt64.self)
    let base = wordTableOffset + (wordCount + 1) * 8
    guard start <= end, end <= UInt64(file.payloadCount - base) else {
      throw .corrupt(file: file.name, detail: "word \(rank) points outside the word table")
    }
    return try file.bytes(base + Int(start)..<base + Int(end))
  }
}
