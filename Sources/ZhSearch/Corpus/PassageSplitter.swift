/// Splits a long line into passages of at most `limit` characters at natural boundaries.
///
/// Boundaries are tried in order of preference within each window of `limit` characters:
/// a sentence end found by ICU's sentence break iterator, then clause punctuation
/// (`，、；：,;:` and the like), then whitespace. A boundary is only taken right after a
/// character that is neither Han, a letter nor a digit, so a run of those is never cut and
/// no phrase inside it is lost. When a window has no boundary at all (one long run), the
/// passage grows to the next boundary, or to the end of the line. Works on UTF-8 bytes;
/// not thread-safe.
struct PassageSplitter {
  /// The most characters (Unicode code points) a passage should hold.
  let limit: Int
  private let sentences: BreakIterator
  private let table = CharacterTable()

  init(limit: Int) throws(ICUError) {
    precondition(limit > 0, "the passage limit must be positive")
    self.limit = limit
    sentences = try BreakIterator.sentences()
  }

  /// The passages of `line`, trimmed and non-empty; `[line]` when it is short enough.
  func split(_ line: String) -> [String] {
    var line = line
    return line.withUTF8 { bytes in
      split(bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }
  }

  /// The byte ranges of the passages of `line` (valid UTF-8), trimmed and non-empty.
  func split(_ line: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    // Byte offset of each code point, then the end.
    var starts: [Int] = []
    starts.reserveCapacity(line.count / 2 + 1)
    for (offset, byte) in line.enumerated() where byte & 0xC0 != 0x80 { starts.append(offset) }
    let count = starts.count
    starts.append(line.count)
    guard count > limit else { return [CorpusReader.trimmed(line, 0..<line.count)].filter { !$0.isEmpty } }
    // Preference of a cut after each code point: 3 sentence end, 2 clause, 1 space, 0 none.
    var preference = [UInt8](repeating: 0, count: count)
    var characterIndex = [Int32](repeating: 0, count: line.count + 1)
    for i in 0..<count {
      characterIndex[starts[i]] = Int32(i)
      var offset = starts[i]
      let c = Analyzer.decode(line, &offset)
      guard table.entry(c) & CharacterTable.classMask == 0 else { continue }
      if CorpusReader.isWhiteSpace(c) {
        preference[i] = 1
      } else if Self.clausePunctuation.contains(c) {
        preference[i] = 2
      }
    }
    characterIndex[line.count] = Int32(count)
    sentences.forEachSegment(in: line) { end, _ in
      let after = Int(characterIndex[end])
      if after > 0 && after < count && !isRunCharacter(line, starts[after - 1]) { preference[after - 1] = 3 }
    }
    var passages: [Range<Int>] = []
    var start = 0
    func emit(_ first: Int, _ last: Int) {
      let range = CorpusReader.trimmed(line, starts[first]..<starts[last + 1])
      if !range.isEmpty { passages.append(range) }
    }
    while count - start > limit {
      let windowEnd = start + limit - 1
      var cut = -1
      for wanted in stride(from: UInt8(3), through: 1, by: -1) {
        if let i = (start...windowEnd).last(where: { preference[$0] == wanted }) {
          cut = i
          break
        }
      }
      if cut < 0 {
        // No boundary in the window: take the first one after it, never cutting a run.
        cut = (windowEnd + 1..<count - 1).first(where: { preference[$0] > 0 }) ?? count - 1
      }
      emit(start, cut)
      start = cut + 1
    }
    if start < count { emit(start, count - 1) }
    return passages
  }

  private func isRunCharacter(_ line: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
    var offset = offset
    return table.entry(Analyzer.decode(line, &offset)) & CharacterTable.classMask != 0
  }

  /// Clause punctuation, full and half width.
  static let clausePunctuation: Set<UInt32> = Set(
    "，、；：,;:—…)）」』】》〉".unicodeScalars.map(\.value))
}
