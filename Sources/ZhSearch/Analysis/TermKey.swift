/// The 64-bit keys under which terms are stored in the index.
///
/// A Han term's key is computed from its characters: `first << 21 | second`, with `second`
/// 0 for a unigram. All terms that start with one character therefore occupy one contiguous
/// key range, `[c << 21, (c + 1) << 21)`, which is how a single-character query finds every
/// occurrence of its character (as the first half of a bigram or as a run-final unigram).
/// A letter or digit term's key is `1 << 63 | rank`, where `rank` is the term's index in the
/// index's sorted word table.
public enum TermKey {
  /// The bit that marks a letter or digit term.
  public static let wordFlag: UInt64 = 1 << 63
  /// The bits of a Han key that hold its second character (a code point needs 21).
  public static let secondMask: UInt64 = 0x1F_FFFF

  /// The key of a Han bigram, or of a unigram when `second` is 0.
  @inline(__always)
  public static func han(_ first: UInt32, _ second: UInt32) -> UInt64 {
    UInt64(first) << 21 | UInt64(second)
  }

  /// The range of keys of every Han term whose first character is `character`.
  public static func hanPrefixRange(_ character: UInt32) -> Range<UInt64> {
    han(character, 0)..<han(character + 1, 0)
  }

  /// The word-table bytes of a joined term: a letter or digit run's folded UTF-8, a 0 byte
  /// (never inside a word), and the UTF-8 of the Han character that follows the run.
  public static func joinedWord<Bytes: Collection<UInt8>>(_ word: Bytes, _ character: UInt32) -> [UInt8] {
    var bytes = Array(word)
    appendJoinedCharacter(character, to: &bytes)
    return bytes
  }

  /// Appends what follows a word's bytes in its joined term with `character`: a 0 byte and
  /// the character's UTF-8.
  @inline(__always)
  static func appendJoinedCharacter(_ c: UInt32, to bytes: inout [UInt8]) {
    bytes.append(0)
    switch c {
    case ..<0x80: bytes.append(UInt8(c))
    case ..<0x800:
      bytes.append(UInt8(0xC0 | c >> 6))
      bytes.append(UInt8(0x80 | c & 0x3F))
    case ..<0x10000:
      bytes.append(UInt8(0xE0 | c >> 12))
      bytes.append(UInt8(0x80 | c >> 6 & 0x3F))
      bytes.append(UInt8(0x80 | c & 0x3F))
    default:
      bytes.append(UInt8(0xF0 | c >> 18 & 0x07))
      bytes.append(UInt8(0x80 | c >> 12 & 0x3F))
      bytes.append(UInt8(0x80 | c >> 6 & 0x3F))
      bytes.append(UInt8(0x80 | c & 0x3F))
    }
  }

  /// The key of a character's own paragraph list (no positions), kept for the characters
  /// whose bigram lists are long: `second` is 0x1FFFFF, beyond any code point, so the key
  /// sorts after every other term that starts with the character.
  public static func characterList(_ character: UInt32) -> UInt64 { han(character, UInt32(secondMask)) }

  /// Whether `key` is a character's own paragraph list.
  public static func isCharacterList(_ key: UInt64) -> Bool {
    key & wordFlag == 0 && key & secondMask == secondMask
  }

  /// The key of a character's best paragraphs (see `IndexFormat`): `second` is 0x1FFFFE, so
  /// the key sorts after every term that starts with the character, before its own list.
  public static func characterBest(_ character: UInt32) -> UInt64 { han(character, UInt32(secondMask - 1)) }

  /// Whether `key` is a character's best paragraphs.
  public static func isCharacterBest(_ key: UInt64) -> Bool {
    key & wordFlag == 0 && key & secondMask == secondMask - 1
  }

  /// Whether the term of `key` has positions: every term but a character's own list and
  /// its best paragraphs, which are paragraphs and counts only.
  public static func hasPositions(_ key: UInt64) -> Bool { !isCharacterList(key) && !isCharacterBest(key) }

  /// The first character of a Han key.
  public static func firstCharacter(_ key: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: key >> 21) }

  /// The second character of a Han key (0 for a unigram).
  public static func secondCharacter(_ key: UInt64) -> UInt32 {
    UInt32(truncatingIfNeeded: key & secondMask)
  }
}
