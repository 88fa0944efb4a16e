/// Bounds-checked reads of bits from a byte range, least significant bit first.
enum BitLoad {
  /// Up to 64 bits starting at byte `index` (zeros past the end), and how many are real.
  @inline(__always)
  static func word(_ bytes: UnsafeRawBufferPointer, byte index: Int) -> (bits: UInt64, count: Int) {
    if index + 8 <= bytes.count {
      return (UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)), 64)
    }
    var bits: UInt64 = 0
    var shift: UInt64 = 0
    var i = index
    while i < bytes.count {
      bits |= UInt64(bytes[i]) << shift
      shift += 8
      i += 1
    }
    return (bits, Int(shift))
  }

  /// The `width` bits (at most 32) at bit offset `bit`, which must lie inside `bytes`.
  @inline(__always)
  static func bits(_ bytes: UnsafeRawBufferPointer, at bit: Int, width: Int) -> UInt64 {
    let (word, _) = word(bytes, byte: bit >> 3)
    return (word >> UInt64(bit & 7)) & ((1 << UInt64(width)) &- 1)
  }

  /// The unary code at bit `bit` of `bytes`: the zero bits before the next one bit, which
  /// `bit` passes; nil when the bytes end first or the zeros pass `limit` (`bit` is then
  /// left anywhere).
  @inline(__always)
  static func unary(_ bytes: UnsafeRawBufferPointer, at bit: inout Int, limit: UInt64) -> UInt64? {
    var zeros: UInt64 = 0
    while true {
      let (word, real) = word(bytes, byte: bit >> 3)
      let shift = bit & 7
      let available = real - shift
      guard available > 0 else { return nil }
      let run = (word >> UInt64(shift)).trailingZeroBitCount
      if run < available {
        bit += run + 1
        zeros += UInt64(run)
        return zeros <= limit ? zeros : nil
      }
      zeros += UInt64(available)
      bit += available
      guard zeros <= limit else { return nil }
    }
  }
}
