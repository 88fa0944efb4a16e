/// Builds an index in memory from paragraphs and commits it to a folder atomically.
///
/// Each paragraph is analyzed once; every token becomes a flat record (term key, paragraph
/// and position) appended to two arrays. `write(to:)` sorts the records by key with a
/// stable radix sort (they were appended in paragraph and position order, so they end up
/// fully sorted), encodes the files described in `IndexFormat`, and commits them: new
/// generation files first, each fsynced, then the manifest through a rename. A failure at
/// any point leaves the previous index as it was.
public final class IndexWriter {
  private let analyzer: Analyzer
  private var records = RecordSink()
  private var paragraphTable = ByteBuffer()
  private var text: [UInt8] = []
  private var fileNames: [String] = []
  private var paragraphCount = 0
  private var totalLength = 0

  public init() throws(ICUError) {
    analyzer = try Analyzer()
  }

  /// Registers a corpus file and returns its index, for `Paragraph.file`.
  public func addFile(_ path: String) -> Int {
    fileNames.append(path)
    return fileNames.count - 1
  }

  /// The number of paragraphs added so far.
  public var count: Int { paragraphCount }

  /// Analyzes a paragraph and adds its tokens and text to the index being built.
  public func add(_ paragraph: Paragraph) {
    precondition(paragraph.file < fileNames.count, "add the paragraph's file first")
    records.paragraph = UInt64(paragraphCount)
    let before = records.keys.count
    var paragraphText = paragraph.text
    let textOffset = text.count
    paragraphText.withUTF8 { bytes in
      text.append(contentsOf: bytes)
      analyzer.scan(bytes, foldedText: false, offsets: false, into: &records)
    }
    let length = records.keys.count - before
    paragraphTable.append(UInt64(textOffset))
    paragraphTable.append(UInt32(text.count - textOffset))
    paragraphTable.append(UInt32(paragraph.file))
    paragraphTable.append(UInt32(clamping: paragraph.line))
    paragraphTable.append(UInt32(clamping: paragraph.ordinal))
    paragraphTable.append(UInt32(length))
    paragraphTable.append(UInt32(0))
    paragraphCount += 1
    totalLength += length
  }

  /// Encodes the index and commits it to `directory`, replacing any index there.
  ///
  /// - Throws: `IndexError.notAnIndex` when the folder holds other things, `.io` when a
  ///   write fails (the previous index is then left as it was).
  @discardableResult
  public func write(to directory: String) throws(IndexError) -> IndexStatistics {
    remapWordKeys()
    records.sortByKey()
    var files: [IndexFormat.FileKind: [UInt8]] = [:]
    let (termsPayload, docs, positions, termCount, postings) = encodePostings()
    files[.terms] = termsPayload
    files[.docs] = docs
    files[.positions] = positions
    files[.paragraphs] = encodeParagraphs()
    files[.text] = text
    var sealed: [IndexFormat.FileKind: [UInt8]] = [:]
    for (kind, payload) in files { sealed[kind] = IndexFormat.seal(payload, kind: kind) }
    let generation = try IndexCommit.commit(sealed, to: directory)
    return IndexStatistics(
      formatVersion: Int(IndexFormat.version), generation: generation, files: fileNames.count,
      paragraphs: paragraphCount, terms: termCount, postings: postings, positions: records.keys.count,
      textBytes: text.count,
      fileSizes: IndexFormat.dataKinds.map {
        .init(name: $0.fileName(generation: generation), bytes: sealed[$0]!.count)
      })
  }

  /// Gives words their final keys: `wordFlag | rank` in byte order.
  private func remapWordKeys() {
    let order = records.words.indices.sorted { records.words[$0].utf8.lexicographicallyPrecedes(records.words[$1].utf8) }
    var rank = [UInt64](repeating: 0, count: records.words.count)
    for (r, id) in order.enumerated() { rank[id] = UInt64(r) }
    records.words = order.map { records.words[$0] }
    for i in records.keys.indices where records.keys[i] & TermKey.wordFlag != 0 {
      records.keys[i] = TermKey.wordFlag | rank[Int(records.keys[i] & ~TermKey.wordFlag)]
    }
  }

  private func encodePostings() -> (
    terms: [UInt8], docs: [UInt8], positions: [UInt8], termCount: Int, postings: Int
  ) {
    var entries = ByteBuffer()
    var docs = ByteBuffer(capacity: records.keys.count)
    var positions = ByteBuffer(capacity: records.keys.count * 2)
    var termCount = 0
    var postings = 0
    let n = records.keys.count
    var i = 0
    while i < n {
      let key = records.keys[i]
      let docsOffset = docs.count
      let positionsOffset = positions.count
      var documentFrequency: UInt32 = 0
      var previousParagraph: UInt64 = 0
      let termStart = i
      while i < n && records.keys[i] == key {
        let paragraph = records.places[i] >> 32
        var end = i
        var previousPosition: UInt64 = 0
        while end < n && records.keys[end] == key && records.places[end] >> 32 == paragraph {
          let position = records.places[end] & 0xFFFF_FFFF
          positions.appendVarInt(position - previousPosition)
          previousPosition = position
          end += 1
        }
        let frequency = UInt64(end - i)
        docs.appendVarInt((paragraph - previousParagraph) << 1 | (frequency == 1 ? 1 : 0))
        if frequency > 1 { docs.appendVarInt(frequency) }
        previousParagraph = paragraph
        documentFrequency += 1
        i = end
      }
      entries.append(key)
      entries.append(UInt64(docsOffset))
      entries.append(UInt64(positionsOffset))
      entries.append(documentFrequency)
      entries.append(UInt32(clamping: i - termStart))
      termCount += 1
      postings += Int(documentFrequency)
    }
    var terms = ByteBuffer(capacity: entries.count + 64)
    terms.append(UInt64(termCount))
    terms.append(UInt64(records.words.count))
    terms.append(contentsOf: entries.bytes)
    var offset: UInt64 = 0
    terms.append(offset)
    for word in records.words {
      offset += UInt64(word.utf8.count)
      terms.append(offset)
    }
    for word in records.words { terms.append(contentsOf: word.utf8) }
    return (terms.bytes, docs.bytes, positions.bytes, termCount, postings)
  }

  private func encodeParagraphs() -> [UInt8] {
    var buffer = ByteBuffer(capacity: paragraphTable.count + 1024)
    buffer.append(UInt64(paragraphCount))
    buffer.append(UInt64(fileNames.count))
    buffer.append(UInt64(totalLength))
    buffer.append(contentsOf: paragraphTable.bytes)
    var offset: UInt64 = 0
    buffer.append(offset)
    for name in fileNames {
      offset += UInt64(name.utf8.count)
      buffer.append(offset)
    }
    for name in fileNames { buffer.append(contentsOf: name.utf8) }
    return buffer.bytes
  }
}

/// The flat records of an index being built: one per token, in paragraph and position order.
struct RecordSink: TokenSink {
  /// Term key of each record.
  var keys: [UInt64] = []
  /// Paragraph << 32 | position of each record.
  var places: [UInt64] = []
  /// The paragraph the next tokens belong to.
  var paragraph: UInt64 = 0
  /// Letter and digit words and their provisional ids (ranks are given at write time).
  var vocabulary: [String: UInt32] = [:]
  var words: [String] = []

  /// Sorts the records by key, keeping paragraph and position order within a key.
  mutating func sortByKey() { RadixSort.sort(keys: &keys, values: &places) }

  mutating func han(key: UInt64, position: UInt32, folded: Range<Int>, source: Range<Int>) {
    keys.append(key)
    places.append(paragraph << 32 | UInt64(position))
  }

  mutating func word(
    _ bytes: UnsafeBufferPointer<UInt8>, isDigits: Bool, position: UInt32, folded: Range<Int>,
    source: Range<Int>
  ) {
    let word = String(decoding: bytes, as: UTF8.self)
    let id: UInt32
    if let known = vocabulary[word] {
      id = known
    } else {
      id = UInt32(words.count)
      vocabulary[word] = id
      words.append(word)
    }
    keys.append(TermKey.wordFlag | UInt64(id))
    places.append(paragraph << 32 | UInt64(position))
  }
}

/// A stable least-significant-digit radix sort of 64-bit keys carrying 64-bit values.
enum RadixSort {
  /// Sorts `keys` ascending, moving `values` with them; equal keys keep their order.
  static func sort(keys: inout [UInt64], values: inout [UInt64]) {
    let n = keys.count
    guard n > 1 else { return }
    // One histogram per byte of the key, from a single pass.
    var counts = [Int](repeating: 0, count: 8 * 256)
    keys.withUnsafeBufferPointer { k in
      counts.withUnsafeMutableBufferPointer { c in
        for key in k {
          for byte in 0..<8 { c[byte * 256 + Int((key >> UInt64(byte * 8)) & 0xFF)] += 1 }
        }
      }
    }
    var scratchKeys = [UInt64](repeating: 0, count: n)
    var scratchValues = [UInt64](repeating: 0, count: n)
    for byte in 0..<8 {
      let histogram = counts[byte * 256..<(byte + 1) * 256]
      if histogram.contains(n) { continue }  // every key has the same byte here
      var offsets = [Int](repeating: 0, count: 256)
      var sum = 0
      for b in 0..<256 {
        offsets[b] = sum
        sum += histogram[histogram.startIndex + b]
      }
      let shift = UInt64(byte * 8)
      keys.withUnsafeBufferPointer { k in
        values.withUnsafeBufferPointer { v in
          scratchKeys.withUnsafeMutableBufferPointer { sk in
            scratchValues.withUnsafeMutableBufferPointer { sv in
              for i in 0..<n {
                let b = Int((k[i] >> shift) & 0xFF)
                let target = offsets[b]
                offsets[b] = target + 1
                sk[target] = k[i]
                sv[target] = v[i]
              }
            }
          }
        }
      }
      swap(&keys, &scratchKeys)
      swap(&values, &scratchValues)
    }
  }
}
