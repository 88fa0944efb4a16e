import CICUShim

/// Checks of single UTF-8 sequences (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF).
enum UTF8Validation {
  /// The length of the well-formed sequence at `i`, or 0 when none starts there.
  @inline(__always)
  static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let lead = bytes[i]
    if lead < 0x80 { return 1 }
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0: (length, low) = (3, 0xA0)
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: (length, high) = (3, 0x9F)
    case 0xF0: (length, low) = (4, 0x90)
    case 0xF1...0xF3: length = 4
    case 0xF4: (length, high) = (4, 0x8F)
    default: return 0
    }
    guard i + length <= bytes.count, (low...high).contains(bytes[i + 1]) else { return 0 }
    for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return 0 }
    return length
  }

  /// Whether the bytes from `i` to the end are the start of a well-formed sequence that
  /// the end cut off.
  static func isTruncatedSequence(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
    let lead = bytes[i]
    let length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
    guard length > 0, bytes.count - i < length else { return false }
    return (i + 1..<bytes.count).allSatisfy { bytes[$0] & 0xC0 == 0x80 }
  }

  /// The offset of the first byte in `bytes` that starts no well-formed sequence, or nil.
  ///
  /// Most of the bytes are checked 32 at a time where the CPU allows
  /// (`cshim_utf8_valid_prefix`, with vector instructions), the rest one sequence
  /// at a time.
  static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    return firstInvalid(bytes, from: Int(cshim_utf8_valid_prefix(base, Int64(bytes.count))))
  }

  /// `firstInvalid` checking one sequence at a time from `start` (where a sequence starts).
  static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    let count = bytes.count
    var i = start
    while i < count {
      // Eight ASCII bytes at a time.
      if i + 8 <= count,
        UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        i += 8
        continue
      }
      let lead = bytes[i]
      if lead < 0x80 {
        i += 1
        continue
      }
      // The common case in Chinese text: three-byte characters from U+1000 to U+CFFF, two
      // at a time when eight bytes can be read (leads E0 and ED, whose second bytes have
      // narrower ranges, are left to the checks below).
      if i + 8 <= count {
        let word = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self))
        let first = UInt8(truncatingIfNeeded: word)
        let second = UInt8(truncatingIfNeeded: word &>> 24)
        if word & 0xC0C0_F0C0_C0F0 == 0x8080_E080_80E0 && first != 0xE0 && first != 0xED && second != 0xE0
          && second != 0xED
        {
          i += 6
          continue
        }
      }
      if lead >= 0xE1 && lead <= 0xEC && i + 3 <= count && bytes[i + 1] & 0xC0 == 0x80
        && bytes[i + 2] & 0xC0 == 0x80
      {
        i += 3
        continue
      }
      let length = sequenceLength(bytes, at: i)
      if length == 0 { return i }
      i += length
    }
    return nil
  }
}
