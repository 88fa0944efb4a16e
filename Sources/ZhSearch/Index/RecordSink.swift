/// The flat records of an index being built: one per token, in paragraph and position order.
struct RecordSink: TokenSink {
  /// Term key of each record.
  var keys: [UInt64] = []
  /// Paragraph << 32 | position of each record.
  var places: [UInt64] = []
  /// The paragraph the next tokens belong to.
  var paragraph: UInt64 = 0
  /// Letter and digit words and their provisional ids (ranks are given at write time).
  var vocabulary: [String: UInt32] = [:]
  var words: [String] = []

  /// Sorts the records by key, keeping paragraph and position order within a key.
  mutating func sortByKey(scratchKeys: inout [UInt64], scratchValues: inout [UInt64]) {
    RadixSort.sort(keys: &keys, values: &places, scratchKeys: &scratchKeys, scratchValues: &scratchValues)
  }

  /// Gives words their segment keys, `wordFlag | rank` in byte order, and forgets them.
  ///
  /// - Returns: the words in rank order.
  mutating func remapWordsToRanks() -> [String] {
    let order = words.indices.sorted { words[$0].utf8.lexicographicallyPrecedes(words[$1].utf8) }
    var rank = [UInt64](repeating: 0, count: words.count)
    for (r, id) in order.enumerated() { rank[id] = UInt64(r) }
    let sorted = order.map { words[$0] }
    if !words.isEmpty {
      for i in keys.indices where keys[i] & TermKey.wordFlag != 0 {
        keys[i] = TermKey.wordFlag | rank[Int(keys[i] & ~TermKey.wordFlag)]
      }
    }
    vocabulary.removeAll(keepingCapacity: true)
    words.removeAll(keepingCapacity: true)
    return sorted
  }

  mutating func han(key: UInt64, position: UInt32, folded: Range<Int>, source: Range<Int>) {
    keys.append(key)
    places.append(paragraph << 32 | UInt64(position))
  }

  mutating func word(
    _ bytes: UnsafeBufferPointer<UInt8>, isDigits: Bool, position: UInt32, folded: Range<Int>,
    source: Range<Int>
  ) {
    let word = String(decoding: bytes, as: UTF8.self)
    let id: UInt32
    if let known = vocabulary[word] {
      id = known
    } else {
      id = UInt32(words.count)
      vocabulary[word] = id
      words.append(word)
    }
    keys.append(TermKey.wordFlag | UInt64(id))
    places.append(paragraph << 32 | UInt64(position))
  }
}
