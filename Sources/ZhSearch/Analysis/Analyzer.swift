/// The one analysis pipeline, used alike at index time and at query time.
///
/// It is a straight chain of steps, done in a single pass over the UTF-8 bytes:
/// 1. Fold with ICU's NFKC_Casefold (full width to half width, upper to lower). Characters
///    that the fold leaves alone (nearly all Chinese text) are copied; any other
///    normalization chunk goes through ICU (`TextFolder`).
///    Then, unless variants are kept, each Han character becomes its simplified form
///    (`VariantTable`, from ICU's Traditional-Simplified transform), one code point for one,
///    so positions and offsets are those of the original characters.
/// 2. Cut the folded text into runs of Han characters, letters and digits, using each
///    character's class from ICU (`CharacterTable`: the same sets as the rules of
///    `BreakIterator.scriptRuns()`); punctuation, whitespace, symbols and emoji separate runs.
/// 3. A Han run of n characters becomes n - 1 overlapping bigrams plus a unigram for its
///    last character; a letter or digit run becomes one token.
///
/// A token's position is the code point offset of its first character in the folded text.
/// Not thread-safe (it reuses its buffers): give each thread its own. (Its buffers are read
/// and written for every character, so their accesses skip Swift's run-time exclusivity
/// checks: `@exclusivity(unchecked)`, safe because an analyzer is used by one thread and
/// never re-entered.)
public final class Analyzer {
  private let table = CharacterTable()
  private let folder = TextFolder()
  /// Each code point below U+10000 to what it folds to as a Han character: its simplified
  /// form, or itself when variants are kept.
  private let variants: UnsafePointer<UInt16>
  /// Whether traditional characters fold to their simplified forms.
  public let foldsVariants: Bool
  /// The folded text of the last scan (without separators that fold to other separators when
  /// the scan did not ask for the folded text).
  @exclusivity(unchecked) private var folded = UnsafeMutablePointer<UInt8>.allocate(capacity: 1024)
  @exclusivity(unchecked) private var foldedCount = 0
  @exclusivity(unchecked) private var capacity = 1024
  /// For each folded byte, the original byte range of its normalization chunk.
  @exclusivity(unchecked) private var sourceStart = UnsafeMutablePointer<Int32>.allocate(capacity: 1024)
  @exclusivity(unchecked) private var sourceEnd = UnsafeMutablePointer<Int32>.allocate(capacity: 1024)
  /// The characters of a stretch of a Han run, for `TokenSink.hanBigrams` (room for a
  /// character every three bytes of the text scanned, and one more).
  @exclusivity(unchecked) private var runCharacters = UnsafeMutablePointer<UInt32>.allocate(capacity: 512)
  @exclusivity(unchecked) private var runCapacity = 512

  /// An analyzer that folds traditional characters to simplified ones, or, with
  /// `foldsVariants` false, keeps them apart.
  public init(foldsVariants: Bool = true) throws(ICUError) {
    self.foldsVariants = foldsVariants
    variants = foldsVariants ? VariantTable.folding : VariantTable.identity
  }

  deinit {
    folded.deallocate()
    sourceStart.deallocate()
    sourceEnd.deallocate()
    runCharacters.deallocate()
  }

  /// Analyzes `text` and returns its folded text and tokens.
  ///
  /// - Parameters:
  ///   - text: the original text.
  ///   - offsets: whether to compute each token's `source` range in the original text.
  public func analyze(_ text: String, offsets: Bool = true) -> AnalyzedText {
    var collector = TokenCollector()
    var text = text
    text.withUTF8 { scan($0, foldedText: true, offsets: offsets, into: &collector) }
    return AnalyzedText(
      folded: Array(UnsafeBufferPointer(start: folded, count: foldedCount)), tokens: collector.tokens)
  }

  /// The folded UTF-8 of the last scan.
  var lastFolded: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: folded, count: foldedCount) }

  /// The original byte range of the normalization chunk that folded byte `offset` of the
  /// last scan came from (a scan with offsets only).
  func lastSource(ofFoldedByte offset: Int) -> Range<Int> {
    Int(sourceStart[offset])..<Int(sourceEnd[offset])
  }

  /// Scans UTF-8 text and hands its tokens to `sink`.
  ///
  /// - Parameters:
  ///   - foldedText: keep the exact folded text (query side); when false, separators that
  ///     fold to other separators only advance the position (index side, faster).
  ///   - offsets: record the original byte range of every folded byte.
  func scan<Sink: TokenSink>(
    _ text: UnsafeBufferPointer<UInt8>, foldedText: Bool, offsets: Bool, into sink: inout Sink
  ) {
    foldedCount = 0
    reserve(text.count + 16)
    if text.count / 3 + 2 > runCapacity {
      runCharacters.deallocate()
      runCapacity = text.count / 3 + 2
      runCharacters = .allocate(capacity: runCapacity)
    }
    var state = RunState()
    let count = text.count
    var i = 0
    // The character at `i` when the previous step already decoded it (its look-ahead).
    var carried: (code: UInt32, entry: UInt8, end: Int)? = nil
    // The index side's common case, a run of Han characters of the Basic Multilingual Plane
    // that fold unchanged, has a loop of its own (the first step of the loop below): each
    // character becomes its bigram with the one before, as in the general steps, without
    // their bookkeeping. A character is taken there only when the next one starts a
    // normalization chunk of its own (it is ASCII, or its entry says so); anything else goes
    // the general way. The punctuation between runs (three-byte characters of no class that
    // fold unchanged, or to separators) is taken there too, as the general steps would.
    let hanInert = CharacterTable.Class.han.rawValue | CharacterTable.inert | CharacterTable.boundaryBefore
    let hanInertMask = CharacterTable.classMask | CharacterTable.inert | CharacterTable.boundaryBefore
    let separatorMask = CharacterTable.classMask | CharacterTable.boundaryBefore
    let fastHan = !foldedText && !offsets
    func isSimpleHan(_ c: UInt32) -> Bool { table.entry(c) & hanInertMask == hanInert }
    while i < count {
      if fastHan && (carried.map { $0.entry & hanInertMask == hanInert } ?? true) {
        // (A character looked ahead at is decoded again here: this loop decodes its own.)
        carried = nil
        var c = i + 3 <= count && text[i] & 0xF0 == 0xE0 ? Self.decodeThreeBytes(text, at: i) : 0
        while c != 0 {
          let entry = table.entry(c)
          if entry & hanInertMask == hanInert {
            if state.isInHanRun {
              // Within a Han run: a loop of its own. It stops before a character that is not
              // simple Han (taken below, or the general way), or at a simple one that the
              // next character combines with (the general way).
              (i, c) = continueHanRun(text, at: i, c, state: &state, sink: &sink)
              if c == 0 || isSimpleHan(c) { break }
              continue
            }
            // The next character, decoded once: it is the next one taken when it is simple too.
            let next = i + 3
            guard let (following, _) = chunkStart(text, at: next) else { break }
            state.character(
              UInt32(variants[Int(c)]), class: CharacterTable.Class.han.rawValue, folded: foldedCount..<foldedCount,
              source: i..<next, bytes: folded, sink: &sink)
            i = next
            c = following
          } else if entry & separatorMask == CharacterTable.boundaryBefore
            && entry & (CharacterTable.inert | CharacterTable.fast) != 0
          {
            // Punctuation: unchanged by folding (a character of no class), or folded to
            // separators, of which only the number counts here.
            let next = i + 3
            guard let (following, _) = chunkStart(text, at: next) else { break }
            if entry & CharacterTable.inert != 0 {
              state.character(
                c, class: CharacterTable.Class.other.rawValue, folded: foldedCount..<foldedCount,
                source: i..<next, bytes: folded, sink: &sink)
            } else {
              state.separator(UInt32(truncatingIfNeeded: entry >> 4 & 7), bytes: folded, sink: &sink)
            }
            i = next
            c = following
          } else {
            break
          }
        }
        if i >= count { break }
      }
      let start = i
      let c: UInt32
      let entry: UInt8
      if let known = carried {
        (c, entry, i) = known
        carried = nil
      } else {
        c = Self.decode(text, &i)
        entry = table.entry(c)
      }
      // Whether the next character starts a new normalization chunk (ASCII always does).
      var nextHasBoundary = true
      if i < count && text[i] >= 0x80 {
        var j = i
        let next = Self.decode(text, &j)
        let nextEntry = table.entry(next)
        nextHasBoundary = nextEntry & CharacterTable.boundaryBefore != 0
        carried = (next, nextEntry, j)
      }
      if nextHasBoundary {
        if entry & CharacterTable.inert != 0 {
          // Unchanged by folding: copy it. (The index side needs the folded bytes of letters
          // and digits only, for their words; Han keys come from the code points.)
          let foldedStart = foldedCount
          let characterClass = entry & CharacterTable.classMask
          let variant = characterClass == CharacterTable.Class.han.rawValue ? variant(of: c) : c
          if variant != c {
            if foldedText || offsets { appendCharacter(variant, source: start..<i, offsets: offsets) }
          } else if foldedText || offsets || characterClass >= CharacterTable.Class.letter.rawValue {
            append(text, start..<i, source: start..<i, offsets: offsets)
          }
          state.character(
            variant, class: characterClass, folded: foldedStart..<foldedCount,
            source: start..<i, bytes: folded, sink: &sink)
          continue
        }
        if c >= 0x41 && c <= 0x5A {
          // ASCII upper case folds to lower case.
          let foldedStart = foldedCount
          reserve(foldedCount + 1)
          appendByte(UInt8(c + 0x20), source: start..<i, offsets: offsets)
          state.character(
            c + 0x20, class: CharacterTable.Class.letter.rawValue,
            folded: foldedStart..<foldedCount, source: start..<i, bytes: folded, sink: &sink)
          continue
        }
        if !foldedText && entry & CharacterTable.fast != 0 {
          // A separator that folds to separators: only its length matters here.
          state.separator(UInt32(entry >> 4 & 7), bytes: folded, sink: &sink)
          continue
        }
      }
      // A normalization chunk: this character and every following one that combines with it.
      carried = nil
      while i < count {
        var j = i
        let d = Self.decode(text, &j)
        if table.entry(d) & CharacterTable.boundaryBefore != 0 { break }
        i = j
      }
      let chunk = start..<i
      folder.fold(UnsafeBufferPointer(rebasing: text[chunk]), offsets: false)
      reserve(foldedCount + folder.foldedCount)
      folder.folded.withUnsafeBufferPointer { output in
        let end = folder.foldedCount
        var k = 0
        while k < end {
          let byteStart = k
          let f = Self.decode(output, &k)
          let foldedStart = foldedCount
          let characterClass = table.entry(f) & CharacterTable.classMask
          let variant = characterClass == CharacterTable.Class.han.rawValue ? variant(of: f) : f
          if variant != f {
            appendCharacter(variant, source: chunk, offsets: offsets)
          } else {
            append(output, byteStart..<k, source: chunk, offsets: offsets)
          }
          state.character(
            variant, class: characterClass, folded: foldedStart..<foldedCount,
            source: chunk, bytes: folded, sink: &sink)
        }
      }
    }
    state.close(bytes: folded, sink: &sink)
  }

  /// Adds Han characters to the Han run being built, from simple character `c` at `start`
  /// on, while each is simple and the next starts a normalization chunk of its own: the
  /// index side's common case, as the first step of `scan` takes it, but in a function of
  /// its own (its few variables stay in registers) that gives the sink no folded or source
  /// ranges (the index keeps neither) and leaves the run's ranges as they were.
  ///
  /// The characters are gathered first and their bigrams handed to the sink at once
  /// (`TokenSink.hanBigrams`): the loop that decodes them then holds nothing of the sink's.
  ///
  /// - Returns: where the first character not taken starts, and that character if it is a
  ///   three-byte one (else 0).
  @inline(never)
  private func continueHanRun<Sink: TokenSink>(
    _ text: UnsafeBufferPointer<UInt8>, at start: Int, _ first: UInt32, state: inout RunState, sink: inout Sink
  ) -> (Int, UInt32) {
    let hanInert = CharacterTable.Class.han.rawValue | CharacterTable.inert | CharacterTable.boundaryBefore
    let hanInertMask = CharacterTable.classMask | CharacterTable.inert | CharacterTable.boundaryBefore
    var i = start
    var c = first
    let characters = runCharacters
    let variants = variants
    var run = state.hanRun
    characters[0] = run.previous
    // (At most one character every three bytes: `scan` made room for them all.)
    var count = 1
    while true {
      let next = i &+ 3
      guard let (following, entry) = chunkStart(text, at: next) else { break }
      characters[count] = UInt32(variants[Int(c)])
      count &+= 1
      i = next
      c = following
      guard c != 0, entry & hanInertMask == hanInert else { break }
    }
    if count > 1 {
      sink.hanBigrams(UnsafeBufferPointer(start: characters, count: count), position: run.start)
      let taken = UInt32(truncatingIfNeeded: count &- 1)
      run = (characters[count &- 1], run.position &+ taken &- 1, run.position &+ taken)
      state.hanRun = run
    }
    return (i, c)
  }

  /// The table entry's bits (`CharacterTable.Class.han`, `inert`, `boundaryBefore`) of every
  /// character of the CJK Unified Ideographs block, U+4E00 to U+9FFF: Han, unchanged by
  /// folding, and starting a normalization chunk.
  static let simpleHan = CharacterTable.Class.han.rawValue | CharacterTable.inert | CharacterTable.boundaryBefore

  /// Whether the character at `offset` (after a simple Han character) starts a
  /// normalization chunk of its own, so that the one before can be taken alone: nil when it
  /// does not; else the character and its table entry if it is a three-byte one, (0, 0) if
  /// it is another (or the text ends there).
  @inline(__always)
  private func chunkStart(_ text: UnsafeBufferPointer<UInt8>, at offset: Int) -> (UInt32, UInt8)? {
    let count = text.count
    if offset &+ 3 <= count && text[offset] & 0xF0 == 0xE0 {
      let c = Self.decodeThreeBytes(text, at: offset)
      // (The CJK Unified Ideographs block, most of Chinese text, is simple Han throughout:
      // no table lookup for it.)
      if c &- 0x4E00 < 0x5200 { return (c, Self.simpleHan) }
      let entry = table.entry(c)
      return entry & CharacterTable.boundaryBefore != 0 ? (c, entry) : nil
    }
    if offset < count && text[offset] >= 0x80 {
      var j = offset
      return table.entry(Self.decode(text, &j)) & CharacterTable.boundaryBefore != 0 ? (0, 0) : nil
    }
    return (0, 0)
  }

  /// What Han character `c` folds to: its simplified form, unless variants are kept.
  @inline(__always)
  private func variant(of c: UInt32) -> UInt32 { c < 0x1_0000 ? UInt32(variants[Int(c)]) : c }

  /// Appends the UTF-8 of character `c` to the folded text, mapped to `source`.
  private func appendCharacter(_ c: UInt32, source: Range<Int>, offsets: Bool) {
    reserve(foldedCount + 4)
    if c < 0x80 {
      appendByte(UInt8(c), source: source, offsets: offsets)
    } else if c < 0x800 {
      appendByte(UInt8(0xC0 | c >> 6), source: source, offsets: offsets)
      appendByte(UInt8(0x80 | c & 0x3F), source: source, offsets: offsets)
    } else if c < 0x1_0000 {
      appendByte(UInt8(0xE0 | c >> 12), source: source, offsets: offsets)
      appendByte(UInt8(0x80 | c >> 6 & 0x3F), source: source, offsets: offsets)
      appendByte(UInt8(0x80 | c & 0x3F), source: source, offsets: offsets)
    } else {
      appendByte(UInt8(0xF0 | c >> 18), source: source, offsets: offsets)
      appendByte(UInt8(0x80 | c >> 12 & 0x3F), source: source, offsets: offsets)
      appendByte(UInt8(0x80 | c >> 6 & 0x3F), source: source, offsets: offsets)
      appendByte(UInt8(0x80 | c & 0x3F), source: source, offsets: offsets)
    }
  }

  /// Makes room for `needed` folded bytes (and their offsets).
  @inline(__always)
  private func reserve(_ needed: Int) {
    guard needed > capacity else { return }
    var newCapacity = capacity
    while newCapacity < needed { newCapacity *= 2 }
    let newFolded = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newFolded.update(from: folded, count: foldedCount)
    folded.deallocate()
    folded = newFolded
    let newStart = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
    let newEnd = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
    newStart.update(from: sourceStart, count: foldedCount)
    newEnd.update(from: sourceEnd, count: foldedCount)
    sourceStart.deallocate()
    sourceEnd.deallocate()
    sourceStart = newStart
    sourceEnd = newEnd
    capacity = newCapacity
  }

  /// Appends bytes `range` of `bytes` to the folded text, all mapped to `source`.
  @inline(__always)
  private func append(
    _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, source: Range<Int>, offsets: Bool
  ) {
    reserve(foldedCount + range.count)
    for index in range { appendByte(bytes[index], source: source, offsets: offsets) }
  }

  @inline(__always)
  private func appendByte(_ byte: UInt8, source: Range<Int>, offsets: Bool) {
    folded[foldedCount] = byte
    if offsets {
      sourceStart[foldedCount] = Int32(truncatingIfNeeded: source.lowerBound)
      sourceEnd[foldedCount] = Int32(truncatingIfNeeded: source.upperBound)
    }
    foldedCount += 1
  }

  /// The code point of the three-byte sequence (lead byte 1110xxxx) at `offset` of valid
  /// UTF-8: nearly every character of Chinese text, decoded without the general case's tests.
  @inline(__always)
  static func decodeThreeBytes(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32 {
    UInt32(bytes[offset] & 0x0F) &<< 12 | UInt32(bytes[offset &+ 1] & 0x3F) &<< 6 | UInt32(bytes[offset &+ 2] & 0x3F)
  }

  /// Decodes the code point at `offset` of valid UTF-8 and advances past it.
  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> UInt32 {
    let lead = UInt32(bytes[offset])
    if lead < 0x80 {
      offset += 1
      return lead
    } else if lead < 0xE0 {
      let value = (lead & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F)
      offset += 2
      return value
    } else if lead < 0xF0 {
      let value =
        (lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6
        | UInt32(bytes[offset + 2] & 0x3F)
      offset += 3
      return value
    } else {
      let value =
        (lead & 0x07) << 18 | UInt32(bytes[offset + 1] & 0x3F) << 12
        | UInt32(bytes[offset + 2] & 0x3F) << 6 | UInt32(bytes[offset + 3] & 0x3F)
      offset += 4
      return value
    }
  }
}

/// The run being built during a scan, and the tokens it gives when it grows or ends.
private struct RunState {
  private var runClass: UInt8 = 0
  private var position: UInt32 = 0
  // The run's start (words) or its last character (Han).
  private var startPosition: UInt32 = 0
  private var foldedStart = 0
  private var foldedEnd = 0
  private var sourceStart = 0
  private var sourceEnd = 0
  private var previousHan: UInt32 = 0

  /// Whether the run being built is of Han characters.
  var isInHanRun: Bool { runClass == CharacterTable.Class.han.rawValue }

  /// A Han run's state: its last character, that character's position, and the next
  /// position.
  var hanRun: (previous: UInt32, start: UInt32, position: UInt32) {
    get { (previousHan, startPosition, position) }
    set { (previousHan, startPosition, position) = newValue }
  }

  /// Adds one folded code point of class `class`.
  @inline(__always)
  mutating func character<Sink: TokenSink>(
    _ c: UInt32, class characterClass: UInt8, folded: Range<Int>, source: Range<Int>,
    bytes: UnsafeMutablePointer<UInt8>, sink: inout Sink
  ) {
    if characterClass != runClass {
      let endsWord = runClass == CharacterTable.Class.letter.rawValue || runClass == CharacterTable.Class.digit.rawValue
      close(bytes: bytes, sink: &sink)
      if endsWord && characterClass == CharacterTable.Class.han.rawValue {
        // A Han character right after a letter or digit run (no separator between).
        sink.joined(
          UnsafeBufferPointer(start: bytes + foldedStart, count: foldedEnd - foldedStart), character: c,
          position: startPosition)
      }
    }
    switch characterClass {
    case CharacterTable.Class.han.rawValue:
      if runClass == characterClass {
        sink.han(
          key: TermKey.han(previousHan, c), position: startPosition,
          folded: foldedStart..<folded.upperBound, source: sourceStart..<source.upperBound)
      }
      previousHan = c
      startPosition = position
      foldedStart = folded.lowerBound
      sourceStart = source.lowerBound
      foldedEnd = folded.upperBound
      sourceEnd = source.upperBound
    case CharacterTable.Class.letter.rawValue, CharacterTable.Class.digit.rawValue:
      if runClass != characterClass {
        startPosition = position
        foldedStart = folded.lowerBound
        sourceStart = source.lowerBound
      }
      foldedEnd = folded.upperBound
      sourceEnd = source.upperBound
    default:
      break
    }
    runClass = characterClass
    position &+= 1
  }

  /// Adds `length` folded code points of separators.
  @inline(__always)
  mutating func separator<Sink: TokenSink>(
    _ length: UInt32, bytes: UnsafeMutablePointer<UInt8>, sink: inout Sink
  ) {
    // A character that folds to nothing (a soft hyphen, a zero-width space) leaves no trace.
    guard length > 0 else { return }
    close(bytes: bytes, sink: &sink)
    position &+= length
  }

  /// Ends the current run, emitting its last token.
  mutating func close<Sink: TokenSink>(bytes: UnsafeMutablePointer<UInt8>, sink: inout Sink) {
    switch runClass {
    case CharacterTable.Class.han.rawValue:
      sink.han(
        key: TermKey.han(previousHan, 0), position: startPosition,
        folded: foldedStart..<foldedEnd, source: sourceStart..<sourceEnd)
    case CharacterTable.Class.letter.rawValue, CharacterTable.Class.digit.rawValue:
      sink.word(
        UnsafeBufferPointer(start: bytes + foldedStart, count: foldedEnd - foldedStart),
        isDigits: runClass == CharacterTable.Class.digit.rawValue, position: startPosition,
        folded: foldedStart..<foldedEnd, source: sourceStart..<sourceEnd)
    default:
      break
    }
    runClass = 0
  }
}

/// A sink that keeps every token, for `Analyzer.analyze(_:offsets:)`.
private struct TokenCollector: TokenSink {
  var tokens: [Token] = []

  mutating func han(key: UInt64, position: UInt32, folded: Range<Int>, source: Range<Int>) {
    tokens.append(
      Token(
        kind: TermKey.secondCharacter(key) == 0 ? .hanUnigram : .hanBigram, position: position,
        folded: folded, source: source, hanKey: key))
  }

  mutating func word(
    _ bytes: UnsafeBufferPointer<UInt8>, isDigits: Bool, position: UInt32, folded: Range<Int>,
    source: Range<Int>
  ) {
    tokens.append(
      Token(
        kind: isDigits ? .digits : .letters, position: position, folded: folded, source: source,
        hanKey: 0))
  }
}
