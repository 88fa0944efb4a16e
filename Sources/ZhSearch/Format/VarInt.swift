/// Unsigned LEB128 varints, the one definition of their bytes: 7 bits a byte, low bits
/// first, the high bit set on every byte but the last (300 is `AC 02`).
///
/// Used by the scratch runs' postings (`ScratchRunEncoder`, read back by the merge) and the
/// term dictionary's entries (see `IndexFormat`).
enum VarInt {
  /// The most bytes a `UInt64` takes.
  static let maxLength = 10

  /// Passes the bytes of `value`'s varint to `body`, in order: the one definition of the
  /// encoding, for writers to store as suits them.
  @inline(__always)
  static func forEachByte(of value: UInt64, _ body: (UInt8) -> Void) {
    var v = value
    while v >= 0x80 {
      body(UInt8(truncatingIfNeeded: v) | 0x80)
      v &>>= 7
    }
    body(UInt8(truncatingIfNeeded: v))
  }

  /// Stores `value` at `out`, which has room for `maxLength` bytes, and returns how many
  /// bytes it took.
  @inline(__always)
  static func store(_ value: UInt64, at out: UnsafeMutablePointer<UInt8>) -> Int {
    var at = 0
    forEachByte(of: value) { byte in
      out[at] = byte
      at &+= 1
    }
    return at
  }

  /// The varint at byte `offset` of `bytes`, moving `offset` past it; nil when the bytes end
  /// first or it runs past `maxLength` bytes.
  @inline(__always)
  static func load(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> UInt64? {
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
    return nil
  }
}
