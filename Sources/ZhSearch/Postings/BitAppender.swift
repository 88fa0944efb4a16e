/// Writes values as bits, least significant bit first within each byte: a buffer and its
/// pending bits as a plain value.
///
/// Used for the doc and position streams (`IndexFormat`, sections docs and positions):
/// fixed-width bits, and unary codes (that many zero bits, then a one bit). Bits gather in
/// a 64-bit register and go to raw memory four bytes at a time: this is the merge's hottest
/// loop. A `BitWriter` owns the memory; a hot loop borrows its state (`BitWriter.lend()`)
/// into a local variable, which the compiler keeps in registers (the pending bits of a
/// writer reached through an `inout` parameter or a reference are loaded and stored again
/// for every code), and gives it back (`BitWriter.settle(_:)`). A loop that knows how many
/// bits it will write at most makes room once (`reserve(bits:)`) and appends without a
/// check or a branch (`appendReserved`).
struct BitAppender {
  /// The memory, owned by the `BitWriter` that lent this state.
  private(set) var base: UnsafeMutablePointer<UInt8>
  /// Where the next whole byte goes, and the end of the memory.
  private var cursor: UnsafeMutablePointer<UInt8>
  private var end: UnsafeMutablePointer<UInt8>
  /// Bits not yet stored (fewer than 32 between calls).
  private var pending: UInt64 = 0
  private var pendingCount = 0

  /// An appender into memory of its own, for a `BitWriter` to own.
  init(capacity: Int) {
    base = .allocate(capacity: max(capacity, 16))
    cursor = base
    end = base + max(capacity, 16)
  }

  /// An appender into `capacity` bytes at `start`, memory it does not own: only for appends
  /// that room is known to hold (`bytesToReserve(bits:)`), as growing would free that memory.
  init(borrowing start: UnsafeMutablePointer<UInt8>, capacity: Int) {
    (base, cursor, end) = (start, start, start + capacity)
  }

  /// Bits written so far.
  var bitCount: Int { (cursor - base) &* 8 &+ pendingCount }

  /// The bytes written so far (whole bytes only: call `alignToByte()` first), valid until
  /// the next append.
  var written: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: cursor - base) }

  /// Appends the low `width` bits of `value` (`width` at most 32).
  ///
  /// Shifts and sums wrap rather than check: `width` and the pending count stay below 64,
  /// and this runs for every doc code and position of a build.
  @inline(__always)
  mutating func append(_ value: UInt64, width: Int) {
    assert(width >= 0 && width <= 32)
    let bits = UInt64(truncatingIfNeeded: width)
    pending |= (value & ((1 &<< bits) &- 1)) &<< UInt64(truncatingIfNeeded: pendingCount)
    pendingCount &+= width
    if pendingCount >= 32 {
      if end - cursor < 4 { grow(atLeast: 4) }
      UnsafeMutableRawPointer(cursor).storeBytes(of: UInt32(truncatingIfNeeded: pending).littleEndian, as: UInt32.self)
      cursor += 4
      pending &>>= 32
      pendingCount &-= 32
    }
  }

  /// Appends `zeros` zero bits and a one bit.
  @inline(__always)
  mutating func appendUnary(_ zeros: UInt64) {
    if zeros < 32 {
      append(1 &<< zeros, width: Int(truncatingIfNeeded: zeros) &+ 1)
    } else {
      // (Inline, as every path of an append: a call would take the appender's address and
      // keep it in memory rather than in registers.)
      var left = zeros
      while left >= 32 {
        append(0, width: 32)
        left &-= 32
      }
      append(1 &<< left, width: Int(truncatingIfNeeded: left) &+ 1)
    }
  }

  /// Appends `zeros` zero bits, a one bit, then the low `width` bits of `value`: a Rice or
  /// gamma code in one step when it fits 32 bits.
  @inline(__always)
  mutating func appendUnary(_ zeros: UInt64, then value: UInt64, width: Int) {
    let bits = UInt64(truncatingIfNeeded: width)
    if zeros &+ bits < 32 {
      let low = value & ((1 &<< bits) &- 1)
      append(1 &<< zeros | low &<< (zeros &+ 1), width: Int(truncatingIfNeeded: zeros) &+ 1 &+ width)
    } else {
      appendUnary(zeros)
      append(value, width: width)
    }
  }

  /// The bytes past the ones its bits fill that room for reserved appends needs: a reserved
  /// append stores eight bytes from the cursor whatever it advances, and the cursor lags the
  /// bits by up to 31 pending ones (four bytes); 12 rounded up.
  static let storeSlack = 16

  /// The bytes from the cursor that `bits` more bits appended by `appendReserved` and
  /// `appendUnaryReserved` may store to: the one sizing rule of every writer that makes room
  /// for them, here or in memory it lends (`init(borrowing:capacity:)`).
  @inline(__always)
  static func bytesToReserve(bits: Int) -> Int { bits / 8 &+ storeSlack }

  /// Makes room for `bits` more bits appended by `appendReserved` and `appendUnaryReserved`.
  @inline(__always)
  mutating func reserve(bits: Int) {
    let bytes = Self.bytesToReserve(bits: bits)
    if end - cursor < bytes { grow(atLeast: bytes) }
  }

  /// Appends `value` as `width` bits (`width` at most 32, `value` below 2^width), within
  /// room made by `reserve(bits:)`: no capacity check, and no branch (the pending bits are
  /// stored whole every time; the cursor moves four bytes when 32 of them are complete).
  @inline(__always)
  mutating func appendReserved(_ value: UInt64, width: Int) {
    assert(end - cursor >= 8, "a reserved append past the room made for it")
    pending |= value &<< UInt64(truncatingIfNeeded: pendingCount)
    pendingCount &+= width
    UnsafeMutableRawPointer(cursor).storeBytes(of: pending.littleEndian, as: UInt64.self)
    let full = pendingCount & 32
    cursor += full &>> 3
    pending &>>= UInt64(truncatingIfNeeded: full)
    pendingCount &-= full
  }

  /// Appends `zeros` zero bits and a one bit, within room made by `reserve(bits:)`.
  @inline(__always)
  mutating func appendUnaryReserved(_ zeros: UInt64) {
    var left = zeros
    while left >= 32 {
      appendReserved(0, width: 32)
      left &-= 32
    }
    appendReserved(1 &<< left, width: Int(truncatingIfNeeded: left) &+ 1)
  }

  /// Stores the pending bits, the last byte padded with zero bits.
  mutating func alignToByte() {
    guard pendingCount > 0 else { return }
    // The pending bits (fewer than 32) in one store; only their bytes count as written.
    if end - cursor < 4 { grow(atLeast: 4) }
    UnsafeMutableRawPointer(cursor).storeBytes(of: UInt32(truncatingIfNeeded: pending).littleEndian, as: UInt32.self)
    cursor += (pendingCount + 7) / 8
    pending = 0
    pendingCount = 0
  }

  /// Forgets the bits written, keeping the memory.
  mutating func removeAll() {
    cursor = base
    pending = 0
    pendingCount = 0
  }

  /// Moves the bytes to larger memory with `bytes` free after them (`RawByteBuffer`'s rule).
  /// (The pointers are passed and returned as values, so that the appender is not passed
  /// by address: that would keep it in memory rather than in registers.)
  @inline(__always)
  private mutating func grow(atLeast bytes: Int) {
    let count = cursor - base
    let (bigger, capacity) = RawByteBuffer.reallocate(base, count: count, capacity: end - base, atLeast: count + bytes)
    (base, cursor, end) = (bigger, bigger + count, bigger + capacity)
  }
}
