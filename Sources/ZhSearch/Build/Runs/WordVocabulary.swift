#if canImport(Glibc)
  import Glibc
#endif

/// The letter and digit words (and joined terms) of a run being built, each with an id
/// in order of first sight.
///
/// A worker looks a word up for every letter or digit token, so the lookup works on the
/// token's bytes: an FNV-1a hash, an open-addressing table of ids, and the words' bytes
/// side by side in one array. No string is made and nothing is allocated per token (a
/// `String`-keyed dictionary hashed each token's Unicode normalization instead).
struct WordVocabulary {
  /// Every word's bytes, one after another; word `id` is `bytes[starts[id] ..< starts[id + 1]]`.
  private var bytes: [UInt8] = []
  private var starts: [Int] = [0]
  private var hashes: [UInt64] = []
  /// The word in each slot: its hash's top 32 bits << 32 | `id + 1`, or 0 for none; a power
  /// of two in size, at most half full. (With the hash bits here, a lookup reads another
  /// word's bytes only when their hashes match, and never `hashes`, kept for `grow()`: each
  /// of those reads missed the cache.)
  private var slots = [UInt64](repeating: 0, count: 1024)
  /// A joined term's bytes while it is looked up.
  private var joined: [UInt8] = []

  /// How many distinct words there are.
  var count: Int { hashes.count }

  /// Word `id`'s bytes.
  func word(_ id: Int) -> ArraySlice<UInt8> { bytes[starts[id]..<starts[id + 1]] }

  /// The words in order of their ids.
  var words: [[UInt8]] { (0..<count).map { Array(word($0)) } }

  /// The ids in the byte order of their words.
  ///
  /// Sorted by each word's first eight bytes as one big-endian integer, zero bytes after a
  /// shorter word's end (a radix sort); words whose first eight bytes are equal, by the rest
  /// with memcmp, then the shorter first (which also orders words that differ only by zero
  /// bytes at their end, as a joined term's separator is). Most words are short numbers,
  /// told apart by their prefix alone: cheaper than comparing pairs with memcmp or sorting
  /// through a closure.
  var idsInByteOrder: [Int] {
    bytes.withUnsafeBufferPointer { bytes in
      starts.withUnsafeBufferPointer { starts in
        var prefixes = (0..<count).map { id -> UInt64 in
          var prefix: UInt64 = 0
          for i in 0..<8 {
            let byte = starts[id] + i < starts[id + 1] ? UInt64(bytes[starts[id] + i]) : 0
            prefix = prefix << 8 | byte
          }
          return prefix
        }
        var ids = (0..<count).map { UInt64($0) }
        RadixSort.sort(keys: &prefixes, values: &ids)
        /// Whether word `a`, whose first eight bytes are word `b`'s, sorts before it.
        func restPrecedes(_ a: UInt64, _ b: UInt64) -> Bool {
          let (a, b) = (Int(a), Int(b))
          let (aStart, aCount) = (starts[a] + 8, starts[a + 1] - starts[a] - 8)
          let (bStart, bCount) = (starts[b] + 8, starts[b + 1] - starts[b] - 8)
          let common = min(aCount, bCount)
          if common > 0, let base = bytes.baseAddress {
            let order = memcmp(base + aStart, base + bStart, common)
            if order != 0 { return order < 0 }
          }
          return aCount < bCount
        }
        var i = 0
        while i < count {
          var j = i + 1
          while j < count && prefixes[j] == prefixes[i] { j += 1 }
          if j - i > 1 { ids[i..<j].sort(by: restPrecedes) }
          i = j
        }
        return ids.map { Int($0) }
      }
    }
  }

  /// A run's `.words` table of the words in the order of `ids` (their ranks): WordCount
  /// u32, WordOffset u32 ^ (WordCount + 1), WordBytes.
  func table(inOrderOf ids: [Int]) -> [UInt8] {
    var table = ByteBuffer(capacity: 4 * (ids.count + 2) + bytes.count)
    table.append(UInt32(ids.count))
    var offset: UInt32 = 0
    table.append(offset)
    for id in ids {
      offset += UInt32(starts[id + 1] - starts[id])
      table.append(offset)
    }
    bytes.withUnsafeBufferPointer { bytes in
      for id in ids { table.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[starts[id]..<starts[id + 1]])) }
    }
    return table.bytes
  }

  /// The id of `word`, given the next id when it is new.
  mutating func id(of word: UnsafeBufferPointer<UInt8>) -> UInt32 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in word { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let mask = slots.count - 1
    let tag = hash & 0xFFFF_FFFF_0000_0000
    var slot = Int(truncatingIfNeeded: hash ^ hash >> 32) & mask
    while slots[slot] != 0 {
      let entry = slots[slot]
      if entry & 0xFFFF_FFFF_0000_0000 == tag {
        let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
        if matches(id, word) { return UInt32(id) }
      }
      slot = (slot + 1) & mask
    }
    let id = hashes.count
    hashes.append(hash)
    bytes.append(contentsOf: word)
    starts.append(bytes.count)
    slots[slot] = tag | UInt64(id + 1)
    if 2 * hashes.count > slots.count { grow() }
    return UInt32(id)
  }

  /// Whether word `id` is `word`, byte for byte.
  private func matches(_ id: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
    let (start, end) = (starts[id], starts[id + 1])
    guard end - start == word.count else { return false }
    guard let other = word.baseAddress, !word.isEmpty else { return true }
    return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, other, word.count) == 0 }
  }

  /// The id of the joined term of `word` and the Han character after it
  /// (`TermKey.joinedWord`).
  mutating func id(ofJoined word: UnsafeBufferPointer<UInt8>, character: UInt32) -> UInt32 {
    // Taken out of `self` while `id(of:)` changes `self`, and put back for the next one.
    var joined: [UInt8] = []
    swap(&joined, &self.joined)
    joined.removeAll(keepingCapacity: true)
    joined.append(contentsOf: word)
    TermKey.appendJoinedCharacter(character, to: &joined)
    let found = joined.withUnsafeBufferPointer { self.id(of: $0) }
    swap(&joined, &self.joined)
    return found
  }

  /// Forgets every word, keeping the memory.
  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    starts.append(0)
    hashes.removeAll(keepingCapacity: true)
    for i in slots.indices { slots[i] = 0 }
  }

  private mutating func grow() {
    slots = [UInt64](repeating: 0, count: slots.count * 2)
    let mask = slots.count - 1
    for (id, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash ^ hash >> 32) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(id + 1)
    }
  }
}
