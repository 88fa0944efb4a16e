import CICUShim

/// CRC-32 (the IEEE polynomial of zlib, gzip and PNG): 64 bytes at a time with the CPU's
/// carry-less multiply where there is one (x86-64 with PCLMULQDQ, in the C shim), else
/// eight bytes at a time from tables.
///
/// `CRC32.checksum(of: "123456789")` is `0xCBF43926`, the standard check value.
enum CRC32 {
  /// Whether this CPU has the carry-less multiply path.
  static let canFold: Bool = cshim_crc32_fold_available() != 0

  /// Eight 256-entry tables for slicing-by-8.
  private static let tables: [UInt32] = {
    var tables = [UInt32](repeating: 0, count: 8 * 256)
    for n in 0..<256 {
      var c = UInt32(n)
      for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
      tables[n] = c
    }
    for n in 0..<256 {
      var c = tables[n]
      for k in 1..<8 {
        c = tables[Int(c & 0xFF)] ^ (c >> 8)
        tables[k * 256 + n] = c
      }
    }
    return tables
  }()

  /// The CRC-32 of `bytes`.
  static func checksum(of bytes: UnsafeRawBufferPointer) -> UInt32 {
    finish(update(0, with: bytes))
  }

  /// Continues a running CRC (start from 0) with more bytes; `finish` gives the checksum.
  /// `fold: false` keeps to the tables (the tests hold the two paths to each other).
  static func update(_ running: UInt32, with bytes: UnsafeRawBufferPointer, fold: Bool = canFold) -> UInt32 {
    tables.withUnsafeBufferPointer { t in
      var crc: UInt32 = ~running
      var i = 0
      let count = bytes.count
      if fold && count >= 64, let base = bytes.baseAddress {
        i = count & ~15
        crc = cshim_crc32_fold(crc, base.assumingMemoryBound(to: UInt8.self), UInt64(i))
      }
      while i + 8 <= count {
        let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
        let low = UInt32(truncatingIfNeeded: word) ^ crc
        let high = UInt32(truncatingIfNeeded: word >> 32)
        crc =
          t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
          ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
          ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
          ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
        i += 8
      }
      while i < count {
        crc = t[Int((crc ^ UInt32(bytes[i])) & 0xFF)] ^ (crc >> 8)
        i += 1
      }
      return ~crc
    }
  }

  /// The checksum of a running CRC.
  static func finish(_ running: UInt32) -> UInt32 { running }

  /// The CRC-32 of a byte array.
  static func checksum(of bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { checksum(of: $0) }
  }
}
