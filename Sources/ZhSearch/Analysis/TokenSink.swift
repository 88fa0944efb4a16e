/// Receives the tokens of one scan, in order of position.
protocol TokenSink {
  /// A Han bigram, or the unigram of a run's last character (`TermKey.secondCharacter` 0).
  mutating func han(key: UInt64, position: UInt32, folded: Range<Int>, source: Range<Int>)
  /// A Han bigram whose second character is below U+10000, from the analyzer's loop for
  /// runs of simple Han characters, which gives no ranges: the index's common case, apart,
  /// so that a sink can build its record from the two characters without the key's checks.
  mutating func hanBigram(_ first: UInt32, _ second: UInt32, position: UInt32)
  /// The bigrams of consecutive characters `characters` (all but the first below U+10000),
  /// `characters[k]` and `characters[k + 1]` at `position + k`: a stretch of the analyzer's
  /// loop for runs of simple Han characters, handed over at once so that a sink can keep
  /// its state in registers for the stretch (the index's hottest path).
  mutating func hanBigrams(_ characters: UnsafeBufferPointer<UInt32>, position: UInt32)
  /// A whole letter or digit run; `bytes` is its folded UTF-8.
  mutating func word(
    _ bytes: UnsafeBufferPointer<UInt8>, isDigits: Bool, position: UInt32, folded: Range<Int>,
    source: Range<Int>)
  /// A letter or digit run (folded UTF-8 `bytes`) and the Han character right after it, at
  /// the run's position: the joined term (`TermKey.joinedWord`) that `2018年` is found by.
  mutating func joined(_ bytes: UnsafeBufferPointer<UInt8>, character: UInt32, position: UInt32)
}

extension TokenSink {
  mutating func hanBigram(_ first: UInt32, _ second: UInt32, position: UInt32) {
    han(key: TermKey.han(first, second), position: position, folded: 0..<0, source: 0..<0)
  }

  mutating func hanBigrams(_ characters: UnsafeBufferPointer<UInt32>, position: UInt32) {
    for k in 1..<max(1, characters.count) {
      hanBigram(characters[k &- 1], characters[k], position: position &+ UInt32(truncatingIfNeeded: k &- 1))
    }
  }

  /// By default, joined terms are not kept (they add no token to an analyzed text).
  mutating func joined(_ bytes: UnsafeBufferPointer<UInt8>, character: UInt32, position: UInt32) {}
}
