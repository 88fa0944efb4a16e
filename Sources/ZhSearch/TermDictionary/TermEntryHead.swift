/// The head byte of a term's entry in the dictionary (`IndexFormat`, section terms, Head):
/// the small values of the many rare terms packed in one byte, each field following it in
/// full (a varint) only when its code is the escape. Written by `TermDictionaryWriter`, read
/// by `TermDictionary` (and taken apart again by `PayloadFields`).
struct TermEntryHead {
  /// The fields the head packs, in entry order (numbered as `PayloadFields` parts).
  enum Field: Int {
    case documentFrequency = 1, extraOccurrences, docsLength, positionsLength
  }

  let byte: UInt8

  init(_ byte: UInt8) { self.byte = byte }

  /// The head of an entry with these values (extra occurrences: occurrences beyond one a
  /// paragraph); a field whose value has no code, or for which `inFull` is true, is escaped.
  @inline(__always)
  init(
    documentFrequency: UInt64, extraOccurrences: UInt64, docsLength: UInt64, positionsLength: UInt64,
    inFull: (Field) -> Bool = { _ in false }
  ) {
    let frequencyCode = (1...3).contains(documentFrequency) && !inFull(.documentFrequency) ? documentFrequency - 1 : 3
    let same: UInt64 = extraOccurrences == 0 && !inFull(.extraOccurrences) ? 4 : 0
    let docsCode = (1...7).contains(docsLength) && !inFull(.docsLength) ? docsLength - 1 : 7
    let positionsCode = positionsLength < 3 && !inFull(.positionsLength) ? positionsLength : 3
    byte = UInt8(truncatingIfNeeded: frequencyCode | same | docsCode << 3 | positionsCode << 6)
  }

  /// Whether `field` follows the head in full.
  @inline(__always)
  func inFull(_ field: Field) -> Bool {
    switch field {
    case .documentFrequency: return byte & 3 == 3
    case .extraOccurrences: return byte & 4 == 0
    case .docsLength: return byte >> 3 & 7 == 7
    case .positionsLength: return byte >> 6 == 3
    }
  }

  /// The value of `field` the head holds (when it is not in full).
  @inline(__always)
  func value(_ field: Field) -> UInt64 {
    switch field {
    case .documentFrequency: return UInt64(byte & 3) + 1
    case .extraOccurrences: return 0
    case .docsLength: return UInt64(byte >> 3 & 7) + 1
    case .positionsLength: return UInt64(byte >> 6)
    }
  }
}
