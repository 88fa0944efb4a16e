import CICUShim

/// Splits a long line into passages of at most `limit` characters at natural boundaries.
///
/// Boundaries are tried in order of preference within each window of `limit` characters:
/// a sentence end as ICU's sentence break iterator finds it, then clause punctuation
/// (`，、；：,;:` and the like), then whitespace. A boundary is only taken right after a
/// character that is neither Han, a letter nor a digit, so a run of those is never cut and
/// no phrase inside it is lost. When a window has no boundary at all (one long run), the
/// passage grows to the next boundary, or to the end of the line.
///
/// Most sentence ends are decided here, the way ICU would, without ICU: by UAX #29's
/// sentence rules, a sentence ends only after a paragraph separator or after a sentence
/// terminator followed by closing punctuation and spaces (SB4, SB11), and for a full stop,
/// question or exclamation mark such as `。？！` (STerm) the characters right after it say
/// whether it does (SB8a–SB11), each character's class coming from ICU's Sentence_Break
/// property (`SentenceClasses`). Where the rules need more (a period, which may end an
/// abbreviation or sit in a number, SB6–SB8; a paragraph separator; a combining or format
/// character, which the rules skip, SB5), ICU's iterator decides that window, over the line
/// as UTF-8. A test holds the passages to those of ICU's iterator alone. Works on UTF-8
/// bytes, in byte offsets; not thread-safe.
struct PassageSplitter {
  /// The most characters (Unicode code points) a passage should hold.
  let limit: Int
  private let sentences: BreakIterator
  private let table = CharacterTable()
  private let classes = SentenceClasses()

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

  /// Bytes at the end of an unfinished line that no passage taken may depend on (fewer in
  /// tests).
  var lookahead = 16 << 10

  /// The byte ranges of the passages of `line` (valid UTF-8), trimmed and non-empty.
  func split(_ line: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
    split(line, from: 0, complete: true).passages
  }

  /// The passages of `line` from byte offset `from` on (the bytes before it are context: the
  /// end of the passage before), and where the next passage starts.
  ///
  /// When the line is not `complete` (it goes on past the text given), only the passages
  /// whose cut cannot depend on what follows are returned: those whose window and cut end
  /// `lookahead` bytes before the text's end, and before a Han character or ASCII letter.
  /// What the rules read past a cut (closing punctuation and spaces after a terminator;
  /// for ICU, after a period, what comes up to the next letter) ends at such a character.
  /// `resume` is then where the first passage not returned starts, from which the
  /// splitting goes on once more of the line is there (with `contextStart` bytes before
  /// it), giving the passages of the whole line.
  func split(_ line: UnsafeBufferPointer<UInt8>, from: Int, complete: Bool) -> (passages: [Range<Int>], resume: Int) {
    var passages: [Range<Int>] = []
    // Where the next passage starts, and where the one being cut ends (its last character's
    // end, where a sentence ends: a byte offset, as ICU's iterator gives over UTF-8).
    var start = from
    // The end of the bytes a cut may look at, in an unfinished line.
    let horizon = complete ? line.count : lastStopper(line, before: max(from, line.count - lookahead), after: from)
    var iteratorHasLine = false
    func iterator() -> BreakIterator {
      if !iteratorHasLine {
        sentences.setText(line)
        iteratorHasLine = true
      }
      return sentences
    }
    // `outside`: the first character after the window of `limit` characters from `start`.
    while let outside = Self.offset(in: line, from: start, characters: limit) {
      if !complete && outside + 4 > horizon { break }
      var end = -1
      // 1. The last sentence end in the window, after a character that is not part of a run.
      switch lastSentenceEnd(line, after: start, upTo: outside) {
      case .found(let boundary):
        end = boundary
      case .absent:
        break
      case .undecided:
        // (Asked from the character after `outside`, so that a sentence ending right
        // before it counts.)
        var boundary = iterator().preceding(outside + Self.sequenceLength(line[outside]))
        while let b = boundary, b > start {
          if isCutAllowed(line, before: b) {
            end = b
            break
          }
          boundary = sentences.preceding(b)
        }
      }
      // 2. Clause punctuation, then 3. whitespace, the last in the window.
      if end < 0 { end = lastCut(line, after: start, upTo: outside, clause: true) ?? -1 }
      if end < 0 { end = lastCut(line, after: start, upTo: outside, clause: false) ?? -1 }
      if end < 0 {
        // No boundary in the window: take the first one after it, never cutting a run (the
        // line's last character aside: the passage then takes the rest).
        end = line.count
        var offset = outside
        while offset < line.count {
          // (An unfinished line: where the passage ends is not known yet.)
          if !complete && offset + 4 > horizon { return (passages, start) }
          var next = offset
          let c = Analyzer.decode(line, &next)
          if next == line.count { break }
          if table.entry(c) & CharacterTable.classMask == 0 && (CorpusReader.isWhiteSpace(c) || Self.isClausePunctuation(c)) {
            end = next
            break
          }
          offset = next
        }
        // A sentence end before that one wins.
        var boundary = iterator().following(outside)
        while let b = boundary, b < end {
          if isCutAllowed(line, before: b) {
            end = b
            break
          }
          boundary = sentences.following(b)
        }
      }
      let range = CorpusReader.trimmed(line, start..<end)
      if !range.isEmpty { passages.append(range) }
      start = end
    }
    guard complete else { return (passages, start) }
    if start < line.count {
      let range = CorpusReader.trimmed(line, start..<line.count)
      if !range.isEmpty { passages.append(range) }
    }
    return (passages, line.count)
  }

  /// Where the context kept before a passage that starts at `resume` may start: at least
  /// `bytes` before it, at a Han character or ASCII letter, which the rules do not read
  /// back past (over closing punctuation and spaces to a terminator), or at 0.
  func contextStart(_ line: UnsafeBufferPointer<UInt8>, before resume: Int, bytes: Int) -> Int {
    lastStopper(line, before: max(0, resume - bytes) + 1, after: 0)
  }

  /// The start of the last Han character or ASCII letter that starts before byte offset
  /// `end` and after `start`, or `start`.
  private func lastStopper(_ line: UnsafeBufferPointer<UInt8>, before end: Int, after start: Int) -> Int {
    var offset = min(end, line.count)
    while offset > start {
      offset = Self.previousStart(line, offset)
      let lead = line[offset]
      if lead < 0x80 {
        if (lead | 0x20) >= UInt8(ascii: "a") && (lead | 0x20) <= UInt8(ascii: "z") { return offset }
      } else if table.entry(decode(line, offset)) & CharacterTable.classMask == UInt8(CICU_CLASS_HAN) {
        return offset
      }
    }
    return start
  }

  /// What the splitter's own rules say of the sentence ends in a window.
  private enum SentenceEnd {
    /// The last one after a character not part of a run: where it is.
    case found(Int)
    /// There is none.
    case absent
    /// The rules need ICU's iterator there.
    case undecided
  }

  /// The last sentence end at byte offsets `start + 1 ... outside` of `line` (at a character
  /// boundary) after a character that is not part of a run, as ICU's iterator would find it,
  /// or `.undecided` where a character the rules here leave to ICU is met first.
  private func lastSentenceEnd(_ line: UnsafeBufferPointer<UInt8>, after start: Int, upTo outside: Int) -> SentenceEnd {
    // Each candidate boundary from the last down, with the characters before and after it.
    var boundary = outside
    var after = classes.of(decode(line, outside))
    while boundary > start {
      let previous = Self.previousStart(line, boundary)
      let c = decode(line, previous)
      let before = classes.of(c)
      switch before {
      case SentenceClasses.sTerm, SentenceClasses.close, SentenceClasses.space:
        switch endsSentence(line, lastAt: previous, lastClass: before, next: after) {
        case true?:
          if table.entry(c) & CharacterTable.classMask == 0 { return .found(boundary) }
        case false?:
          break
        case nil:
          return .undecided
        }
      case SentenceClasses.aTerm, SentenceClasses.special:
        return .undecided
      default:
        // (No rule ends a sentence after any other character.)
        break
      }
      after = before
      boundary = previous
    }
    return .absent
  }

  /// Whether a sentence ends after the character at `last` (of class `lastClass`: a
  /// terminator, closing punctuation or a space) and before one of class `next`, by the
  /// rules SB8a–SB11: the characters up to `last` must be a terminator, closing punctuation
  /// and spaces (`SATerm Close* Sp*`), and the next character neither continue the sentence
  /// nor extend that sequence. Nil where the terminator is a period (ATerm) or a character
  /// the rules here leave to ICU is met.
  private func endsSentence(_ line: UnsafeBufferPointer<UInt8>, lastAt last: Int, lastClass: UInt8, next: UInt8) -> Bool? {
    var (offset, current) = (last, lastClass)
    var spaces = 0
    while current == SentenceClasses.space {
      guard offset > 0 else { return false }
      spaces += 1
      offset = Self.previousStart(line, offset)
      current = classes.of(decode(line, offset))
    }
    while current == SentenceClasses.close {
      guard offset > 0 else { return false }
      offset = Self.previousStart(line, offset)
      current = classes.of(decode(line, offset))
    }
    switch current {
    case SentenceClasses.sTerm: break
    case SentenceClasses.aTerm, SentenceClasses.special: return nil
    default: return false
    }
    switch next {
    case SentenceClasses.special: return nil
    // SB8a: SATerm Close* Sp* × (SContinue | SATerm); SB9, SB10: nor before a space.
    case SentenceClasses.sTerm, SentenceClasses.aTerm, SentenceClasses.sContinue, SentenceClasses.space: return false
    // SB9: SATerm Close* × Close (closing punctuation goes on until a space).
    case SentenceClasses.close: return spaces > 0
    // SB11: SATerm Close* Sp* ÷.
    default: return true
    }
  }

  /// The end of the last character at byte offsets `start ..< outside` after which a cut may
  /// fall: clause punctuation when `clause`, else white space.
  private func lastCut(_ line: UnsafeBufferPointer<UInt8>, after start: Int, upTo outside: Int, clause: Bool) -> Int? {
    var end = outside
    while end > start {
      let previous = Self.previousStart(line, end)
      let c = decode(line, previous)
      if table.entry(c) & CharacterTable.classMask == 0 && (clause ? Self.isClausePunctuation(c) : CorpusReader.isWhiteSpace(c)) {
        return end
      }
      end = previous
    }
    return nil
  }

  /// Whether a cut may fall at byte offset `boundary`: the character before it is not part
  /// of a run.
  private func isCutAllowed(_ line: UnsafeBufferPointer<UInt8>, before boundary: Int) -> Bool {
    table.entry(decode(line, Self.previousStart(line, boundary))) & CharacterTable.classMask == 0
  }

  private func decode(_ line: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt32 {
    var offset = offset
    return Analyzer.decode(line, &offset)
  }

  /// The byte offset of the character `count` characters after the one at `start`, if the
  /// line has one there.
  private static func offset(in line: UnsafeBufferPointer<UInt8>, from start: Int, characters count: Int) -> Int? {
    // (It takes more than `count` bytes to hold more than `count` characters.)
    guard line.count - start > count, let base = line.baseAddress else { return nil }
    var (offset, left) = (start, count)
    // Eight bytes at a time while they hold fewer characters than are left to pass: each
    // byte but a continuation byte (10xxxxxx) starts one. A character begun in the last
    // eight is then passed whole.
    let bytes = UnsafeRawPointer(base)
    while left > 8 && offset &+ 8 <= line.count {
      let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      left &-= 8 &- CorpusReader.continuationBytes(in: word)
      offset &+= 8
    }
    while offset < line.count && line[offset] & 0xC0 == 0x80 { offset &+= 1 }
    while left > 0 && offset < line.count {
      offset &+= sequenceLength(line[offset])
      left &-= 1
    }
    return left == 0 && offset < line.count ? offset : nil
  }

  /// The length of the UTF-8 sequence that starts with byte `lead`.
  @inline(__always)
  private static func sequenceLength(_ lead: UInt8) -> Int {
    lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
  }

  /// Where the character before byte offset `offset` (a character boundary above 0) starts.
  @inline(__always)
  private static func previousStart(_ line: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
    var previous = offset &- 1
    while previous > 0 && line[previous] & 0xC0 == 0x80 { previous &-= 1 }
    return previous
  }

  /// Whether `c` is clause punctuation, full or half width: `，、；：,;:—…)）」』】》〉`.
  static func isClausePunctuation(_ c: UInt32) -> Bool {
    switch c {
    case 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0x2C, 0x3B, 0x3A, 0x2014, 0x2026, 0x29, 0xFF09, 0x300D,
      0x300F, 0x3011, 0x300B, 0x3009:
      return true
    default:
      return false
    }
  }
}
