/// Opens an index folder and answers the lookups a query needs, reading only what it touches.
///
/// Opening reads the manifest and maps the five files of its generation; each file's
/// container is checked then, and each block is checked against its CRC-32 when first read.
/// Term lookup is a binary search over fixed-width entries (Han keys are computed, words are
/// found in the sorted word table), so no dictionary is ever loaded whole. Not thread-safe.
public final class IndexReader {
  /// A term's entry in the dictionary.
  struct TermEntry {
    var key: UInt64
    var docsRange: Range<Int>
    var positionsRange: Range<Int>
    var documentFrequency: Int
    var occurrences: Int
  }

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
  let termCount: Int
  let wordCount: Int
  private let terms: IndexFile
  private let docs: IndexFile
  private let positions: IndexFile
  private let paragraphs: IndexFile
  private let text: IndexFile
  private let wordTableOffset: Int
  private let wordBytesOffset: Int
  private let fileNamesOffset: Int

  /// The average paragraph length in tokens.
  public var averageLength: Double {
    paragraphCount == 0 ? 0 : Double(totalLength) / Double(paragraphCount)
  }

  /// Opens the index in `directory`.
  ///
  /// - Throws: `IndexError.noIndex` when there is none, `.corrupt` or `.unsupportedVersion`
  ///   when a file is damaged or of another version.
  public init(directory: String) throws(IndexError) {
    self.directory = directory
    let folder = directory.hasSuffix("/") ? directory : directory + "/"
    guard FileSystem.exists(folder + "manifest") else {
      if FileSystem.isDirectory(directory), let names = try? FileSystem.contents(of: directory),
        names.contains(where: { IndexCommit.generation(ofFileName: $0) != nil })
      {
        throw .corrupt(file: "manifest", detail: "missing")
      }
      throw .noIndex(path: directory)
    }
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
    var header = ByteReader(try terms.bytes(0..<16), file: terms.name)
    termCount = Int(try header.read(UInt64.self))
    wordCount = Int(try header.read(UInt64.self))
    wordTableOffset = 16 + termCount * IndexFormat.termEntrySize
    wordBytesOffset = wordTableOffset + (wordCount + 1) * 8
    guard termCount >= wordCount, termCount < terms.payloadCount, wordBytesOffset <= terms.payloadCount
    else { throw .corrupt(file: terms.name, detail: "term counts do not fit the file") }
    var counts = ByteReader(try paragraphs.bytes(0..<24), file: paragraphs.name)
    paragraphCount = Int(try counts.read(UInt64.self))
    fileCount = Int(try counts.read(UInt64.self))
    totalLength = Int(try counts.read(UInt64.self))
    fileNamesOffset = 24 + paragraphCount * IndexFormat.paragraphEntrySize
    guard paragraphCount < paragraphs.payloadCount, fileCount < paragraphs.payloadCount,
      fileNamesOffset + (fileCount + 1) * 8 <= paragraphs.payloadCount
    else { throw .corrupt(file: paragraphs.name, detail: "counts do not fit the file") }
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
      let byteCount = Int(try reader.read(UInt64.self))
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

  // MARK: - Terms

  /// The dictionary entry at `index`.
  func entry(at index: Int) throws(IndexError) -> TermEntry {
    let start = 16 + index * IndexFormat.termEntrySize
    var reader = ByteReader(
      try terms.bytes(start..<start + IndexFormat.termEntrySize), file: terms.name)
    let key = try reader.read(UInt64.self)
    let docsOffset = Int(try reader.read(UInt64.self))
    let positionsOffset = Int(try reader.read(UInt64.self))
    let documentFrequency = Int(try reader.read(UInt32.self))
    let occurrences = Int(try reader.read(UInt32.self))
    var docsEnd = docs.payloadCount
    var positionsEnd = positions.payloadCount
    if index + 1 < termCount {
      var next = ByteReader(
        try terms.bytes(start + IndexFormat.termEntrySize + 8..<start + IndexFormat.termEntrySize + 24),
        file: terms.name)
      docsEnd = Int(try next.read(UInt64.self))
      positionsEnd = Int(try next.read(UInt64.self))
    }
    guard docsOffset <= docsEnd, docsEnd <= docs.payloadCount, positionsOffset <= positionsEnd,
      positionsEnd <= positions.payloadCount, documentFrequency <= paragraphCount
    else { throw .corrupt(file: terms.name, detail: "term entry \(index) points outside the postings") }
    return TermEntry(
      key: key, docsRange: docsOffset..<docsEnd, positionsRange: positionsOffset..<positionsEnd,
      documentFrequency: documentFrequency, occurrences: occurrences)
  }

  private func key(at index: Int) throws(IndexError) -> UInt64 {
    let start = 16 + index * IndexFormat.termEntrySize
    var reader = ByteReader(try terms.bytes(start..<start + 8), file: terms.name)
    return try reader.read(UInt64.self)
  }

  /// The index of the first entry whose key is not less than `key`.
  func lowerBound(_ key: UInt64) throws(IndexError) -> Int {
    var low = 0
    var high = termCount
    while low < high {
      let middle = (low + high) / 2
      if try self.key(at: middle) < key { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The entry indices of all terms whose keys lie in `keys`.
  func entries(in keys: Range<UInt64>) throws(IndexError) -> Range<Int> {
    try lowerBound(keys.lowerBound)..<lowerBound(keys.upperBound)
  }

  /// The entry index of the term with `key`, if the index has it.
  func entryIndex(of key: UInt64) throws(IndexError) -> Int? {
    let index = try lowerBound(key)
    guard index < termCount else { return nil }
    return try self.key(at: index) == key ? index : nil
  }

  /// The key of a letter or digit word (folded UTF-8), if the index has the word.
  func wordKey(_ word: [UInt8]) throws(IndexError) -> UInt64? {
    var low = 0
    var high = wordCount
    while low < high {
      let middle = (low + high) / 2
      let candidate = try self.word(at: middle)
      if candidate.lexicographicallyPrecedes(word) {
        low = middle + 1
      } else {
        high = middle
      }
    }
    guard low < wordCount else { return nil }
    return try self.word(at: low).elementsEqual(word) ? TermKey.wordFlag | UInt64(low) : nil
  }

  private func word(at rank: Int) throws(IndexError) -> UnsafeRawBufferPointer {
    let slot = wordTableOffset + rank * 8
    var reader = ByteReader(try terms.bytes(slot..<slot + 16), file: terms.name)
    let start = Int(try reader.read(UInt64.self))
    let end = Int(try reader.read(UInt64.self))
    guard start <= end, wordBytesOffset + end <= terms.payloadCount else {
      throw .corrupt(file: terms.name, detail: "word \(rank) points outside the word table")
    }
    return try terms.bytes(wordBytesOffset + start..<wordBytesOffset + end)
  }

  /// Decodes a term's paragraphs and positions.
  func postings(_ entry: TermEntry) throws(IndexError) -> PostingList {
    var list = PostingList()
    list.paragraphs.reserveCapacity(entry.documentFrequency)
    list.positionStarts.reserveCapacity(entry.documentFrequency + 1)
    list.positions.reserveCapacity(entry.occurrences)
    var docReader = ByteReader(try docs.bytes(entry.docsRange), file: docs.name)
    var positionReader = ByteReader(try positions.bytes(entry.positionsRange), file: positions.name)
    var paragraph: UInt64 = 0
    for i in 0..<entry.documentFrequency {
      let head = try docReader.readVarInt()
      let delta = head >> 1
      let frequency = head & 1 == 1 ? 1 : try docReader.readVarInt()
      paragraph &+= delta
      guard delta > 0 || i == 0, paragraph < UInt64(paragraphCount), frequency > 0,
        frequency <= UInt64(positions.payloadCount)
      else { throw .corrupt(file: docs.name, detail: "invalid posting for term \(entry.key)") }
      list.paragraphs.append(UInt32(paragraph))
      var position: UInt64 = 0
      for j in 0..<frequency {
        let step = try positionReader.readVarInt()
        guard j == 0 || step > 0 else {
          throw .corrupt(file: positions.name, detail: "positions out of order for term \(entry.key)")
        }
        position &+= step
        guard position <= UInt64(UInt32.max) else {
          throw .corrupt(file: positions.name, detail: "position out of range for term \(entry.key)")
        }
        list.positions.append(UInt32(position))
      }
      list.positionStarts.append(list.positions.count)
    }
    return list
  }

  // MARK: - Paragraphs

  /// The length of a paragraph in tokens.
  func length(ofParagraph id: Int) throws(IndexError) -> Int {
    let start = 24 + id * IndexFormat.paragraphEntrySize + 24
    var reader = ByteReader(try paragraphs.bytes(start..<start + 4), file: paragraphs.name)
    return Int(try reader.read(UInt32.self))
  }

  /// A paragraph's text and place.
  public func paragraph(_ id: Int) throws(IndexError) -> StoredParagraph {
    guard id >= 0, id < paragraphCount else {
      throw .corrupt(file: paragraphs.name, detail: "no paragraph \(id)")
    }
    let start = 24 + id * IndexFormat.paragraphEntrySize
    var reader = ByteReader(
      try paragraphs.bytes(start..<start + IndexFormat.paragraphEntrySize), file: paragraphs.name)
    let textOffset = Int(try reader.read(UInt64.self))
    let textLength = Int(try reader.read(UInt32.self))
    let file = Int(try reader.read(UInt32.self))
    let line = Int(try reader.read(UInt32.self))
    let ordinal = Int(try reader.read(UInt32.self))
    let length = Int(try reader.read(UInt32.self))
    let bytes = try text.bytes(textOffset..<textOffset + textLength)
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
    let start = Int(try reader.read(UInt64.self))
    let end = Int(try reader.read(UInt64.self))
    let base = fileNamesOffset + (fileCount + 1) * 8
    guard start <= end, base + end <= paragraphs.payloadCount else {
      throw .corrupt(file: paragraphs.name, detail: "file name \(index) points outside the table")
    }
    return String(decoding: try paragraphs.bytes(base + start..<base + end), as: UTF8.self)
  }

  // MARK: - Whole-index checks

  /// Counts for `zhsearch stats`, read from the dictionary (every entry is read).
  public func statistics() throws(IndexError) -> IndexStatistics {
    var postings = 0
    var occurrences = 0
    for index in 0..<termCount {
      let entry = try entry(at: index)
      postings += entry.documentFrequency
      occurrences += entry.occurrences
    }
    let folder = directory.hasSuffix("/") ? directory : directory + "/"
    let manifestBytes = (try? MappedFile(path: folder + "manifest").bytes.count) ?? 0
    return IndexStatistics(
      formatVersion: Int(IndexFormat.version), generation: generation, files: fileCount,
      paragraphs: paragraphCount, terms: termCount, postings: postings, positions: occurrences,
      textBytes: text.payloadCount,
      fileSizes: [.init(name: "manifest", bytes: manifestBytes)]
        + [terms, docs, positions, paragraphs, text].map { .init(name: $0.name, bytes: $0.byteCount) })
  }

  /// Verifies every block checksum of every file and decodes every posting list.
  public func verify() throws(IndexError) {
    for file in [terms, docs, positions, paragraphs, text] { try file.verifyAll() }
    var previousKey: UInt64? = nil
    for index in 0..<termCount {
      let entry = try entry(at: index)
      if let previousKey, previousKey >= entry.key {
        throw .corrupt(file: terms.name, detail: "terms out of order at entry \(index)")
      }
      previousKey = entry.key
      _ = try postings(entry)
    }
    for id in 0..<paragraphCount { _ = try paragraph(id) }
  }
}
