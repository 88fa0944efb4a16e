/// A growable little-endian byte buffer for writing index files: an array, for the paths
/// that run once a file or once a term (the hot loops use `RawByteBuffer`).
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

  /// Appends `value` as a varint (`VarInt`).
  @inline(__always)
  mutating func appendVarInt(_ value: UInt64) {
    VarInt.forEachByte(of: value) { bytes.append($0) }
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
