/// Reads a term's paragraph list in order: each paragraph and the term's frequency in it
/// (`IndexFormat`, section docs).
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
