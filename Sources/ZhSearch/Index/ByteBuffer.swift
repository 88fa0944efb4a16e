/// A growable little-endian byte buffer for writing index files.
struct ByteBuffer {
  private(set) var bytes: [UInt8] = []

  var count: Int { bytes.count }

  mutating func removeAll() {
    // (Emptying an empty array still takes the generic path: this runs once a merged term.)
    if !bytes.isEmpty { bytes.removeAll(keepingCapacity: true) }
  }

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  mutating func append(_ value: UInt8) { bytes.append(value) }

  mutating func append(_ value: UInt16) { appendLittleEndian(value) }

  mutating func append(_ value: UInt32) { appendLittleEndian(value) }

  mutating func append(_ value: UInt64) { appendLittleEndian(value) }

  mutating func append<S: Sequence>(contentsOf other: S) where S.Element == UInt8 {
    bytes.append(contentsOf: other)
  }

  /// Appends a table of strings: the offset where each one starts, then where the last one
  /// ends (`Offset`, little-endian), then all their UTF-8 bytes.
  mutating func appendStringTable<Offset: FixedWidthInteger>(_ strings: [String], offsets _: Offset.Type) {
    var offset: Offset = 0
    appendLittleEndian(offset)
    for string in strings {
      offset += Offset(string.utf8.count)
      appendLittleEndian(offset)
    }
    for string in strings { bytes.append(contentsOf: string.utf8) }
  }

  /// Appends `value` as an unsigned LEB128 varint: 7 bits a byte, low bits first, the high
  /// bit set on every byte but the last (300 is `AC 02`).
  @inline(__always)
  mutating func appendVarInt(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(truncatingIfNeeded: v))
  }

  private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// The little-endian `UInt32` at byte `offset` (at most `count - 4`).
  func uint32(at offset: Int) -> UInt32 {
    bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
  }

  /// Replaces the four bytes at `offset` (at most `count - 4`) with `value`, little-endian.
  mutating func overwrite(_ value: UInt32, at offset: Int) {
    bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
  }
}

/// A bounds-checked reader of little-endian values and varints from a byte range.
///
/// Every read checks the bounds and throws `IndexError.corrupt` past them, so garbage in an
/// index file is reported, never read past the end of a mapping.
struct ByteReader {
  let bytes: UnsafeRawBufferPointer
  var offset: Int
  /// The index file the bytes come from, named in errors.
  let file: String

  init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0, file: String) {
    self.bytes = bytes
    self.offset = offset
    self.file = file
  }

  var isAtEnd: Bool { offset >= bytes.count }

  mutating func read<T: FixedWidthInteger>(_: T.Type) throws(IndexError) -> T {
    guard offset >= 0, offset + MemoryLayout<T>.size <= bytes.count else {
      throw .corrupt(file: file, detail: "unexpected end of data at byte \(offset)")
    }
    let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
    offset += MemoryLayout<T>.size
    return T(littleEndian: value)
  }

  /// Reads an unsigned LEB128 varint of at most 10 bytes.
  @inline(__always)
  mutating func readVarInt() throws(IndexError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while offset < bytes.count {
      let byte = bytes[offset]
      offset += 1
      result |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { return result }
      shift += 7
      if shift > 63 { break }
    }
    throw .corrupt(file: file, detail: "malformed varint at byte \(offset)")
  }

  mutating func readBytes(_ count: Int) throws(IndexError) -> UnsafeRawBufferPointer {
    guard count >= 0, offset + count <= bytes.count else {
      throw .corrupt(file: file, detail: "unexpected end of data at byte \(offset)")
    }
    defer { offset += count }
    return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
  }
}

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
