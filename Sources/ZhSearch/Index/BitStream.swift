/// Writes values as bits, least significant bit first within each byte.
///
/// Used for the position streams (see `IndexFormat`): fixed-width low bits, and unary codes
/// (that many zero bits, then a one bit).
struct BitWriter {
  private(set) var bytes: [UInt8] = []
  private var pending: UInt64 = 0
  private var pendingCount = 0

  /// Bits written so far.
  var bitCount: Int { bytes.count * 8 + pendingCount }

  /// Appends the low `width` bits of `value` (`width` at most 32).
  @inline(__always)
  mutating func append(_ value: UInt64, width: Int) {
    pending |= (value & ((1 << UInt64(width)) &- 1)) << UInt64(pendingCount)
    pendingCount += width
    while pendingCount >= 8 {
      bytes.append(UInt8(truncatingIfNeeded: pending))
      pending >>= 8
      pendingCount -= 8
    }
  }

  /// Appends `zeros` zero bits and a one bit.
  @inline(__always)
  mutating func appendUnary(_ zeros: UInt64) {
    var left = zeros
    while left >= 31 {
      append(0, width: 31)
      left -= 31
    }
    append(1 << left, width: Int(left) + 1)
  }

  /// Pads the last byte with zero bits.
  mutating func alignToByte() {
    if pendingCount > 0 { append(0, width: 8 - pendingCount) }
  }

  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    pending = 0
    pendingCount = 0
  }
}

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
}
