/// A byte buffer over raw memory for the hottest encoding loops (a scratch run's postings,
/// the merged lists), where `Array` appends cost a uniqueness check each and small copies go
/// through the generic sequence path. The owner must call `deallocate()`.
///
/// Its growth rule (`reallocate`) is also the one of `BitAppender`'s memory.
struct RawByteBuffer {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private(set) var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  /// The bytes written so far.
  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  /// Appends `value` as a varint (`VarInt`).
  @inline(__always)
  mutating func appendVarInt(_ value: UInt64) {
    reserve(VarInt.maxLength)
    appendReservedVarInt(value)
  }

  /// Makes room for `bytes` more bytes, for the appends that do not check
  /// (`appendReservedVarInt`, and stores at `free`).
  @inline(__always)
  mutating func reserve(_ bytes: Int) {
    if count &+ bytes > capacity { (base, capacity) = Self.reallocate(base, count: count, capacity: capacity, atLeast: count + bytes) }
  }

  /// `appendVarInt` into room made by `reserve(_:)`.
  @inline(__always)
  mutating func appendReservedVarInt(_ value: UInt64) {
    count &+= VarInt.store(value, at: base + count)
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
    reserve(bytes.count)
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
    precondition(count + bytes <= capacity, "committed past the reserved room")
    count &+= bytes
  }

  mutating func deallocate() { base.deallocate() }

  /// Moves the `count` bytes at `base` (memory of `capacity` bytes, freed) to new memory of
  /// at least `needed` bytes and at least twice the capacity, so that a buffer appended to
  /// byte by byte is copied a constant number of times per byte; returns it and its capacity.
  @inline(never)
  static func reallocate(
    _ base: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int, atLeast needed: Int
  ) -> (UnsafeMutablePointer<UInt8>, Int) {
    let newCapacity = max(2 * capacity, needed)
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    bigger.update(from: base, count: count)
    base.deallocate()
    return (bigger, newCapacity)
  }
}
