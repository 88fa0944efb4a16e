/// Finds paragraphs in a long paragraph list, in ascending order, decoding only the blocks
/// of 128 that may hold them (found through the list's skip table: `IndexFormat`, section
/// docs).
struct DocCursor {
  /// Where a found paragraph's positions are.
  struct Found {
    var frequency: Int
    /// Index of its first position among the term's positions.
    var positionIndex: Int
    /// Bit offset in the unary stream, and position index, where its block's positions
    /// start, to jump to.
    var blockPositionsOffset: Int
    var blockPositionIndex: Int
  }

  let entry: TermEntry
  private let skips: UnsafeRawBufferPointer
  private let docs: UnsafeRawBufferPointer
  private let gapBits: Int
  private let paragraphCount: Int
  private let file: String
  private let blockCount: Int
  private var block = -1
  /// One paragraph of the loaded block.
  private struct Doc {
    var paragraph: UInt32 = 0
    var frequency: UInt32 = 0
    var positionIndex = 0
  }
  /// The loaded block: its first `loaded` slots.
  private var blockDocs: [Doc] = []
  private var loaded = 0
  private var blockPositionsOffset = 0
  private var blockPositionIndex = 0
  private var cursor = 0

  init(
    entry: TermEntry, skips: UnsafeRawBufferPointer, docs: UnsafeRawBufferPointer, gapBits: Int,
    paragraphCount: Int, file: String
  ) {
    self.entry = entry
    self.gapBits = gapBits
    self.skips = skips
    self.docs = docs
    self.paragraphCount = paragraphCount
    self.file = file
    blockCount = skips.count / SkipEntry.size + 1
  }

  /// Skip entry `i` (for block i + 1).
  private func skip(_ i: Int) -> (last: UInt32, docs: Int, positionIndex: Int, positions: Int) {
    let entry = SkipEntry(skips, at: i * SkipEntry.size)
    return (entry.lastParagraph, Int(entry.docsBit), Int(entry.positionIndex), Int(entry.positionsBit))
  }

  /// The paragraph `target` if the list holds it. Targets must not decrease between calls.
  mutating func find(_ target: UInt32) throws(IndexError) -> Found? {
    if block < 0 || (block < blockCount - 1 && skip(block).last < target) {
      // The first block whose last paragraph is not below the target.
      var low = max(block, 0)
      var high = blockCount - 1
      while low < high {
        let middle = (low + high) / 2
        if skip(middle).last < target { low = middle + 1 } else { high = middle }
      }
      try load(low)
    }
    while cursor < loaded && blockDocs[cursor].paragraph < target { cursor += 1 }
    guard cursor < loaded, blockDocs[cursor].paragraph == target else { return nil }
    let doc = blockDocs[cursor]
    return Found(
      frequency: Int(doc.frequency), positionIndex: doc.positionIndex,
      blockPositionsOffset: blockPositionsOffset, blockPositionIndex: blockPositionIndex)
  }

  /// Decodes block `b`.
  private mutating func load(_ b: Int) throws(IndexError) {
    let start = b == 0 ? (base: UInt64?.none, docs: 0, positionIndex: 0, positions: 0) : {
      let s = skip(b - 1)
      return (UInt64(s.last), s.docs, s.positionIndex, s.positions)
    }()
    guard start.docs <= docs.count * 8 else {
      throw .corrupt(file: file, detail: "skip entry out of range for term \(entry.key)")
    }
    var decoder = DocDecoder(docs, gapBits: gapBits, paragraphCount: paragraphCount, bit: start.docs)
    let count = b == blockCount - 1 ? entry.documentFrequency - b * IndexFormat.skipBlock : IndexFormat.skipBlock
    guard count >= 0, count <= IndexFormat.skipBlock else {
      throw .corrupt(file: file, detail: "skip table does not match the list of term \(entry.key)")
    }
    if blockDocs.isEmpty { blockDocs = [Doc](repeating: Doc(), count: IndexFormat.skipBlock) }
    (block, loaded) = (-1, 0)
    let occurrences = UInt64(entry.occurrences)
    var previous = start.base
    var index = start.positionIndex
    let decoded = withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * IndexFormat.skipBlock) { buffer in
      let paragraphs = buffer.baseAddress!
      let frequencies = paragraphs + IndexFormat.skipBlock
      let decoded = decoder.decode(count, after: previous, paragraphs: paragraphs, frequencies: frequencies)
      return blockDocs.withUnsafeMutableBufferPointer { slots in
        for i in 0..<decoded {
          guard UInt64(frequencies[i]) <= occurrences else { return i }
          slots[i] = Doc(paragraph: paragraphs[i], frequency: frequencies[i], positionIndex: index)
          index += Int(frequencies[i])
          previous = UInt64(paragraphs[i])
        }
        return decoded
      }
    }
    guard decoded == count else { throw .corrupt(file: file, detail: "invalid posting for term \(entry.key)") }
    if b < blockCount - 1 {
      // The next block's skip entry must start where this block ended.
      let next = skip(b)
      guard next.docs == decoder.bit, UInt64(next.last) == previous, next.positionIndex == index else {
        throw .corrupt(file: file, detail: "skip entry \(b) does not match the list of term \(entry.key)")
      }
    }
    loaded = count
    block = b
    cursor = 0
    blockPositionsOffset = start.positions
    blockPositionIndex = start.positionIndex
  }
}
