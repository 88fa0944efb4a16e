/// Builds the `terms` payload: term entries in key order, in blocks of 64 with a
/// fixed-width block index, then the word table (grammar and a worked example:
/// `IndexFormat`, section terms).
struct TermDictionaryWriter {
  static let blockLength = 64
  private var blockIndex = ByteBuffer()
  private var blocks = ByteBuffer()
  private var termCount = 0
  private var previousKey: UInt64 = 0
  private var docsOffset = 0
  private var positionsOffset = 0
  private var wordOffsets = ByteBuffer()
  private var wordBytes = ByteBuffer()
  private var wordCount = 0

  init() { wordOffsets.append(UInt64(0)) }

  /// Adds the next term; keys must ascend, and postings follow each other in the files.
  mutating func add(key: UInt64, documentFrequency: Int, occurrences: Int, docsLength: Int, positionsLength: Int) {
    if termCount % Self.blockLength == 0 {
      blockIndex.append(key)
      blockIndex.append(UInt64(docsOffset))
      blockIndex.append(UInt64(positionsOffset))
      blockIndex.append(UInt64(blocks.count))
      blocks.appendVarInt(0)
    } else {
      blocks.appendVarInt(key - previousKey)
    }
    let extra = occurrences - documentFrequency
    let head = TermEntryHead(
      documentFrequency: UInt64(documentFrequency), extraOccurrences: UInt64(extra), docsLength: UInt64(docsLength),
      positionsLength: UInt64(positionsLength))
    blocks.append(head.byte)
    if head.inFull(.documentFrequency) { blocks.appendVarInt(UInt64(documentFrequency)) }
    if head.inFull(.extraOccurrences) { blocks.appendVarInt(UInt64(extra)) }
    if head.inFull(.docsLength) { blocks.appendVarInt(UInt64(docsLength)) }
    if head.inFull(.positionsLength) { blocks.appendVarInt(UInt64(positionsLength)) }
    previousKey = key
    docsOffset += docsLength
    positionsOffset += positionsLength
    termCount += 1
  }

  /// Adds the next words of the word table (in byte order): `bytes` holds them one after
  /// another, word `i` ending at `ends[i]`. (The merge hands over all of its words at once,
  /// after its last chunk, rather than one array per word to allocate and free.)
  mutating func addWords(_ bytes: UnsafeRawBufferPointer, ends: [Int]) {
    let base = wordBytes.count
    wordBytes.append(contentsOf: bytes)
    for end in ends { wordOffsets.append(UInt64(base + end)) }
    wordCount += ends.count
  }

  var count: Int { termCount }

  /// The finished payload.
  func payload() -> [UInt8] {
    var out: [UInt8] = []
    writePayload { out.append(contentsOf: $0) }
    return out
  }

  /// Hands the finished payload to `write` in pieces, in order (the index file's writer
  /// takes them as they are, without a copy of the whole dictionary into one array).
  func writePayload<E: Error>(_ write: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
    var header = ByteBuffer(capacity: 32)
    header.append(UInt64(termCount))
    header.append(UInt64(wordCount))
    header.append(UInt64(blockIndex.count / 32))
    header.append(UInt64(32 + blockIndex.count + blocks.count))
    for part in [header, blockIndex, blocks, wordOffsets, wordBytes] {
      try part.bytes.withUnsafeBytes { bytes in Result { () throws(E) in try write(bytes) } }.get()
    }
  }
}
