/// A term's paragraph list decoded without its positions: paragraph ids, term frequencies,
/// and where each paragraph's positions start in the term's position stream.
struct DocList: Sendable {
  /// Paragraph ids, ascending.
  var paragraphs: [UInt32] = []
  /// Term frequency in each paragraph.
  var frequencies: [UInt32] = []
  /// `positionIndex[i]` is the index, among the term's positions, of paragraph i's first one.
  var positionIndex: [Int] = [0]
  /// The term's dictionary entry.
  let entry: TermEntry

  var count: Int { paragraphs.count }

  init(entry: TermEntry) { self.entry = entry }
}

/// Reads a term's paragraph list in order: each paragraph and the term's frequency in it.
struct DocIterator {
  private var reader: ByteReader
  private let entry: TermEntry
  private let paragraphCount: Int
  private var index = 0
  private var paragraph: UInt64 = 0

  init(reader: ByteReader, entry: TermEntry, paragraphCount: Int) {
    self.reader = reader
    self.entry = entry
    self.paragraphCount = paragraphCount
  }

  /// The next paragraph and frequency, or nil after the last.
  @inline(__always)
  mutating func next() throws(IndexError) -> (UInt32, UInt32)? {
    guard index < entry.documentFrequency else { return nil }
    let head = try reader.readVarInt()
    let delta = head >> 1
    let frequency = head & 1 == 1 ? 1 : try reader.readVarInt()
    paragraph &+= delta
    guard delta > 0 || index == 0, paragraph < UInt64(paragraphCount), frequency > 0,
      frequency <= UInt64(entry.occurrences)
    else { throw .corrupt(file: reader.file, detail: "invalid posting for term \(entry.key)") }
    index += 1
    return (UInt32(paragraph), UInt32(frequency))
  }
}

extension DocIterator {
  /// Adds every remaining posting's frequency to `tally`, in one tight loop over the bytes
  /// (the single-character hot path: every posting of hundreds of lists).
  mutating func addAll(to tally: Tally) throws(IndexError) {
    let bytes = reader.bytes
    var offset = reader.offset
    let end = bytes.count
    let limit = UInt64(min(paragraphCount, tally.capacity))
    @inline(__always) func varint() -> UInt64? {
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while offset < end && shift < 64 {
        let byte = bytes[offset]
        offset += 1
        result |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return result }
        shift += 7
      }
      return nil
    }
    while index < entry.documentFrequency {
      guard let head = varint(), let frequency = head & 1 == 1 ? 1 : varint() else {
        throw .corrupt(file: reader.file, detail: "malformed posting for term \(entry.key)")
      }
      let delta = head >> 1
      paragraph &+= delta
      guard delta > 0 || index == 0, paragraph < limit, frequency > 0, frequency <= UInt64(UInt32.max) else {
        throw .corrupt(file: reader.file, detail: "invalid posting for term \(entry.key)")
      }
      tally.add(UInt32(paragraph), UInt32(frequency))
      index += 1
    }
    reader.offset = offset
  }
}

/// Reads a term's positions forward from its two bit streams (see `IndexFormat`): each
/// value's low bits at a fixed width, so value i's are found by arithmetic, and its high
/// part in unary, so the values of paragraphs that are not asked for are passed by counting
/// one bits, 64 at a time, without decoding them.
struct PositionReader {
  private let low: UnsafeRawBufferPointer
  private let high: UnsafeRawBufferPointer
  private let lowBits: Int
  private let occurrences: Int
  private let file: String
  /// Bit offset in `high` of the next value's unary part.
  private var highBit = 0
  /// The index of that value among the term's positions.
  private var index = 0

  /// A reader of the positions in `bytes`: `occurrences` values with `lowBits` low bits each.
  init(_ bytes: UnsafeRawBufferPointer, occurrences: Int, lowBits: Int, file: String) throws(IndexError) {
    let (lowBitCount, overflow) = occurrences.multipliedReportingOverflow(by: lowBits)
    guard !overflow, occurrences >= 0, (lowBitCount + 7) / 8 <= bytes.count else {
      throw .corrupt(file: file, detail: "positions shorter than their count")
    }
    low = UnsafeRawBufferPointer(rebasing: bytes[0..<(lowBitCount + 7) / 8])
    high = UnsafeRawBufferPointer(rebasing: bytes[(lowBitCount + 7) / 8..<bytes.count])
    self.lowBits = lowBits
    self.occurrences = occurrences
    self.file = file
  }

  /// Jumps forward to bit `bit` of the unary stream, where the value of index `index` starts
  /// (a block start from a skip entry); does nothing when the reader is already there or past it.
  mutating func jump(toBit bit: Int, index: Int) {
    guard index > self.index, index <= occurrences, bit >= 0, bit <= high.count * 8 else { return }
    highBit = bit
    self.index = index
  }

  /// The `count` positions (absolute, ascending) that start at position index `start`, which
  /// must not be behind the reader.
  mutating func positions(from start: Int, count: Int, into out: inout [UInt32]) throws(IndexError) {
    precondition(start >= index, "position reader moved backwards")
    guard count >= 0, start <= occurrences, count <= occurrences - start else {
      throw .corrupt(file: file, detail: "positions past their count")
    }
    try skip(start - index)
    index = start
    var position: UInt64 = 0
    for k in 0..<count {
      let value = try unary() << UInt64(lowBits) | BitLoad.bits(low, at: index * lowBits, width: lowBits)
      guard k == 0 || value > 0 else { throw .corrupt(file: file, detail: "positions out of order") }
      position &+= value
      guard position <= UInt64(UInt32.max) else { throw .corrupt(file: file, detail: "position out of range") }
      out.append(UInt32(position))
      index += 1
    }
  }

  /// Passes `values` unary codes (that many one bits).
  private mutating func skip(_ values: Int) throws(IndexError) {
    var left = values
    while left > 0 {
      let (word, real) = BitLoad.word(high, byte: highBit >> 3)
      let shift = highBit & 7
      let available = real - shift
      guard available > 0 else { throw .corrupt(file: file, detail: "positions end early") }
      var bits = word >> UInt64(shift)
      if available < 64 { bits &= (1 << UInt64(available)) - 1 }
      let ones = bits.nonzeroBitCount
      if ones < left {
        left -= ones
        highBit += available
      } else {
        for _ in 1..<left { bits &= bits - 1 }
        highBit += bits.trailingZeroBitCount + 1
        left = 0
      }
    }
  }

  /// The next unary code: the zero bits before the next one bit, which it passes.
  @inline(__always)
  private mutating func unary() throws(IndexError) -> UInt64 {
    var zeros: UInt64 = 0
    while true {
      let (word, real) = BitLoad.word(high, byte: highBit >> 3)
      let shift = highBit & 7
      let available = real - shift
      guard available > 0 else { throw .corrupt(file: file, detail: "positions end early") }
      let bits = word >> UInt64(shift)
      let run = bits.trailingZeroBitCount
      if run < available {
        highBit += run + 1
        return zeros + UInt64(run)
      }
      zeros += UInt64(available)
      highBit += available
      guard zeros <= UInt64(UInt32.max) else { throw .corrupt(file: file, detail: "position out of range") }
    }
  }
}

/// Finds paragraphs in a long paragraph list, in ascending order, decoding only the blocks
/// of 128 that may hold them (found through the list's skip table, see `IndexFormat`).
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
  private let paragraphCount: Int
  private let file: String
  private let blockCount: Int
  private var block = -1
  private var paragraphs: [UInt32] = []
  private var frequencies: [UInt32] = []
  private var positionIndex: [Int] = []
  private var blockPositionsOffset = 0
  private var blockPositionIndex = 0
  private var cursor = 0

  init(entry: TermEntry, skips: UnsafeRawBufferPointer, docs: UnsafeRawBufferPointer, paragraphCount: Int, file: String) {
    self.entry = entry
    self.skips = skips
    self.docs = docs
    self.paragraphCount = paragraphCount
    self.file = file
    blockCount = skips.count / IndexFormat.skipEntrySize + 1
  }

  /// Skip entry `i` (for block i + 1).
  private func skip(_ i: Int) -> (last: UInt32, docs: Int, positionIndex: Int, positions: Int) {
    let base = i * IndexFormat.skipEntrySize
    func field(_ k: Int) -> UInt32 {
      UInt32(littleEndian: skips.loadUnaligned(fromByteOffset: base + 4 * k, as: UInt32.self))
    }
    return (field(0), Int(field(1)), Int(field(2)), Int(field(3)))
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
    while cursor < paragraphs.count && paragraphs[cursor] < target { cursor += 1 }
    guard cursor < paragraphs.count, paragraphs[cursor] == target else { return nil }
    return Found(
      frequency: Int(frequencies[cursor]), positionIndex: positionIndex[cursor],
      blockPositionsOffset: blockPositionsOffset, blockPositionIndex: blockPositionIndex)
  }

  /// Decodes block `b`.
  private mutating func load(_ b: Int) throws(IndexError) {
    let start = b == 0 ? (base: UInt64(0), docs: 0, positionIndex: 0, positions: 0) : {
      let s = skip(b - 1)
      return (UInt64(s.last), s.docs, s.positionIndex, s.positions)
    }()
    let end = b == blockCount - 1 ? docs.count : skip(b).docs
    guard start.docs <= end, end <= docs.count else {
      throw .corrupt(file: file, detail: "skip entry out of range for term \(entry.key)")
    }
    var reader = ByteReader(UnsafeRawBufferPointer(rebasing: docs[start.docs..<end]), file: file)
    paragraphs.removeAll(keepingCapacity: true)
    frequencies.removeAll(keepingCapacity: true)
    positionIndex.removeAll(keepingCapacity: true)
    var paragraph = start.base
    var index = start.positionIndex
    let count = b == blockCount - 1 ? entry.documentFrequency - b * IndexFormat.skipBlock : IndexFormat.skipBlock
    for i in 0..<max(0, count) {
      let head = try reader.readVarInt()
      let frequency = head & 1 == 1 ? 1 : try reader.readVarInt()
      paragraph &+= head >> 1
      guard head >> 1 > 0 || (b == 0 && i == 0), paragraph < UInt64(paragraphCount), frequency > 0,
        frequency <= UInt64(entry.occurrences)
      else { throw .corrupt(file: file, detail: "invalid posting for term \(entry.key)") }
      paragraphs.append(UInt32(paragraph))
      frequencies.append(UInt32(frequency))
      positionIndex.append(index)
      index += Int(frequency)
    }
    block = b
    cursor = 0
    blockPositionsOffset = start.positions
    blockPositionIndex = start.positionIndex
  }
}
