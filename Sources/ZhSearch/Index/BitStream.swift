/// Writes values as bits, least significant bit first within each byte.
///
/// Used for the doc and position streams (see `IndexFormat`): fixed-width bits, and unary
/// codes (that many zero bits, then a one bit). Bits gather in a 64-bit register and go to
/// raw memory four bytes at a time: this is the merge's hottest loop. A noncopyable value,
/// so that the pending bits can live in registers while a loop writes, and the memory has
/// one owner.
struct BitWriter: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Whole bytes stored in `base`.
  private var byteCount = 0
  /// Bits not yet stored (fewer than 32 between calls).
  private var pending: UInt64 = 0
  private var pendingCount = 0

  init(capacity: Int = 1 << 12) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// Bits written so far.
  var bitCount: Int { byteCount * 8 + pendingCount }

  /// The bytes written so far (whole bytes only: call `alignToByte()` first).
  var written: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: byteCount) }

  /// A copy of the bytes written so far (whole bytes only).
  var bytes: [UInt8] { Array(written) }

  /// Appends the low `width` bits of `value` (`width` at most 32).
  ///
  /// Shifts and sums wrap rather than check: `width` and the pending count stay below 64,
  /// and this runs for every doc code and position of a build.
  @inline(__always)
  mutating func append(_ value: UInt64, width: Int) {
    assert(width >= 0 && width <= 32)
    pending |= (value & ((1 &<< UInt64(width)) &- 1)) &<< UInt64(pendingCount)
    pendingCount &+= width
    if pendingCount >= 32 {
      if byteCount &+ 4 > capacity { grow() }
      UnsafeMutableRawPointer(base + byteCount).storeBytes(
        of: UInt32(truncatingIfNeeded: pending).littleEndian, as: UInt32.self)
      byteCount &+= 4
      pending &>>= 32
      pendingCount &-= 32
    }
  }

  /// Appends `zeros` zero bits and a one bit.
  @inline(__always)
  mutating func appendUnary(_ zeros: UInt64) {
    if zeros < 32 {
      append(1 &<< zeros, width: Int(zeros) &+ 1)
    } else {
      appendLongUnary(zeros)
    }
  }

  /// Appends `zeros` zero bits, a one bit, then the low `width` bits of `value`: a Rice or
  /// gamma code in one step when it fits 32 bits.
  @inline(__always)
  mutating func appendUnary(_ zeros: UInt64, then value: UInt64, width: Int) {
    if zeros &+ UInt64(width) < 32 {
      let low = value & ((1 &<< UInt64(width)) &- 1)
      append(1 &<< zeros | low &<< (zeros &+ 1), width: Int(zeros) &+ 1 &+ width)
    } else {
      appendUnary(zeros)
      append(value, width: width)
    }
  }

  private mutating func appendLongUnary(_ zeros: UInt64) {
    var left = zeros
    while left >= 32 {
      append(0, width: 32)
      left -= 32
    }
    append(1 << left, width: Int(left) + 1)
  }

  /// Stores the pending bits, the last byte padded with zero bits.
  mutating func alignToByte() {
    guard pendingCount > 0 else { return }
    // The pending bits (fewer than 32) in one store; only their bytes count as written.
    if byteCount + 4 > capacity { grow() }
    UnsafeMutableRawPointer(base + byteCount).storeBytes(
      of: UInt32(truncatingIfNeeded: pending).littleEndian, as: UInt32.self)
    byteCount += (pendingCount + 7) / 8
    pending = 0
    pendingCount = 0
  }

  mutating func removeAll() {
    byteCount = 0
    pending = 0
    pendingCount = 0
  }

  @inline(never)
  private mutating func grow() {
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
    bigger.update(from: base, count: byteCount)
    base.deallocate()
    base = bigger
    capacity *= 2
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
