import CICUShim

/// Traditional characters to their simplified forms, one code point to one: the table of
/// ICU's `Traditional-Simplified` transform (see `cicu_traditional_simplified`), as a
/// lookup array over the Basic Multilingual Plane, where every pair lies.
///
/// Opening ICU's transform takes tens of milliseconds, too long for a search process that
/// starts in a few: the pairs are generated from ICU into the C shim (`cshim_variant_pairs`),
/// and a test derives them from ICU again and compares. The index records the pairs'
/// checksum, so a search with another table than the index was built with is refused.
enum VariantTable {
  /// The pairs (source, target, ...), ascending by source.
  nonisolated(unsafe) static let pairs: UnsafeBufferPointer<UInt16> = {
    var start: UnsafePointer<UInt16>? = nil
    let count = Int(cshim_variant_pairs(&start))
    return UnsafeBufferPointer(start: start, count: 2 * count)
  }()

  /// The CRC-32 of the pairs as little-endian 16-bit units, as the manifest records it.
  static let checksum: UInt32 = {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(2 * pairs.count)
    for unit in pairs { bytes += [UInt8(truncatingIfNeeded: unit), UInt8(truncatingIfNeeded: unit >> 8)] }
    return CRC32.checksum(of: bytes)
  }()

  /// For each code point below U+10000, its simplified form (itself when it has none).
  nonisolated(unsafe) static let folding: UnsafePointer<UInt16> = {
    let table = identityTable()
    for k in stride(from: 0, to: pairs.count, by: 2) { table[Int(pairs[k])] = pairs[k + 1] }
    return UnsafePointer(table)
  }()

  /// Every code point below U+10000 to itself: variants kept apart.
  nonisolated(unsafe) static let identity: UnsafePointer<UInt16> = UnsafePointer(identityTable())

  private static func identityTable() -> UnsafeMutablePointer<UInt16> {
    let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 0x1_0000)
    for c in 0..<0x1_0000 { table[c] = UInt16(truncatingIfNeeded: c) }
    return table
  }

  /// The pairs derived from ICU's transform now (tens of milliseconds), as (source, target).
  static func derivedFromICU() throws(ICUError) -> [(source: UInt32, target: UInt32)] {
    var code: Int32 = 0
    let count = cicu_traditional_simplified(nil, 0, &code)
    guard count >= 0 else { throw ICUError(rawValue: code) }
    var flat = [UInt32](repeating: 0, count: 2 * Int(count))
    _ = flat.withUnsafeMutableBufferPointer { cicu_traditional_simplified($0.baseAddress, count, &code) }
    guard code <= 0 else { throw ICUError(rawValue: code) }
    return stride(from: 0, to: flat.count, by: 2).map { (flat[$0], flat[$0 + 1]) }
  }
}
