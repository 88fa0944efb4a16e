/// A token of a scratch run packed into one `UInt64`: the form nearly every token of Chinese
/// text takes while a worker buffers it (`RecordSink`), and the merge reads it in.
///
/// A Han bigram or unigram of BMP characters from U+2E80 to U+9FFF, at a position below 4096
/// of one of the run's first 2^21 paragraphs, packs as:
///
/// ```
/// bits 63...33  packed key   (first - 0x2E80) << 16 | second      31 bits (second 0: unigram)
/// bits 32...12  paragraph    the paragraph's number in the run     21 bits
/// bits 11...0   position     the token's position in the paragraph 12 bits
/// ```
///
/// Sorting records on their key bits with a stable sort (`RecordBuckets`) orders them by
/// term and keeps each term's records in paragraph and position order. Every other token is
/// an overflow record (full key, and place `paragraph << 32 | position`).
enum PackedRecord {
  /// Where the packed key starts.
  static let keyShift: UInt64 = 33
  /// Bits of the packed key.
  static let keyBits = 31
  /// Where the paragraph number starts, and its mask once shifted down.
  static let paragraphShift: UInt64 = 12
  static let paragraphMask: UInt64 = 0x1F_FFFF
  /// The position's mask.
  static let positionMask: UInt64 = 0xFFF
  /// Positions below this pack.
  static let positionLimit: UInt32 = 4096
  /// Paragraphs a run may hold, so that their numbers pack.
  static let paragraphLimit: UInt64 = 1 << 21
  /// The lowest and highest first character of a packed key.
  static let firstCharacterBase: UInt64 = 0x2E80
  static let firstCharacterLast: UInt64 = 0x9FFF

  /// The record of packed key `packedKey` at `place` (`placeBits(paragraph:)` | position).
  @inline(__always)
  static func make(packedKey: UInt64, place: UInt64) -> UInt64 { packedKey &<< keyShift | place }

  /// The paragraph's part of a record (its number in the run, shifted into place).
  @inline(__always)
  static func placeBits(paragraph: UInt64) -> UInt64 { paragraph &<< paragraphShift }

  /// The packed key of a record: `(first - 0x2E80) << 16 | second`.
  @inline(__always)
  static func packedKey(_ record: UInt64) -> UInt64 { record &>> keyShift }

  /// The paragraph of a record, numbered in its run.
  @inline(__always)
  static func paragraph(_ record: UInt64) -> UInt64 { record &>> paragraphShift & paragraphMask }

  /// The position of a record in its paragraph.
  @inline(__always)
  static func position(_ record: UInt64) -> UInt64 { record & positionMask }

  /// The full key (`TermKey.han`) of packed key `packedKey`.
  @inline(__always)
  static func key(ofPackedKey packedKey: UInt64) -> UInt64 {
    ((packedKey &>> 16) &+ firstCharacterBase) &<< 21 | (packedKey & 0xFFFF)
  }

  /// The full key (`TermKey.han`) of a record.
  @inline(__always)
  static func key(of record: UInt64) -> UInt64 { key(ofPackedKey: packedKey(record)) }

  /// The place (`paragraph << 32 | position`) of a record of a run whose paragraph 0 is
  /// `runBase`.
  @inline(__always)
  static func place(of record: UInt64, runBase: UInt64) -> UInt64 {
    (runBase &+ paragraph(record)) &<< 32 | position(record)
  }
}
