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
