@testable import ZhSearch

/// `PassageSplitter` as it was before it decided most sentence ends itself: every sentence
/// end asked of ICU's sentence break iterator, over the line as UTF-16 (or UTF-8 when it has
/// characters beyond the Basic Multilingual Plane). The reference the splitter is held to.
struct ReferencePassageSplitter {
  /// The most characters (Unicode code points) a passage should hold.
  let limit: Int
  private let sentences: BreakIterator
  private let table = CharacterTable()

  init(limit: Int) throws(ICUError) {
    precondition(limit > 0, "the passage limit must be positive")
    self.limit = limit
    sentences = try BreakIterator.sentences()
  }

  /// The byte ranges of the passages of `line` (valid UTF-8), trimmed and non-empty.
  ///
  /// ICU is asked only for the sentence end before each window's end (`ubrk_preceding`),
  /// not for every sentence of the line.
  func split(_ line: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    // The byte offset of each code point, then the end; in the same pass, each character as
    // one UTF-16 code unit: ICU reads the line as UTF-16 when every character is one (all of
    // the Basic Multilingual Plane, nearly every Chinese line), and its offsets are then
    // character indices. Otherwise it reads the UTF-8, with byte offsets.
    var supplementary = false
    var starts: [Int] = []
    let utf16 = [UInt16](unsafeUninitializedCapacity: line.count) { units, count in
      starts = [Int](unsafeUninitializedCapacity: line.count + 1) { starts, initialized in
        // (Three-byte characters on a path of their own: nearly all of a Chinese line.)
        var offset = 0
        var n = 0
        while offset < line.count {
          starts[n] = offset
          if line[offset] & 0xF0 == 0xE0 {
            units[n] = UInt16(truncatingIfNeeded: Analyzer.decodeThreeBytes(line, at: offset))
            offset &+= 3
          } else {
            let c = Analyzer.decode(line, &offset)
            units[n] = UInt16(truncatingIfNeeded: c)
            if c > 0xFFFF { supplementary = true }
          }
          n &+= 1
        }
        starts[n] = line.count
        (count, initialized) = (n, n + 1)
      }
    }
    let count = utf16.count
    guard count > limit else { return [CorpusReader.trimmed(line, 0..<line.count)].filter { !$0.isEmpty } }
    return utf16.withUnsafeBufferPointer { utf16 in
      if supplementary { sentences.setText(line) } else { sentences.setText(utf16: utf16) }
      return split(line, starts: starts, offsetsAreCharacters: !supplementary)
    }
  }

  /// The passages of a line longer than the limit, whose characters start at byte offsets
  /// `starts` (then the end), with the sentence iterator set to it (in character or byte
  /// offsets).
  private func split(_ line: UnsafeBufferPointer<UInt8>, starts: [Int], offsetsAreCharacters: Bool) -> [Range<Int>] {
    let count = starts.count - 1
    /// Where character `i` starts, in the sentence iterator's offsets.
    func offset(_ i: Int) -> Int { offsetsAreCharacters ? i : starts[i] }
    /// The character that starts at `offset` of the sentence iterator (a code point boundary).
    func characterIndex(_ offset: Int) -> Int {
      if offsetsAreCharacters { return offset }
      var low = 0
      var high = count
      while low < high {
        let middle = (low + high) / 2
        if starts[middle] < offset { low = middle + 1 } else { high = middle }
      }
      return low
    }
    /// Whether a cut may fall after character `i`: it is not part of a run.
    func isCutAllowed(_ i: Int) -> Bool { !isRunCharacter(line, starts[i]) }

    var passages: [Range<Int>] = []
    var start = 0
    func emit(_ first: Int, _ last: Int) {
      let range = CorpusReader.trimmed(line, starts[first]..<starts[last + 1])
      if !range.isEmpty { passages.append(range) }
    }
    while count - start > limit {
      let windowEnd = start + limit - 1
      var cut = -1
      // 1. The last sentence end in the window, after a character that is not part of a run.
      // (ICU moves an offset inside a character back to its start: ask from the next one.)
      var boundary = sentences.preceding(offset(windowEnd + 2))
      while let b = boundary, b > offset(start) {
        let after = characterIndex(b)
        if isCutAllowed(after - 1) {
          cut = after - 1
          break
        }
        boundary = sentences.preceding(b)
      }
      // 2. Clause punctuation, then 3. whitespace, the last in the window.
      if cut < 0 { cut = lastCut(line, starts, start...windowEnd, clause: true) ?? -1 }
      if cut < 0 { cut = lastCut(line, starts, start...windowEnd, clause: false) ?? -1 }
      if cut < 0 {
        // No boundary in the window: take the first one after it, never cutting a run.
        var next = count - 1
        for i in windowEnd + 1..<count - 1 where isCutAllowed(i) {
          let c = decode(line, starts[i])
          if CorpusReader.isWhiteSpace(c) || PassageSplitter.isClausePunctuation(c) {
            next = i
            break
          }
        }
        // A sentence end before that one wins.
        var boundary = sentences.following(offset(windowEnd + 1))
        while let b = boundary, b < offset(next + 1) {
          let after = characterIndex(b)
          if after - 1 > windowEnd && isCutAllowed(after - 1) {
            next = after - 1
            break
          }
          boundary = sentences.following(b)
        }
        cut = next
      }
      emit(start, cut)
      start = cut + 1
    }
    if start < count { emit(start, count - 1) }
    return passages
  }

  /// The last character in `window` after which a cut may fall: clause punctuation when
  /// `clause`, else white space.
  private func lastCut(_ line: UnsafeBufferPointer<UInt8>, _ starts: [Int], _ window: ClosedRange<Int>, clause: Bool) -> Int? {
    for i in window.reversed() {
      let c = decode(line, starts[i])
      guard table.entry(c) & CharacterTable.classMask == 0 else { continue }
      if clause ? PassageSplitter.isClausePunctuation(c) : CorpusReader.isWhiteSpace(c) { return i }
    }
    return nil
  }

  private func decode(_ line: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32 {
    var offset = offset
    return Analyzer.decode(line, &offset)
  }

  private func isRunCharacter(_ line: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
    table.entry(decode(line, offset)) & CharacterTable.classMask != 0
  }
}
