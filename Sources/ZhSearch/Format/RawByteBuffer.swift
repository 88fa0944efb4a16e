/// A byte buffer over raw memory for the hottest encoding loops (a segment's postings, the
/// merged lists), where `Array` appends cost a uniqueness check each and small copies go
/// through the generic sequence path. The owner must call `deallocate()`.
struct RawByteBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  /// The bytes written so far.
  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  /// Appends `value` as an unsigned LEB128 varint (see `ByteBuffer.appendVarInt`).
  @inline(__always)
  mutating func appendVarInt(_ value: UInt64) {
    if count + 10 > capacity { grow() }
    var v = value
    while v >= 0x80 {
      base[count] = UInt8(truncatingIfNeeded: v) | 0x80
      count += 1
      v >>= 7
    }
    base[count] = UInt8(truncatingIfNeeded: v)
    count += 1
  }

  /// Makes room for `bytes` more bytes, for the appends that do not check
  /// (`appendReservedVarInt`).
  @inline(__always)
  mutating func reserve(_ bytes: Int) {
    while count + bytes > capacity { grow() }
  }

  /// `appendVarInt` into room made by `reserve(_:)`.
  @inline(__always)
  mutating func appendReservedVarInt(_ value: UInt64) {
    var (v, at) = (value, count)
    while v >= 0x80 {
      base[at] = UInt8(truncatingIfNeeded: v) | 0x80
      at &+= 1
      v &>>= 7
    }
    base[at] = UInt8(truncatingIfNeeded: v)
    count = at &+ 1
  }

  /// Appends `value`, little-endian.
  @inline(__always)
  mutating func append<T: FixedWidthInteger>(_ value: T) {
    reserve(MemoryLayout<T>.size)
    UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: T.self)
    count += MemoryLayout<T>.size
  }

  /// Appends `bytes`, copied in one go.
  @inline(__always)
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    while count + bytes.count > capacity { grow() }
    if let source = bytes.baseAddress {
      UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
    }
    count += bytes.count
  }

  mutating func removeAll() { count = 0 }

  /// Where the next byte goes: room made by `reserve(_:)` is written here directly, then
  /// counted by `commit(_:)`.
  var free: UnsafeMutablePointer<UInt8> { base + count }

  /// Counts `bytes` more bytes, written at `free` within room made by `reserve(_:)`.
  @inline(__always)
  mutating func commit(_ bytes: Int) {
    assert(count + bytes <= capacity)
    count &+= bytes
  }

  mutating func deallocate() { base.deallocate() }

  private mutating func grow() {
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
    bigger.update(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity *= 2
  }
}
