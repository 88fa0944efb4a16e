/// A read-only index file whose container is checked on open and whose blocks are checked
/// against their CRC-32 the first time they are read (`IndexFormat`, section container;
/// written by `IndexFileWriter`).
///
/// Opening checks the magic numbers, the format version, the kind, the sizes and the CRC of
/// the block checksum table, so a truncated or mixed-up file is refused at once. Block
/// checksums are verified lazily, so a search reads and checks only the blocks it touches,
/// whatever the index size. Not thread-safe (it caches which blocks are verified).
final class IndexFile {
  let kind: IndexFormat.FileKind
  let name: String
  /// The format version in the header (one of `IndexFormat.readableVersions`).
  let version: UInt16
  private let mapped: MappedFile
  /// The payload: the bytes between header and block checksums.
  private let payloadRange: Range<Int>
  private let blockCount: Int
  /// The CRC-32 of the block checksum table, as the manifest records it.
  let tableChecksum: UInt32
  @exclusivity(unchecked) private var verified: [UInt64]

  /// The file's size in bytes.
  var byteCount: Int { mapped.bytes.count }

  init(path: String, name: String, kind: IndexFormat.FileKind) throws(IndexError) {
    self.kind = kind
    self.name = name
    mapped = try MappedFile(path: path)
    let bytes = mapped.bytes
    let minimum = IndexFormat.headerSize + IndexFormat.footerSize
    guard bytes.count >= minimum else {
      throw .corrupt(file: name, detail: "truncated: \(bytes.count) bytes")
    }
    guard bytes.starts(with: IndexFormat.headerMagic) else {
      throw .corrupt(file: name, detail: "not a zhsearch index file (bad magic number)")
    }
    var header = ByteReader(bytes, offset: 4, file: name)
    let version = try header.read(UInt16.self)
    self.version = version
    guard IndexFormat.readableVersions.contains(version) else {
      throw .unsupportedVersion(file: name, found: Int(version), supported: Int(IndexFormat.version))
    }
    guard try header.read(UInt16.self) == kind.rawValue else {
      throw .corrupt(file: name, detail: "holds the wrong kind of data")
    }
    var footer = ByteReader(bytes, offset: bytes.count - IndexFormat.footerSize, file: name)
    let payloadLength = try footer.read(UInt64.self)
    let blocks = Int(try footer.read(UInt32.self))
    tableChecksum = try footer.read(UInt32.self)
    guard bytes[(bytes.count - 4)...].elementsEqual(IndexFormat.footerMagic) else {
      throw .corrupt(file: name, detail: "truncated or overwritten (bad footer)")
    }
    // The footer is not covered by a block checksum: check its numbers before using them.
    guard payloadLength < UInt64(bytes.count) else {
      throw .corrupt(file: name, detail: "sizes in the footer do not match the file")
    }
    let covered = IndexFormat.headerSize + Int(payloadLength)
    let expectedBlocks = (covered + IndexFormat.blockSize - 1) / IndexFormat.blockSize
    guard blocks == expectedBlocks, covered + 4 * blocks + IndexFormat.footerSize == bytes.count
    else {
      throw .corrupt(file: name, detail: "sizes in the footer do not match the file")
    }
    let table = UnsafeRawBufferPointer(rebasing: bytes[covered..<covered + 4 * blocks])
    guard CRC32.checksum(of: table) == tableChecksum else {
      throw .corrupt(file: name, detail: "checksum table does not match its checksum")
    }
    payloadRange = IndexFormat.headerSize..<covered
    blockCount = blocks
    verified = [UInt64](repeating: 0, count: (blocks + 63) / 64)
  }

  /// The payload's length in bytes.
  var payloadCount: Int { payloadRange.count }

  /// The payload bytes in `range` (payload offsets), after verifying their blocks.
  func bytes(_ range: Range<Int>) throws(IndexError) -> UnsafeRawBufferPointer {
    guard range.lowerBound >= 0, range.upperBound <= payloadRange.count else {
      throw .corrupt(file: name, detail: "reference past the end of the data (\(range))")
    }
    let start = payloadRange.lowerBound + range.lowerBound
    let end = payloadRange.lowerBound + range.upperBound
    if start < end {
      for block in (start / IndexFormat.blockSize)...((end - 1) / IndexFormat.blockSize) {
        try verifyBlock(block)
      }
    }
    return UnsafeRawBufferPointer(rebasing: mapped.bytes[start..<end])
  }

  /// The payload bytes in `range` after verifying their blocks, and the same start with up
  /// to 8 more bytes of the mapping after them (not verified: for decoders that load 64 bits
  /// at a time and mask off what lies past `range`).
  func bytesWithSlack(_ range: Range<Int>) throws(IndexError) -> (bytes: UnsafeRawBufferPointer, loadable: UnsafeRawBufferPointer) {
    let bytes = try self.bytes(range)
    let start = payloadRange.lowerBound + range.lowerBound
    let end = min(mapped.bytes.count, payloadRange.lowerBound + range.upperBound + 8)
    return (bytes, UnsafeRawBufferPointer(rebasing: mapped.bytes[start..<end]))
  }

  /// The little-endian `UInt32` at payload offset `offset`, its block verified (a fast path
  /// for reads done once per matching paragraph).
  @inline(__always)
  func uint32(at offset: Int) throws(IndexError) -> UInt32 {
    guard offset >= 0, offset + 4 <= payloadRange.count else {
      throw .corrupt(file: name, detail: "reference past the end of the data (\(offset))")
    }
    let absolute = payloadRange.lowerBound + offset
    let first = absolute / IndexFormat.blockSize
    let last = (absolute + 3) / IndexFormat.blockSize
    if verified[first >> 6] & (1 << UInt64(first & 63)) == 0 { try verifyBlock(first) }
    if last != first { try verifyBlock(last) }
    return UInt32(littleEndian: mapped.bytes.loadUnaligned(fromByteOffset: absolute, as: UInt32.self))
  }

  /// The whole payload, every block verified.
  func payload() throws(IndexError) -> UnsafeRawBufferPointer {
    try bytes(0..<payloadRange.count)
  }

  /// A problem for each block of the file whose checksum does not match.
  func damagedBlocks() -> [IndexError] {
    var problems: [IndexError] = []
    for block in 0..<blockCount {
      do throws(IndexError) { try verifyBlock(block) } catch { problems.append(error) }
    }
    return problems
  }

  @inline(__always)
  private func verifyBlock(_ block: Int) throws(IndexError) {
    let bit: UInt64 = 1 << UInt64(block & 63)
    if verified[block >> 6] & bit != 0 { return }
    let start = block * IndexFormat.blockSize
    let end = min(start + IndexFormat.blockSize, payloadRange.upperBound)
    let actual = CRC32.checksum(of: UnsafeRawBufferPointer(rebasing: mapped.bytes[start..<end]))
    let stored = mapped.bytes.loadUnaligned(
      fromByteOffset: payloadRange.upperBound + 4 * block, as: UInt32.self
    ).littleEndian
    guard actual == stored else {
      throw .corrupt(file: name, detail: "checksum mismatch in bytes \(start)..<\(end)")
    }
    verified[block >> 6] |= bit
  }
}
