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

  /// Calls `body` with the list's paragraphs, frequencies and position index as buffers
  /// (for loops that would otherwise check every access).
  func withUnsafeBuffers<R, E: Error>(
    _ body: (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<Int>) throws(E) -> R
  ) throws(E) -> R {
    let (p, f, s) = (paragraphs, frequencies, positionIndex)
    return try p.withUnsafeBufferPointer { p throws(E) in
      try f.withUnsafeBufferPointer { f throws(E) in
        try s.withUnsafeBufferPointer { s throws(E) in try body(p, f, s) }
      }
    }
  }

  /// A term's decoded list, with its position index built; throws when the frequencies do
  /// not add up to the term's occurrences.
  init(entry: TermEntry, paragraphs: [UInt32], frequencies: [UInt32], file: String) throws(IndexError) {
    self.entry = entry
    var total = 0
    positionIndex = [Int](unsafeUninitializedCapacity: frequencies.count + 1) { starts, initialized in
      starts[0] = 0
      for i in 0..<frequencies.count {
        total += Int(frequencies[i])
        starts[i + 1] = total
      }
      initialized = frequencies.count + 1
    }
    guard total == entry.occurrences else {
      throw .corrupt(file: file, detail: "frequencies do not add up for term \(entry.key)")
    }
    self.paragraphs = paragraphs
    self.frequencies = frequencies
  }
}

/// Decodes a term's postings from its doc bits (see `IndexFormat`): each paragraph's gap
/// from the one before in Rice code (`gapBits` low bits, the rest in unary), its frequency
/// in Elias gamma code. A posting usually fits one 64-bit load; the rest take a slower path.
struct DocDecoder {
  private let bytes: UnsafeRawBufferPointer
  /// `bytes`' start with up to 8 bytes after them (bits past the list are loaded, never used).
  private let loadable: UnsafeRawBufferPointer
  private let endBit: Int
  private let gapBits: Int
  private let paragraphCount: UInt64
  /// The bit where the next posting starts.
  private(set) var bit: Int

  /// A decoder of the list in `bytes`; `loadable`, when given, starts where `bytes` does and
  /// may run on past them, so that postings near the list's end still take the fast path.
  init(_ bytes: UnsafeRawBufferPointer, loadable: UnsafeRawBufferPointer? = nil, gapBits: Int, paragraphCount: Int, bit: Int = 0) {
    self.bytes = bytes
    self.loadable = loadable.map { $0.count >= bytes.count ? $0 : bytes } ?? bytes
    endBit = bytes.count * 8
    self.gapBits = gapBits
    self.paragraphCount = UInt64(max(0, paragraphCount))
    self.bit = bit
  }

  /// The next posting: its paragraph (the gap added to `previous`, or the gap itself for a
  /// list's first) and frequency; nil when the bits are malformed or the paragraph lies
  /// beyond the index.
  @inline(__always)
  mutating func next(after previous: UInt64?) -> (paragraph: UInt64, frequency: UInt64)? {
    let (word, real) = BitLoad.word(loadable, byte: bit >> 3)
    let shift = bit & 7
    // Bits of the window that belong to the list.
    let available = min(real - shift, endBit - bit)
    let window = word &>> UInt64(shift)
    let k = gapBits
    // Fast path: gap quotient, gap low bits, gamma length and gamma bits all in the window.
    let q = window.trailingZeroBitCount
    if q + 1 + k < 64 {
      var rest = window &>> UInt64(q + 1)
      let low = rest & ((1 &<< UInt64(k)) &- 1)
      rest = rest &>> UInt64(k)
      let n = rest.trailingZeroBitCount
      let used = q + 1 + k + n + 1 + n
      if used <= available && n < 32 {
        let extra = (rest &>> UInt64(n + 1)) & ((1 &<< UInt64(n)) &- 1)
        bit += used
        return posting(gap: UInt64(q) << UInt64(k) | low, frequency: 1 << UInt64(n) | extra, after: previous)
      }
    }
    // Slow path: one part at a time (long unary runs, a malformed end of the list).
    guard let quotient = unary(limit: paragraphCount >> UInt64(k)), let low = bits(k),
      let n = unary(limit: 31), let extra = bits(Int(n))
    else { return nil }
    return posting(gap: quotient << UInt64(k) | low, frequency: 1 << n | extra, after: previous)
  }

  /// Decodes the next `count` postings into `paragraphs` and `frequencies` (the first after
  /// `previous`, or a list's first when nil) and returns how many it decoded: fewer than
  /// `count` only when the bits are malformed or a paragraph lies beyond the index.
  ///
  /// The bulk path of `next`: the state stays in registers, and a posting whose fields all
  /// lie in one 64-bit load (nearly all) costs two bit scans and a few shifts, checked only
  /// against the list's end and the paragraph count; the others take `next`.
  mutating func decode(
    _ count: Int, after previous: UInt64?, paragraphs: UnsafeMutablePointer<UInt32>,
    frequencies: UnsafeMutablePointer<UInt32>
  ) -> Int {
    guard let fast = FastPath(self) else {
      return finish(count, from: 0, after: previous, paragraphs: paragraphs, frequencies: frequencies)
    }
    var i = 0
    while i < count {
      var bit = self.bit
      // The paragraph before the next; for a list's first, one before zero (wrapping).
      var paragraph = i == 0 ? previous ?? UInt64.max : UInt64(paragraphs[i - 1])
      while i < count && fast.step(bit: &bit, paragraph: &paragraph, into: paragraphs + i, frequencies + i) {
        i &+= 1
      }
      self.bit = bit
      guard i < count else { break }
      // A posting the fast path left (a long gap, say) alone the slow way; then fast again.
      guard finish(i + 1, from: i, after: previous, paragraphs: paragraphs, frequencies: frequencies) == i + 1 else {
        return i
      }
      i += 1
    }
    return count
  }

  /// Decodes the next `count` postings of `a` and of `b` as `decode` does, in lockstep: two
  /// independent chains of loads and bit scans, which a core runs side by side (one chain
  /// waits on each step's result before the next can start). False when either list is
  /// malformed.
  static func decode(
    _ count: Int,
    _ a: inout DocDecoder, after previousA: UInt64?, into paragraphsA: UnsafeMutablePointer<UInt32>,
    _ frequenciesA: UnsafeMutablePointer<UInt32>,
    _ b: inout DocDecoder, after previousB: UInt64?, into paragraphsB: UnsafeMutablePointer<UInt32>,
    _ frequenciesB: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    guard let fastA = FastPath(a), let fastB = FastPath(b) else {
      return a.decode(count, after: previousA, paragraphs: paragraphsA, frequencies: frequenciesA) == count
        && b.decode(count, after: previousB, paragraphs: paragraphsB, frequencies: frequenciesB) == count
    }
    var i = 0
    while i < count {
      var (bitA, paragraphA) = (a.bit, i == 0 ? previousA ?? UInt64.max : UInt64(paragraphsA[i - 1]))
      var (bitB, paragraphB) = (b.bit, i == 0 ? previousB ?? UInt64.max : UInt64(paragraphsB[i - 1]))
      while i < count {
        let (oldBitA, oldParagraphA) = (bitA, paragraphA)
        guard fastA.step(bit: &bitA, paragraph: &paragraphA, into: paragraphsA + i, frequenciesA + i) else { break }
        guard fastB.step(bit: &bitB, paragraph: &paragraphB, into: paragraphsB + i, frequenciesB + i) else {
          (bitA, paragraphA) = (oldBitA, oldParagraphA)
          break
        }
        i &+= 1
      }
      (a.bit, b.bit) = (bitA, bitB)
      guard i < count else { break }
      // Posting i of each the slow way (one of them did not fit the fast path); then fast again.
      guard a.finish(i + 1, from: i, after: previousA, paragraphs: paragraphsA, frequencies: frequenciesA) == i + 1,
        b.finish(i + 1, from: i, after: previousB, paragraphs: paragraphsB, frequencies: frequenciesB) == i + 1
      else { return false }
      i += 1
    }
    return true
  }

  /// What the fast path reads, copied out of the decoder so that it stays in registers
  /// (writes through the output pointers could otherwise alias the decoder's fields).
  private struct FastPath {
    let base: UnsafeRawPointer
    /// Loads at bytes up to here read 8 bytes that exist.
    let lastLoad: Int
    let k: UInt64
    let endBit: Int
    let paragraphCount: UInt64

    init?(_ decoder: DocDecoder) {
      guard let base = decoder.loadable.baseAddress else { return nil }
      self.base = base
      lastLoad = decoder.loadable.count - 8
      k = UInt64(decoder.gapBits)
      endBit = decoder.endBit
      paragraphCount = decoder.paragraphCount
    }

    /// One posting, from `bit` after `paragraph` (both advanced), written to `paragraphOut`
    /// and `frequencyOut`; false, with nothing advanced, when its fields do not all lie in
    /// one 64-bit load, or it is malformed.
    @inline(__always)
    func step(
      bit: inout Int, paragraph: inout UInt64, into paragraphOut: UnsafeMutablePointer<UInt32>,
      _ frequencyOut: UnsafeMutablePointer<UInt32>
    ) -> Bool {
      let byte = bit &>> 3
      guard byte <= lastLoad else { return false }
      // At least 57 bits of the window are real.
      let window = UInt64(littleEndian: (base + byte).loadUnaligned(as: UInt64.self)) &>> UInt64(bit & 7)
      let q = UInt64(window.trailingZeroBitCount)
      let afterGap = window &>> (q &+ 1 &+ k)
      let n = UInt64(afterGap.trailingZeroBitCount)
      let used = q &+ 1 &+ k &+ 2 &* n &+ 1
      // Long codes (and a window of zeros, where q is 64) take the slow path. Within 57
      // bits, n is at most 28: the frequency fits 32 bits.
      guard used <= 57, bit &+ Int(used) <= endBit else { return false }
      let low = (window &>> (q &+ 1)) & ((1 &<< k) &- 1)
      let extra = (afterGap &>> (n &+ 1)) & ((1 &<< n) &- 1)
      let next = paragraph &+ (q &<< k | low) &+ 1
      guard next < paragraphCount else { return false }
      paragraphOut.pointee = UInt32(truncatingIfNeeded: next)
      frequencyOut.pointee = UInt32(truncatingIfNeeded: 1 &<< n | extra)
      paragraph = next
      bit &+= Int(used)
      return true
    }
  }

  /// Decodes postings `done..<count` one at a time (those the fast path left), the first
  /// after the one before `done` (or `previous`); returns how many of the `count` are decoded.
  private mutating func finish(
    _ count: Int, from done: Int, after previous: UInt64?, paragraphs: UnsafeMutablePointer<UInt32>,
    frequencies: UnsafeMutablePointer<UInt32>
  ) -> Int {
    var i = done
    while i < count {
      guard let (next, frequency) = next(after: i == 0 ? previous : UInt64(paragraphs[i - 1])) else { return i }
      paragraphs[i] = UInt32(truncatingIfNeeded: next)
      frequencies[i] = UInt32(truncatingIfNeeded: frequency)
      i += 1
    }
    return count
  }

  @inline(__always)
  private func posting(gap: UInt64, frequency: UInt64, after previous: UInt64?) -> (paragraph: UInt64, frequency: UInt64)? {
    let paragraph = previous.map { $0 &+ gap &+ 1 } ?? gap
    guard paragraph < paragraphCount, previous.map({ paragraph > $0 }) ?? true else { return nil }
    return (paragraph, frequency)
  }

  /// The zero bits before the next one bit (at most `limit`), which it passes.
  private mutating func unary(limit: UInt64) -> UInt64? {
    var zeros: UInt64 = 0
    while true {
      let (word, real) = BitLoad.word(bytes, byte: bit >> 3)
      let shift = bit & 7
      let available = real - shift
      guard available > 0 else { return nil }
      let run = (word >> UInt64(shift)).trailingZeroBitCount
      if run < available {
        bit += run + 1
        zeros += UInt64(run)
        return zeros <= limit ? zeros : nil
      }
      zeros += UInt64(available)
      bit += available
      guard zeros <= limit else { return nil }
    }
  }

  /// The next `width` bits (at most 32).
  private mutating func bits(_ width: Int) -> UInt64? {
    guard width > 0 else { return 0 }
    guard bit + width <= bytes.count * 8 else { return nil }
    defer { bit += width }
    return BitLoad.bits(bytes, at: bit, width: width)
  }
}

/// Reads a term's paragraph list in order: each paragraph and the term's frequency in it.
struct DocIterator {
  private var decoder: DocDecoder
  private let entry: TermEntry
  private let file: String
  /// The index (in the list) of the next posting, and the end of the postings read.
  private var index: Int
  private let end: Int
  /// The paragraph of the posting before `index`.
  private var paragraph: UInt64
  /// The sum of the frequencies decoded in bulk (`decode`, `decodeAll`).
  private(set) var frequencySum: UInt64 = 0
  /// Where the bits and the paragraphs must end, for a part of a split list but the last
  /// (see `IndexReader.docIterators(_:splitAtBlock:)`): where the skip table says the next
  /// part starts.
  var expectedEnd: (bit: Int, paragraph: UInt64)? = nil

  /// An iterator over the whole list; or, given `postings` (with `previous`, the paragraph
  /// of the posting before them, and `decoder` placed where they start), over those only.
  init(decoder: DocDecoder, entry: TermEntry, file: String, postings: Range<Int>? = nil, previous: UInt64 = 0) {
    self.decoder = decoder
    self.entry = entry
    self.file = file
    index = postings?.lowerBound ?? 0
    end = postings?.upperBound ?? entry.documentFrequency
    paragraph = previous
  }

  /// How many postings are left.
  var remaining: Int { end - index }

  /// The next paragraph and frequency, or nil after the last.
  @inline(__always)
  mutating func next() throws(IndexError) -> (UInt32, UInt32)? {
    guard index < end else { return nil }
    guard let (next, frequency) = decoder.next(after: index == 0 ? nil : paragraph),
      frequency <= UInt64(entry.occurrences)
    else { throw .corrupt(file: file, detail: "invalid posting for term \(entry.key)") }
    paragraph = next
    index += 1
    return (UInt32(paragraph), UInt32(frequency))
  }

  /// Decodes the next `count` postings into `paragraphs` and `frequencies`.
  mutating func decode(
    _ count: Int, paragraphs: UnsafeMutablePointer<UInt32>, frequencies: UnsafeMutablePointer<UInt32>
  ) throws(IndexError) {
    guard count <= remaining,
      decoder.decode(count, after: index == 0 ? nil : paragraph, paragraphs: paragraphs, frequencies: frequencies) == count
    else { throw .corrupt(file: file, detail: "invalid posting for term \(entry.key)") }
    try accept(count, paragraphs: paragraphs, frequencies: frequencies)
  }

  /// Checks and counts `count` postings just decoded.
  private mutating func accept(
    _ count: Int, paragraphs: UnsafeMutablePointer<UInt32>, frequencies: UnsafeMutablePointer<UInt32>
  ) throws(IndexError) {
    var largest: UInt32 = 0
    var sum: UInt64 = 0
    for i in 0..<count {
      largest = max(largest, frequencies[i])
      sum &+= UInt64(frequencies[i])
    }
    guard UInt64(largest) <= UInt64(entry.occurrences) else {
      throw .corrupt(file: file, detail: "invalid posting for term \(entry.key)")
    }
    frequencySum &+= sum
    if count > 0 { paragraph = UInt64(paragraphs[count - 1]) }
    index += count
    if index == end, let expected = expectedEnd, expected.bit != decoder.bit || expected.paragraph != paragraph {
      throw .corrupt(file: file, detail: "skip table does not match the list of term \(entry.key)")
    }
  }

  /// Postings decoded at a time by `decodeAll`.
  static let chunkSize = 128

  /// Decodes every remaining posting of `a` and of `b` in chunks of up to `chunkSize`,
  /// passing each chunk (paragraphs, frequencies, count, and 0 for `a`'s or 1 for `b`'s) to
  /// `body`: the two lists in lockstep while both have postings left, which runs two
  /// independent chains of bit scans side by side.
  static func decodeAll(
    _ a: inout DocIterator, _ b: inout DocIterator,
    _ body: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int, Int) throws(IndexError) -> Void
  ) throws(IndexError) {
    try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * chunkSize) { (buffer) throws(IndexError) in
      let paragraphsA = buffer.baseAddress!
      let frequenciesA = paragraphsA + chunkSize
      let paragraphsB = frequenciesA + chunkSize
      let frequenciesB = paragraphsB + chunkSize
      while a.remaining > 0 && b.remaining > 0 {
        let count = min(chunkSize, a.remaining, b.remaining)
        try decodeInLockstep(count, &a, into: paragraphsA, frequenciesA, &b, into: paragraphsB, frequenciesB)
        try body(paragraphsA, frequenciesA, count, 0)
        try body(paragraphsB, frequenciesB, count, 1)
      }
      try a.decodeAll(into: paragraphsA, frequenciesA) { (paragraphs, frequencies, count) throws(IndexError) in
        try body(paragraphs, frequencies, count, 0)
      }
      try b.decodeAll(into: paragraphsB, frequenciesB) { (paragraphs, frequencies, count) throws(IndexError) in
        try body(paragraphs, frequencies, count, 1)
      }
    }
  }

  /// Decodes every remaining posting in chunks of up to `chunkSize`, passing each chunk
  /// (paragraphs, frequencies, count) to `body`.
  mutating func decodeAll(
    _ body: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int) throws(IndexError) -> Void
  ) throws(IndexError) {
    try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * Self.chunkSize) { (buffer) throws(IndexError) in
      try decodeAll(into: buffer.baseAddress!, buffer.baseAddress! + Self.chunkSize, body)
    }
  }

  /// `decodeAll(_:)` with the chunks decoded into `paragraphs` and `frequencies` (room for
  /// `chunkSize` each), for callers that read many short lists with one buffer.
  mutating func decodeAll(
    into paragraphs: UnsafeMutablePointer<UInt32>, _ frequencies: UnsafeMutablePointer<UInt32>,
    _ body: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int) throws(IndexError) -> Void
  ) throws(IndexError) {
    while remaining > 0 {
      let count = min(Self.chunkSize, remaining)
      try decode(count, paragraphs: paragraphs, frequencies: frequencies)
      try body(paragraphs, frequencies, count)
    }
  }

  /// Decodes the next `count` postings of `a` and of `b` (both have that many left) in
  /// lockstep (see `DocDecoder.decode(_:_:after:into:_:_:after:into:_:)`).
  static func decodeInLockstep(
    _ count: Int,
    _ a: inout DocIterator, into paragraphsA: UnsafeMutablePointer<UInt32>, _ frequenciesA: UnsafeMutablePointer<UInt32>,
    _ b: inout DocIterator, into paragraphsB: UnsafeMutablePointer<UInt32>, _ frequenciesB: UnsafeMutablePointer<UInt32>
  ) throws(IndexError) {
    guard
      DocDecoder.decode(
        count, &a.decoder, after: a.index == 0 ? nil : a.paragraph, into: paragraphsA, frequenciesA,
        &b.decoder, after: b.index == 0 ? nil : b.paragraph, into: paragraphsB, frequenciesB)
    else { throw .corrupt(file: a.file, detail: "invalid posting for term \(a.entry.key) or \(b.entry.key)") }
    try a.accept(count, paragraphs: paragraphsA, frequencies: frequenciesA)
    try b.accept(count, paragraphs: paragraphsB, frequencies: frequenciesB)
  }

  /// Throws unless the frequencies decoded in bulk add up to the term's occurrences (for an
  /// iterator over the whole list, once it is read).
  func checkFrequencySum() throws(IndexError) {
    guard frequencySum == UInt64(entry.occurrences) else {
      throw .corrupt(file: file, detail: "frequencies do not add up for term \(entry.key)")
    }
  }

  /// Adds every remaining posting's frequency to `tally` (the single-character hot path:
  /// every posting of hundreds of lists).
  mutating func addAll(to tally: Tally) throws(IndexError) {
    let limit = UInt64(tally.capacity)
    let occurrences = UInt64(entry.occurrences)
    var total: UInt64 = 0
    while index < end {
      guard let (next, frequency) = decoder.next(after: index == 0 ? nil : paragraph), next < limit,
        frequency <= occurrences
      else { throw .corrupt(file: file, detail: "invalid posting for term \(entry.key)") }
      tally.add(UInt32(next), UInt32(frequency))
      total += frequency
      paragraph = next
      index += 1
    }
    guard total == occurrences, !tally.overflowed else {
      throw .corrupt(file: file, detail: "frequencies do not add up for term \(entry.key)")
    }
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
    try positions(from: start, count: count) { out.append($0) }
  }

  /// The `count` positions that start at position index `start` written to `out`, which
  /// has room for them.
  @inline(__always)
  mutating func positions(from start: Int, count: Int, to out: UnsafeMutablePointer<UInt32>) throws(IndexError) {
    var written = 0
    try positions(from: start, count: count) { position in
      out[written] = position
      written &+= 1
    }
  }

  /// The `count` values (each paragraph's first position, then the gaps, as stored) that
  /// start at position index `start` written to `out`, which has room for them: a whole list's
  /// values at once, for a caller that needs most of its paragraphs' positions.
  mutating func values(from start: Int, count: Int, to out: UnsafeMutablePointer<UInt32>) throws(IndexError) {
    let file = self.file
    try values(from: start, count: count) { k, value throws(IndexError) in
      guard value <= UInt64(UInt32.max) else { throw .corrupt(file: file, detail: "position out of range") }
      out[k] = UInt32(truncatingIfNeeded: value)
    }
  }

  /// Decodes the `count` positions that start at position index `start`, passing each to `emit`.
  @inline(__always)
  private mutating func positions(from start: Int, count: Int, emit: (UInt32) -> Void) throws(IndexError) {
    var position: UInt64 = 0
    let file = self.file
    try values(from: start, count: count) { k, value throws(IndexError) in
      guard k == 0 || value > 0 else { throw .corrupt(file: file, detail: "positions out of order") }
      position &+= value
      guard position <= UInt64(UInt32.max) else { throw .corrupt(file: file, detail: "position out of range") }
      emit(UInt32(truncatingIfNeeded: position))
    }
  }

  /// Decodes the `count` values that start at position index `start`, passing each, with
  /// its index among them, to `emit`.
  @inline(__always)
  private mutating func values(
    from start: Int, count: Int, emit: (Int, UInt64) throws(IndexError) -> Void
  ) throws(IndexError) {
    // Behind the reader only when a skip entry lied about where its block's positions start.
    guard start >= index else { throw .corrupt(file: file, detail: "positions out of order") }
    guard count >= 0, start <= occurrences, count <= occurrences - start else {
      throw .corrupt(file: file, detail: "positions past their count")
    }
    if start > index { try skip(start - index) }
    index = start
    var k = 0
    // Fast path: the unary stream a 64-bit word at a time, each value's one bit found by
    // counting trailing zeros and then cleared, so no value's code waits for a load and shift
    // after the one before (the chain from one value to the next is a subtraction and a bit
    // clear); each value's low bits in one 64-bit load. Words past the last whole one, and the
    // last low bits, are left to the loop below.
    if count > 0, let highBase = high.baseAddress, let lowBase = low.baseAddress {
      let wholeWords = high.count &>> 3
      let lastLowLoad = low.count - 8
      let width = UInt64(lowBits)
      let lowMask: UInt64 = (1 &<< width) &- 1
      // Where the next value's zero bits begin.
      var next = self.highBit
      var lowBit = index &* lowBits
      var w = next &>> 6
      if w < wholeWords {
        // (The bits below `next` are masked off: a one bit found is never before it.)
        var word = UInt64(littleEndian: (highBase + w &<< 3).loadUnaligned(as: UInt64.self)) & (~0 &<< UInt64(next & 63))
        decoding: while k < count {
          while word == 0 {
            w &+= 1
            guard w < wholeWords else { break decoding }
            word = UInt64(littleEndian: (highBase + w &<< 3).loadUnaligned(as: UInt64.self))
          }
          let lowByte = lowBit &>> 3
          guard lowByte <= lastLowLoad else { break }
          let one = w &<< 6 | word.trailingZeroBitCount
          let lowWindow = UInt64(littleEndian: (lowBase + lowByte).loadUnaligned(as: UInt64.self))
          let value = UInt64(one &- next) &<< width | (lowWindow &>> UInt64(lowBit & 7)) & lowMask
          try emit(k, value)
          next = one &+ 1
          word &= word &- 1
          lowBit &+= lowBits
          k &+= 1
        }
      }
      self.highBit = next
      index &+= k
    }
    while k < count {
      let value = try unary() << UInt64(lowBits) | BitLoad.bits(low, at: index * lowBits, width: lowBits)
      try emit(k, value)
      index += 1
      k += 1
    }
  }

  /// The bit offset in the unary stream where value `index` (not behind the reader) starts.
  mutating func highBitOffset(ofValue index: Int) throws(IndexError) -> Int {
    guard index >= self.index, index <= occurrences else {
      throw .corrupt(file: file, detail: "positions out of order")
    }
    try skip(index - self.index)
    self.index = index
    return highBit
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
