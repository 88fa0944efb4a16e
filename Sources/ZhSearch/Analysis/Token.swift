/// One searchable unit of analyzed text: a Han bigram or unigram, or a whole letter or digit run.
///
/// A token's position is the offset, in Unicode code points of the folded text, of its first
/// character, so index and query share the same position arithmetic and punctuation or
/// whitespace leaves a gap that no phrase can bridge. Offsets into the original text are
/// never changed by folding: `source` always points at the characters the token came from.
public struct Token: Hashable, Sendable {
  /// What a token is made of.
  public enum Kind: UInt8, Sendable {
    /// Two adjacent Han characters inside one Han run.
    case hanBigram
    /// The last Han character of a run (the only one in a run of length 1).
    case hanUnigram
    /// A whole run of letters (any script but Han, with combining marks).
    case letters
    /// A whole run of decimal digits.
    case digits
  }

  /// What the token is made of.
  public var kind: Kind
  /// Code point offset of the token's first character in the folded text.
  public var position: UInt32
  /// Byte range of the token's text in the folded UTF-8.
  public var folded: Range<Int>
  /// Byte range of the token's characters in the original UTF-8 (empty when the analyzer
  /// was not asked for offsets).
  public var source: Range<Int>
  /// The term key of a Han token (see `TermKey`); 0 for letter and digit tokens, whose key
  /// depends on the index's vocabulary.
  public var hanKey: UInt64

  /// Whether this is a Han bigram or unigram.
  public var isHan: Bool { kind == .hanBigram || kind == .hanUnigram }
}
