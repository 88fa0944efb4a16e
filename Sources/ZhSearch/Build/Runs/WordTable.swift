/// A scratch run's words as laid out by `WordVocabulary.table(inOrderOf:)` (its `.words`
/// file, or the same bytes in memory), read by rank:
///
/// ```
/// WordTable --> WordCount u32, WordOffset u32 ^ (WordCount + 1), WordBytes
/// ```
/// Word `rank`'s folded bytes are `WordBytes[WordOffset[rank]..<WordOffset[rank + 1]]`.
struct WordTable {
  let bytes: UnsafeRawBufferPointer
  /// How many words the table holds.
  let count: Int

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
    count = Int(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
  }

  /// The folded bytes of the word of rank `rank`.
  @inline(__always)
  func word(rank: Int) -> UnsafeRawBufferPointer {
    let table = bytes
    @inline(__always) func offset(_ slot: Int) -> Int {
      Int(UInt32(littleEndian: table.loadUnaligned(fromByteOffset: 4 + slot * 4, as: UInt32.self)))
    }
    let base = 4 + (count + 1) * 4
    return UnsafeRawBufferPointer(rebasing: table[base + offset(rank)..<base + offset(rank + 1)])
  }
}
