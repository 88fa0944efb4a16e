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

  /// Reads a varint (`VarInt`) of at most 10 bytes.
  @inline(__always)
  mutating func readVarInt() throws(IndexError) -> UInt64 {
    guard let value = VarInt.load(bytes, at: &offset) else {
      throw .corrupt(file: file, detail: "malformed varint at byte \(offset)")
    }
    return value
  }

  mutating func readBytes(_ count: Int) throws(IndexError) -> UnsafeRawBufferPointer {
    guard count >= 0, offset + count <= bytes.count else {
      throw .corrupt(file: file, detail: "unexpected end of data at byte \(offset)")
    }
    defer { offset += count }
    return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
  }
}
